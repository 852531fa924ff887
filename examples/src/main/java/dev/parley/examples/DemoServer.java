package dev.parley.examples;

import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import java.nio.file.Path;
import java.util.List;
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
 * {@code parley.data} (parley-data).
 */
public final class DemoServer {

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.getInteger("parley.port", 8080);
        String host = System.getProperty("parley.host", "127.0.0.1");
        Path data = Path.of(System.getProperty("parley.data", "parley-data"));
        ChatServer server = ChatServer.builder()
                .host(host)
                .port(port)
                .dataDir(data)
                .staticResources("dev/parley/examples/demo")
                .config(ChatServerConfig.builder()
                        .allowedOrigins(List.of("http://localhost:" + port, "http://127.0.0.1:" + port,
                                "http://" + host + ":" + port))
                        .build())
                .start();
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

    private DemoServer() {
    }
}
