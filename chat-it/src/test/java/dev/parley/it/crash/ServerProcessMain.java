package dev.parley.it.crash;

import dev.parley.core.ChatEngine;
import dev.parley.it.support.ServerProcess;
import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.store.jdbc.JdbcChatStore;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The server under test in its own JVM, started through {@link ServerProcess}: a
 * {@link ChatServer} on 127.0.0.1 (a free port) with the {@link DevelopmentAuthenticator} set
 * explicitly, on one of two stores:
 * <ul>
 *   <li>{@code sqlite <dataDir>}: the default SQLite store ({@code <dataDir>/parley.db}, WAL,
 *       {@code synchronous=FULL});</li>
 *   <li>{@code postgres <jdbcUrl> <user> <schema>}: the PostgreSQL store in that schema
 *       ({@code synchronous_commit} as the server has it, on by default).</li>
 * </ul>
 * Prints {@value ServerProcess#READY} followed by the bound port once it accepts connections,
 * then runs until it is killed. Never closes anything on purpose: the test kills it with SIGKILL.
 */
public final class ServerProcessMain {
    private ServerProcessMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        JdbcChatStore store = switch (args[0]) {
            case "sqlite" -> JdbcChatStore.sqlite(Path.of(args[1]).resolve("parley.db"));
            case "postgres" -> JdbcChatStore.builder().postgres(args[1]).postgresUser(args[2]).schema(args[3])
                    .readPoolSize(2).build();
            default -> throw new IllegalArgumentException("store must be sqlite or postgres: " + args[0]);
        };
        ChatEngine engine = ChatEngine.builder().store(store).build();
        // The storm measures durability, not rate limiting: lift the per-socket and per-user limits.
        ChatServerConfig config = ChatServerConfig.builder()
                .connectionRate(100_000, 100_000)
                .userRate(100_000, 100_000)
                .build();
        ChatServer server = ChatServer.builder()
                .host("127.0.0.1")
                .port(0)
                .engine(engine)
                .authenticator(new DevelopmentAuthenticator(engine))
                .config(config)
                .start();
        System.out.println(ServerProcess.READY + server.port());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
