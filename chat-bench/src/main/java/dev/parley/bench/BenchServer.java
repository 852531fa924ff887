package dev.parley.bench;

import dev.parley.core.ChatEngine;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import dev.parley.server.DevelopmentAuthenticator;

/**
 * The server side of the load benchmark: an embedded {@link ChatServer} on 127.0.0.1 with an
 * in-memory store, {@link DevelopmentAuthenticator} and lifted rate limits. {@link #start} runs it
 * in this JVM; {@link #main} runs it as its own process, prints {@code PORT <n>} and stops when
 * its standard input closes.
 */
public final class BenchServer {
    private BenchServer() {
    }

    static ChatServer start(int maxConnections) {
        InMemoryChatStore store = new InMemoryChatStore();
        ChatEngine engine = ChatEngine.builder().store(store).build();
        return ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                .authenticator(new DevelopmentAuthenticator(engine))
                .config(ChatServerConfig.builder().connectionRate(100_000, 100_000).userRate(100_000, 100_000)
                        .maxConnections(maxConnections).build())
                .start();
    }

    public static void main(String[] args) throws Exception {
        int maxConnections = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (ChatServer server = start(maxConnections)) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our standard input
            }
        }
    }
}
