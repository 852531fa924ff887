package dev.parley.examples;

import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The demo: a chat server with its web UI and embedded defaults (SQLite under
 * {@code ./parley-data}, password accounts, port 8080).
 *
 * <pre>
 * mvn -B -q install -DskipTests && mvn -B -q -pl examples exec:java
 * </pre>
 *
 * System properties: {@code parley.port} (8080), {@code parley.host} (127.0.0.1),
 * {@code parley.data} (parley-data), {@code parley.origins} (extra page origins allowed to open
 * a socket, comma separated, e.g. {@code http://192.168.1.20:8080} when listening on
 * {@code 0.0.0.0}).
 *
 * <p>Tests build the same server with {@link #builder(String, int, Path)} and add their own
 * options (a cheap password hasher, for one):
 *
 * <pre>{@code
 * try (ChatServer server = DemoServer.builder("127.0.0.1", port, dataDir)
 *         .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
 *         .start()) { ... }
 * }</pre>
 */
public final class DemoServer {
    /** Classpath directory of the web UI. */
    public static final String WEB_ROOT = "dev/parley/examples/demo";

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.getInteger("parley.port", 8080);
        String host = System.getProperty("parley.host", "127.0.0.1");
        Path data = Path.of(System.getProperty("parley.data", "parley-data"));
        List<String> extraOrigins = Arrays.stream(System.getProperty("parley.origins", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        ChatServer server = builder(host, port, data, extraOrigins).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "parley-demo-shutdown"));
        System.out.println();
        System.out.println("Parley demo is running: open http://localhost:" + server.port() + "/ in a browser");
        System.out.println("(data in " + data.toAbsolutePath() + "; Ctrl+C stops)");
        stopped.await();
    }

    /**
     * The demo server, not started: web UI at {@code /}, SQLite in {@code dataDir}, and the
     * page origins of this host and port allowed to open a socket.
     *
     * @param port a real port, not 0: the allowed page origins include it
     */
    public static ChatServer.Builder builder(String host, int port, Path dataDir) {
        return builder(host, port, dataDir, List.of());
    }

    /** As {@link #builder(String, int, Path)}, allowing {@code extraOrigins} as well. */
    public static ChatServer.Builder builder(String host, int port, Path dataDir, List<String> extraOrigins) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 1 || port > 65_535) {
            // The browser's Origin carries the port, so the allow-list needs the real one.
            throw new IllegalArgumentException("port must be 1 to 65535 (pick a free one first): " + port);
        }
        Set<String> origins = new LinkedHashSet<>(allowedOrigins(host, port));
        origins.addAll(extraOrigins);
        return ChatServer.builder()
                .host(host)
                .port(port)
                .dataDir(dataDir)
                .staticResources(WEB_ROOT)
                .config(ChatServerConfig.builder().allowedOrigins(origins).build());
    }

    /** The origins a browser on this machine shows for the demo page at {@code host:port}. */
    public static List<String> allowedOrigins(String host, int port) {
        Set<String> origins = new LinkedHashSet<>();
        origins.add("http://localhost:" + port);
        origins.add("http://127.0.0.1:" + port);
        origins.add("http://[::1]:" + port);
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            origins.add("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        }
        return List.copyOf(origins);
    }

    private DemoServer() {
    }
}
