package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ChatLimits;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** A {@link ChatServer} on 127.0.0.1, a free port and an in-memory store, for one test. */
public final class TestServer implements AutoCloseable {
    private final InMemoryChatStore store = new InMemoryChatStore();
    private final ChatServer server;
    private final AtomicInteger probes = new AtomicInteger();

    private TestServer(UnaryOperator<ChatServerConfig.Builder> config, UnaryOperator<ChatLimits.Builder> limits,
                       ChatMetrics metrics) {
        this.server = ChatServer.builder()
                .host("127.0.0.1")
                .port(0)
                .store(store)
                .limits(limits.apply(ChatLimits.builder()).build())
                .config(config.apply(ChatServerConfig.builder()).build())
                .metrics(metrics)
                .start();
    }

    public static TestServer start() {
        return new TestServer(b -> b, b -> b, ChatMetrics.none());
    }

    public static TestServer start(UnaryOperator<ChatServerConfig.Builder> config) {
        return new TestServer(config, b -> b, ChatMetrics.none());
    }

    public static TestServer start(UnaryOperator<ChatServerConfig.Builder> config,
                                   UnaryOperator<ChatLimits.Builder> limits) {
        return new TestServer(config, limits, ChatMetrics.none());
    }

    /** A server that reports to {@code metrics}. */
    public static TestServer start(UnaryOperator<ChatServerConfig.Builder> config, ChatMetrics metrics) {
        return new TestServer(config, b -> b, metrics);
    }

    public ChatServer server() {
        return server;
    }

    /** Creates a user without connecting it (no presence state). */
    public void user(String userId) {
        server.engine().putUser(userId, userId);
    }

    public URI ws() {
        return server.webSocketUri();
    }

    public WsClient connect() {
        return WsClient.connect(ws());
    }

    public WsClient signedIn(String userId) {
        return WsClient.signedIn(ws(), userId);
    }

    /** Opens a direct conversation between {@code a}'s user and {@code otherUserId}; returns its id. */
    public static String direct(WsClient a, String otherUserId) {
        JsonNode reply = a.ok("conversation.create", "kind", "direct", "userId", otherUserId);
        return reply.path("conversation").path("id").asText();
    }

    /** Asserts that a fresh client can still sign in and chat: the server survived whatever the test did. */
    public void assertServesNormalClient() {
        String a = "probe-a" + probes.incrementAndGet();
        String b = "probe-b" + probes.get();
        try (WsClient first = signedIn(a); WsClient second = signedIn(b)) {
            String dm = direct(first, b);
            JsonNode sent = first.ok("send", "conversationId", dm, "clientMsgId", "probe", "body",
                    java.util.Map.of("text", "still there?"));
            assertThat(sent.path("message").path("seq").asLong()).isEqualTo(1);
            second.awaitEvent("message", e -> e.path("message").path("conversationId").asText().equals(dm));
        }
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }

    public static List<String> texts(List<JsonNode> messages) {
        return messages.stream().map(m -> m.path("body").path("text").asText()).toList();
    }
}
