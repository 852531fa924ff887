package dev.parley.client;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatLimits;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.server.ChatServer;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.server.ChatServerConfig;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real server on 127.0.0.1 with an in-memory store and the development authenticator,
 * plus helpers to build clients against it. The engine outlives {@link #restart()}, like a
 * durable store outlives a server process. Rate limits are raised so that tests can send
 * bursts; presence goes offline at once.
 */
final class TestServer implements AutoCloseable {
    final ChatEngine engine;
    private final ChatServerConfig config;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private ChatServer server;
    private final int port;

    TestServer() {
        this(Duration.ofSeconds(25));
    }

    TestServer(Duration pingInterval) {
        this(ChatServerConfig.builder().pingInterval(pingInterval)
                .connectionRate(100_000, 100_000).userRate(100_000, 100_000).build());
    }

    TestServer(ChatServerConfig config) {
        this.engine = ChatEngine.builder().store(new InMemoryChatStore())
                .limits(ChatLimits.builder().presenceGrace(Duration.ZERO).build()).build();
        this.config = config;
        this.server = ChatServer.builder().engine(engine).authenticator(new DevelopmentAuthenticator(engine))
                .config(config).port(0).start();
        this.port = server.port();
    }

    int port() {
        return port;
    }

    URI uri() {
        return server.webSocketUri();
    }

    void stop() {
        server.close();
    }

    /** Starts the server again on the same port with the same engine (and store). */
    void start() {
        server = ChatServer.builder().engine(engine).authenticator(new DevelopmentAuthenticator(engine))
                .config(config).port(port).start();
    }

    /** A client for {@code userId} with fast reconnects, closed with the server. */
    ChatClient client(String userId, URI uri, ChatClient.Listener listener) {
        ChatClient client = ChatClient.builder()
                .uri(uri)
                .token("dev:" + userId)
                .reconnect(Duration.ofMillis(20), Duration.ofMillis(200), 1.0)
                .requestTimeout(Duration.ofSeconds(20))
                .connectTimeout(Duration.ofSeconds(3))
                .listener(listener)
                .build();
        closeables.add(client);
        return client;
    }

    ChatClient client(String userId, ChatClient.Listener listener) {
        return client(userId, uri(), listener);
    }

    @Override
    public void close() {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
        server.close();
        engine.close();
    }
}
