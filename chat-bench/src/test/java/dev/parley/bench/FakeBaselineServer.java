package dev.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the Node baselines in tests (no Node needed): a blocking WebSocket server on
 * 127.0.0.1, one thread per connection, speaking either the ws baseline's JSON commands
 * ({@code hello}, {@code join}, {@code send}) or Socket.IO over Engine.IO v4 (open packet,
 * a ping right after it, {@code 40} connect, {@code join}/{@code send} events with acks), and
 * broadcasting each sent message to every member of the room, the sender included.
 */
final class FakeBaselineServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Dialect dialect;
    private final ServerSocket server;
    private final Map<String, List<Peer>> rooms = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final AtomicInteger pongs = new AtomicInteger();
    final AtomicInteger seq = new AtomicInteger();

    FakeBaselineServer(Dialect dialect) throws IOException {
        this.dialect = dialect;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-baseline-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                sockets.add(s);
                Thread t = new Thread(() -> serve(s), "fake-baseline-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private final class Peer {
        final OutputStream out;

        Peer(OutputStream out) {
            this.out = out;
        }

        synchronized void text(String s) throws IOException {
            byte[] p = s.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x81);
            if (p.length < 126) {
                f.write(p.length);
            } else {
                f.write(126);
                f.write(p.length >>> 8);
                f.write(p.length);
            }
            f.write(p);
            out.write(f.toByteArray());
            out.flush();
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            String key = null;
            StringBuilder line = new StringBuilder();
            int c;
            int blank = 0;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    String l = line.toString().trim();
                    if (l.isEmpty() && ++blank >= 1) {
                        break;
                    }
                    if (l.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                        key = l.substring(l.indexOf(':') + 1).trim();
                    }
                    line.setLength(0);
                } else {
                    line.append((char) c);
                }
            }
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + WsFrames.acceptFor(key) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Peer peer = new Peer(out);
            if (dialect == Dialect.SOCKET_IO) {
                peer.text("0{\"sid\":\"s1\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}");
                peer.text("2");
            }
            DataInputStream data = new DataInputStream(in);
            while (true) {
                int b0 = data.readUnsignedByte();
                int b1 = data.readUnsignedByte();
                long len = b1 & 0x7F;
                if (len == 126) {
                    len = data.readUnsignedShort();
                } else if (len == 127) {
                    len = data.readLong();
                }
                byte[] mask = new byte[4];
                data.readFully(mask);
                byte[] payload = new byte[(int) len];
                data.readFully(payload);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
                if ((b0 & 0x0F) == WsFrames.CLOSE) {
                    return;
                }
                if ((b0 & 0x0F) == WsFrames.TEXT) {
                    String text = new String(payload, StandardCharsets.UTF_8);
                    if (dialect == Dialect.SOCKET_IO) {
                        onSocketIo(peer, text);
                    } else {
                        onWs(peer, text);
                    }
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private void onWs(Peer peer, String text) throws IOException {
        JsonNode cmd = JSON.readTree(text);
        long id = cmd.path("id").asLong();
        switch (cmd.path("type").asText()) {
            case "hello" -> peer.text("{\"re\":" + id + ",\"ok\":true}");
            case "join" -> {
                rooms.computeIfAbsent(cmd.path("conversationId").asText(), k -> new CopyOnWriteArrayList<>()).add(peer);
                peer.text("{\"re\":" + id + ",\"ok\":true}");
            }
            case "send" -> {
                String message = message(cmd);
                peer.text("{\"re\":" + id + ",\"ok\":true,\"message\":" + message + "}");
                for (Peer p : rooms.get(cmd.path("conversationId").asText())) {
                    p.text("{\"type\":\"message\",\"message\":" + message + "}");
                }
            }
            default -> peer.text("{\"re\":" + id + ",\"error\":{\"code\":\"bad_request\"}}");
        }
    }

    private void onSocketIo(Peer peer, String text) throws IOException {
        EngineIo.Packet p;
        try {
            p = EngineIo.decode(text);
        } catch (EngineIo.MalformedPacket e) {
            throw new IOException(e);
        }
        if (p.type() == EngineIo.Type.PONG) {
            pongs.incrementAndGet();
            return;
        }
        if (p.type() != EngineIo.Type.MESSAGE) {
            return;
        }
        switch (p.socketType()) {
            case CONNECT -> peer.text(JSON.readTree(p.data()).path("token").asText().startsWith("dev:")
                    ? "40{\"sid\":\"x1\"}" : "44{\"message\":\"unauthenticated\"}");
            case EVENT -> {
                ArrayNode args = (ArrayNode) JSON.readTree(p.data());
                String event = args.get(0).asText();
                if (event.equals("join")) {
                    rooms.computeIfAbsent(args.get(1).asText(), k -> new CopyOnWriteArrayList<>()).add(peer);
                    peer.text("43" + p.ackId() + "[{\"ok\":true}]");
                } else if (event.equals("send")) {
                    String message = message(args.get(1));
                    peer.text("43" + p.ackId() + "[{\"ok\":true,\"message\":" + message + "}]");
                    for (Peer member : rooms.get(args.get(1).path("conversationId").asText())) {
                        member.text("42[\"message\"," + message + "]");
                    }
                }
            }
            default -> {
                // nothing else is sent by the generator
            }
        }
    }

    private String message(JsonNode cmd) throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("id", "m" + seq.incrementAndGet());
        m.put("conversationId", cmd.path("conversationId").asText());
        m.put("seq", seq.get());
        m.put("clientMsgId", cmd.path("clientMsgId").asText());
        m.set("body", cmd.path("body"));
        return JSON.writeValueAsString(m);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
