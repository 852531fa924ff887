package dev.parley.it.crash;

import dev.parley.core.ChatEngine;
import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The server under test in its own JVM, started by {@link ServerProcess}: the default SQLite
 * store ({@code <dataDir>/parley.db}, WAL, {@code synchronous=FULL}) behind a {@link ChatServer}
 * on 127.0.0.1 with the {@link DevelopmentAuthenticator} set explicitly. Prints
 * {@value #READY} followed by the bound port once it accepts connections, then runs until it
 * is killed. Never closes anything on purpose: the test kills it with SIGKILL.
 *
 * <p>Arguments: {@code <dataDir> <port>} (port 0 picks a free one).
 */
public final class ServerProcessMain {
    /** The line prefix that tells the parent the port. */
    static final String READY = "PARLEY_READY port=";

    private ServerProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        exitWhenParentDies();
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        JdbcChatStore store = JdbcChatStore.sqlite(dataDir.resolve("parley.db"));
        ChatEngine engine = ChatEngine.builder().store(store).build();
        // The storm measures durability, not rate limiting: lift the per-socket and per-user limits.
        ChatServerConfig config = ChatServerConfig.builder()
                .connectionRate(100_000, 100_000)
                .userRate(100_000, 100_000)
                .build();
        ChatServer server = ChatServer.builder()
                .host("127.0.0.1")
                .port(port)
                .engine(engine)
                .authenticator(new DevelopmentAuthenticator(engine))
                .config(config)
                .start();
        System.out.println(READY + server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** The parent holds our stdin open; end of input means it is gone, and so must we be. */
    private static void exitWhenParentDies() {
        Thread watchdog = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is ever sent; just wait for the end
                }
            } catch (IOException e) {
                // treated like the end of input
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
