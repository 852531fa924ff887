package dev.parley.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder between a client and the server on 127.0.0.1, to break connections the way
 * networks do: {@link #cut()} resets every connection (no WebSocket close frame),
 * {@link #refuse} stops listening (connection refused) until called with {@code false},
 * {@link #discardDownstream} silently drops what the server sends (e.g. the reply to a send).
 */
final class TcpProxy implements AutoCloseable {
    private final int port;
    private final int targetPort;
    private volatile ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean discardDownstream;

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        listen(0);
        this.port = listener.getLocalPort();
    }

    private synchronized void listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
        listener = s;
        Thread acceptor = new Thread(() -> acceptLoop(s), "test-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The server's WebSocket endpoint, through this proxy. */
    URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    /** Connections accepted so far (refused ones included). */
    int accepted() {
        return accepted.get();
    }

    /** Resets every open connection, both sides. */
    void cut() {
        for (Socket s : sockets) {
            abort(s);
        }
        sockets.clear();
    }

    /** {@code true}: stop listening, so that connecting fails at once; {@code false}: listen again on the same port. */
    synchronized void refuse(boolean refuse) throws IOException {
        if (refuse && !listener.isClosed()) {
            listener.close();
        } else if (!refuse && listener.isClosed()) {
            listen(port);
        }
    }

    void discardDownstream(boolean discard) {
        this.discardDownstream = discard;
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            Socket upstream;
            try {
                upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            } catch (IOException e) {
                abort(client);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            pump(client, upstream, false);
            pump(upstream, client, true);
        }
    }

    private void pump(Socket from, Socket to, boolean downstream) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!(downstream && discardDownstream)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the connection ended
            } finally {
                abort(from);
                abort(to);
            }
        }, "test-proxy-" + (downstream ? "down" : "up"));
        t.setDaemon(true);
        t.start();
    }

    private void abort(Socket s) {
        sockets.remove(s);
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cut();
    }
}
