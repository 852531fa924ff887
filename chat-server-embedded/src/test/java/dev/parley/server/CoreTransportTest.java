package dev.parley.server;

import static dev.parley.server.testing.TestServer.direct;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the embedded server's transport (Jetty's core WebSocket API) does itself and the Jakarta
 * container did before: assembling fragmented messages, limiting their total size, validating
 * UTF-8; and that a socket that fell behind gets every frame, in order, once it reads again.
 */
class CoreTransportTest {

    @Test
    void aCommandSplitAcrossFramesIsAssembled() {
        try (TestServer server = TestServer.start(); WsClient alice = server.signedIn("alice");
             WsClient bob = server.signedIn("bob")) {
            alice.sendFragments("{\"id\":7,", "\"type\":\"pi", "ng\"}");
            JsonNode reply = alice.awaitReply(7);
            assertThat(reply.path("ok").asBoolean()).as("%s", reply).isTrue();
            // multi-byte characters split between frames still decode
            String dm = direct(alice, "bob");
            String json = "{\"id\":8,\"type\":\"send\",\"conversationId\":\"" + dm
                    + "\",\"clientMsgId\":\"frag-1\",\"body\":{\"text\":\"h\u00e9llo \u2603\"}}";
            int snowman = json.indexOf('\u2603');
            // the JDK client encodes each fragment on its own: split next to the multi-byte characters
            alice.sendFragments(json.substring(0, snowman), json.substring(snowman, snowman + 1), json.substring(snowman + 1));
            assertThat(alice.awaitReply(8).path("message").path("body").path("text").asText()).isEqualTo("h\u00e9llo \u2603");
            assertThat(bob.awaitEvent("message").path("message").path("body").path("text").asText()).isEqualTo("h\u00e9llo \u2603");
        }
    }

    @Test
    void aFragmentedMessageOverTheMaximumClosesWith1009EvenWhenEachFrameFits() {
        try (TestServer server = TestServer.start(c -> c.maxFrameBytes(4_096));
             WsClient alice = server.signedIn("alice")) {
            String part = "x".repeat(3_000);
            alice.sendFragments("{\"id\":1,\"type\":\"ping\",\"pad\":\"", part, part + "\"}");
            assertThat(alice.awaitClose()).isEqualTo(1009);
            server.assertServesNormalClient();
        }
    }

    @Test
    void aFragmentedBinaryMessageGetsTheBinaryRefusalOnce() {
        try (TestServer server = TestServer.start(); WsClient alice = server.signedIn("alice")) {
            alice.sendBinaryFragments(new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5});
            JsonNode error = alice.await(f -> f.has("error"), "binary refusal").path("error");
            assertThat(error.path("code").asText()).isEqualTo("bad_request");
            assertThat(error.path("message").asText()).contains("binary frames are not supported");
            alice.ok("ping");
            assertThat(alice.frames().stream().filter(f -> f.has("error")).count()).isEqualTo(1);
        }
    }

    @Test
    void invalidUtf8InATextFrameClosesWith1007() throws IOException {
        try (TestServer server = TestServer.start();
             Socket socket = new Socket("127.0.0.1", server.ws().getPort())) {
            socket.setSoTimeout(5_000);
            DataInputStream in = handshake(socket);
            OutputStream out = socket.getOutputStream();
            byte[] invalid = {'"', (byte) 0xC3, (byte) 0x28, '"'}; // 0xC3 must be followed by a continuation byte
            out.write(maskedFrame(0x81, invalid));
            out.flush();
            assertThat(readCloseCode(in)).isEqualTo(1007);
        }
    }

    @Test
    void aContinuationFrameWithoutAMessageToContinueClosesWith1002() throws IOException {
        try (TestServer server = TestServer.start();
             Socket socket = new Socket("127.0.0.1", server.ws().getPort())) {
            socket.setSoTimeout(5_000);
            DataInputStream in = handshake(socket);
            socket.getOutputStream().write(maskedFrame(0x80, "{}".getBytes(StandardCharsets.UTF_8))); // FIN + continuation
            socket.getOutputStream().flush();
            assertThat(readCloseCode(in)).isEqualTo(1002);
            server.assertServesNormalClient();
        }
    }

    @Test
    void aSocketThatStoppedReadingGetsEveryFrameInOrderWhenItReadsAgain() {
        int count = 400;
        try (TestServer server = TestServer.start(c -> c.connectionRate(10_000, 10_000).userRate(10_000, 10_000)
                .maxCommandsInFlight(count));
             WsClient alice = server.signedIn("alice");
             WsClient bob = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            bob.pause();
            String pad = "p".repeat(3_000); // enough bytes to fill the socket buffers, so that frames queue
            List<Long> ids = new java.util.ArrayList<>();
            for (int i = 1; i <= count; i++) {
                ids.add(alice.send("send", "conversationId", dm, "clientMsgId", "m" + i, "body", Map.of("text", i + " " + pad)));
            }
            for (long id : ids) {
                assertThat(alice.awaitReply(id).path("ok").asBoolean()).isTrue();
            }
            bob.resume();
            JsonNode last = bob.awaitEvent("message", e -> e.path("message").path("clientMsgId").asText().equals("m" + count));
            assertThat(last.path("message").path("body").path("text").asText()).startsWith(count + " ");
            List<Long> seqs = bob.frames().stream().filter(f -> "message".equals(f.path("type").asText()))
                    .map(f -> f.path("message").path("seq").asLong()).toList();
            assertThat(seqs).hasSize(count).isSorted().doesNotHaveDuplicates();
            assertThat(bob.isClosed()).isFalse();
        }
    }

    /** Upgrades a raw socket to a parley.v1 WebSocket; returns its input, positioned after the 101 response. */
    private static DataInputStream handshake(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: parley.v1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        assertThat(readHeaders(in)).startsWith("HTTP/1.1 101");
        return in;
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            matched = (c == '\r' || c == '\n') ? matched + 1 : 0;
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static byte[] maskedFrame(int firstByte, byte[] payload) {
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(firstByte);
        b.write(0x80 | payload.length);
        b.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            b.write(payload[i] ^ mask[i % 4]);
        }
        return b.toByteArray();
    }

    /** Reads server frames until a close frame; returns its status code. */
    private static int readCloseCode(DataInputStream in) throws IOException {
        while (true) {
            int op = in.readUnsignedByte() & 0x0F;
            long length = in.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = in.readNBytes((int) length);
            if (op == 0x8) {
                return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }
    }
}
