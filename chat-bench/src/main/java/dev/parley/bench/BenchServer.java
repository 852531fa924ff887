package dev.parley.bench;

import dev.parley.core.ChatEngine;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.ChatStore;
import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The server side of the load benchmarks: an embedded {@link ChatServer} on 127.0.0.1 with
 * {@link DevelopmentAuthenticator} and lifted rate limits, on an in-memory store (persistence
 * off) or on the default SQLite store (persistence on, as Parley runs by default). {@link #start}
 * runs it in this JVM; {@link #main} runs it as its own process: it prints {@code PORT <n>},
 * answers a {@code gc} line on standard input with a full GC and {@code GC}, and stops when its
 * standard input closes.
 *
 * <pre>
 * java -cp … dev.parley.bench.BenchServer [maxConnections [memory | sqlite &lt;database file&gt;]]
 * </pre>
 */
public final class BenchServer {
    private BenchServer() {
    }

    static ChatServer start(int maxConnections) {
        return start(maxConnections, new InMemoryChatStore());
    }

    static ChatServer start(int maxConnections, ChatStore store) {
        ChatEngine engine = ChatEngine.builder().store(store).build();
        return ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                .authenticator(new DevelopmentAuthenticator(engine))
                .config(ChatServerConfig.builder().connectionRate(100_000, 100_000).userRate(100_000, 100_000)
                        .maxConnections(maxConnections)
                        // -Dparley.bench.acceptQueueSize=50 reproduces Jetty's default backlog
                        .acceptQueueSize(Integer.getInteger("parley.bench.acceptQueueSize", 1_024)).build())
                .start();
    }

    public static void main(String[] args) throws Exception {
        int maxConnections = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        String mode = args.length > 1 ? args[1] : "memory";
        ChatStore store = switch (mode) {
            case "memory" -> new InMemoryChatStore();
            case "sqlite" -> {
                if (args.length < 3) {
                    throw new IllegalArgumentException("sqlite needs the database file: sqlite <file>");
                }
                yield JdbcChatStore.builder().sqlite(Path.of(args[2])).build();
            }
            default -> throw new IllegalArgumentException("store must be memory or sqlite <file>, not " + mode);
        };
        ChatServer server = start(maxConnections, store);
        // closed in reverse: the server first, then its engine, then the store
        try (store; ChatEngine engine = server.engine(); server) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) { // until the parent closes our standard input
                if (line.trim().equals("gc")) {
                    System.gc();
                    System.out.println("GC");
                    System.out.flush();
                }
            }
        }
    }
}
