package dev.parley.server;

import static dev.parley.server.testing.TestServer.direct;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ResumeTest {
    private final TestServer server = TestServer.start(c -> c.connectionRate(1_000, 1_000).userRate(1_000, 1_000),
            l -> l.maxResumePerConversation(50));

    @AfterEach
    void stop() {
        server.close();
    }

    private static void sendAll(WsClient client, String conversationId, String prefix, int count) {
        for (int i = 1; i <= count; i++) {
            client.ok("send", "conversationId", conversationId, "clientMsgId", prefix + i,
                    "body", Map.of("text", prefix + i));
        }
    }

    @Test
    void resumePushesTheMissedMessagesInOrderThenReplies() {
        try (WsClient alice = server.signedIn("alice")) {
            WsClient bob = server.signedIn("bob");
            String dm = direct(alice, "bob");
            sendAll(alice, dm, "seen-", 2);
            bob.awaitEvent("message", e -> e.path("message").path("seq").asLong() == 2);
            bob.disconnect();

            sendAll(alice, dm, "missed-", 4);

            try (WsClient back = server.signedIn("bob")) {
                long id = back.send("resume", "conversations", Map.of(dm, 2));
                JsonNode reply = back.awaitReply(id);
                assertThat(reply.path("replayed").asInt()).isEqualTo(4);
                assertThat(reply.path("truncated")).isEmpty();
                assertThat(reply.path("forbidden")).isEmpty();

                List<JsonNode> frames = back.frames();
                int replyAt = frames.indexOf(reply);
                List<JsonNode> replayed = frames.subList(0, replyAt).stream()
                        .filter(f -> "message".equals(f.path("type").asText())).toList();
                assertThat(replayed).extracting(f -> f.path("message").path("seq").asLong())
                        .containsExactly(3L, 4L, 5L, 6L);
                assertThat(replayed).extracting(f -> f.path("message").path("body").path("text").asText())
                        .containsExactly("missed-1", "missed-2", "missed-3", "missed-4");
            }
        }
    }

    @Test
    void aConversationWithMoreMissedThanTheMaximumIsTruncatedAndOthersAreReplayed() {
        try (WsClient alice = server.signedIn("alice")) {
            server.user("bob");
            server.user("carol");
            String busy = direct(alice, "bob");
            JsonNode group = alice.ok("conversation.create", "kind", "group", "name", "quiet", "memberIds", List.of("bob"));
            String quiet = group.path("conversation").path("id").asText();
            String notMine = direct(alice, "carol");
            sendAll(alice, busy, "b", 4);
            sendAll(alice, quiet, "q", 1);

            try (WsClient bob = server.signedIn("bob")) {
                JsonNode reply = bob.ok("resume", "conversations", Map.of(busy, 0, quiet, 0, notMine, 0),
                        "maxPerConversation", 3);
                assertThat(reply.path("replayed").asInt()).isEqualTo(1);
                assertThat(reply.path("truncated").findValuesAsText("")).isEmpty();
                assertThat(WsClient.strings(reply.path("truncated"))).containsExactly(busy);
                assertThat(WsClient.strings(reply.path("forbidden"))).containsExactly(notMine);
                List<JsonNode> messages = bob.frames().stream()
                        .filter(f -> "message".equals(f.path("type").asText())).toList();
                assertThat(messages).extracting(f -> f.path("message").path("conversationId").asText())
                        .containsExactly(quiet);
            }
        }
    }

    @Test
    void aLargeReplayGoesOutWithBackPressureWithoutOverflowingASmallQueue() throws Exception {
        server.close();
        try (TestServer small = TestServer.start(c -> c.outboundQueueMax(8).connectionRate(1_000, 1_000)
                .userRate(1_000, 1_000), l -> l.maxResumePerConversation(100));
             WsClient alice = small.signedIn("alice")) {
            small.user("bob");
            String dm = direct(alice, "bob");
            sendAll(alice, dm, "m", 60);
            try (WsClient bob = small.signedIn("bob")) {
                JsonNode reply = bob.ok("resume", "conversations", Map.of(dm, 0));
                assertThat(reply.path("replayed").asInt()).isEqualTo(60);
                assertThat(bob.frames().stream().filter(f -> "message".equals(f.path("type").asText()))).hasSize(60);
                assertThat(bob.isClosed()).isFalse();
            }
        }
    }
}
