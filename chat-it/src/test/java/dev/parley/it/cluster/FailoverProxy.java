package dev.parley.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a load balancer does for the test's clients, in the smallest form: a TCP listener on
 * 127.0.0.1 that forwards each accepted connection to the first backend port in its preference
 * list that accepts one (a killed node refuses, so new connections go to the next node). A
 * backend that closes or resets closes the client side too, as the node's own sockets would.
 * Byte for byte, so the WebSocket handshake and frames pass unchanged.
 *
 * <p>The Java client takes one URI and reconnects to it: giving it this proxy's URI lets it
 * fail over without any change to the client, exactly as behind a real load balancer.
 */
final class FailoverProxy implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 1_000;

    private final List<Integer> backendPorts;
    private final ServerSocket listener;
    private final Map<Integer, AtomicInteger> connectionsTo = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** Listens on a free port of 127.0.0.1; {@code backendPorts} in order of preference. */
    FailoverProxy(String name, List<Integer> backendPorts) throws IOException {
        this.backendPorts = List.copyOf(backendPorts);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + listener.getLocalPort() + "/ws");
    }

    /** How many client connections were forwarded to {@code backendPort} so far. */
    int connectionsTo(int backendPort) {
        AtomicInteger n = connectionsTo.get(backendPort);
        return n == null ? 0 : n.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(client);
            Socket backend = connectToFirstLiveBackend();
            if (backend == null) {
                closeQuietly(client); // no node left: the client sees a failed connect and retries
                continue;
            }
            open.add(backend);
            pump(client, backend);
            pump(backend, client);
        }
    }

    private Socket connectToFirstLiveBackend() {
        for (int port : backendPorts) {
            Socket backend = new Socket();
            try {
                backend.setTcpNoDelay(true);
                backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
                connectionsTo.computeIfAbsent(port, p -> new AtomicInteger()).incrementAndGet();
                return backend;
            } catch (IOException e) {
                closeQuietly(backend); // refused: that node is down, try the next
            }
        }
        return null;
    }

    /** Copies {@code from} to {@code to} until either side ends, then closes both. */
    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // reset or closed: end both sides below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump-" + from.getPort());
        t.setDaemon(true);
        t.start();
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        open.forEach(this::closeQuietly);
    }
}
