package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** System messages and mentions over real sockets. */
class SystemMessagesAndMentionsTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static String group(WsClient owner, String... members) {
        return owner.ok("conversation.create", "kind", "group", "name", "Team", "memberIds", List.of(members))
                .path("conversation").path("id").asText();
    }

    @Test
    void addingAMemberPushesASystemMessageThatHistoryKeeps() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            server.user("carol");
            String team = group(alice, "bob");

            alice.ok("conversation.addMember", "conversationId", team, "userId", "carol");

            JsonNode event = bob.awaitEvent("message", e -> e.path("message").has("system"));
            JsonNode message = event.path("message");
            assertThat(message.path("senderId").asText()).isEqualTo("alice");
            assertThat(message.path("system").path("type").asText()).isEqualTo("member.added");
            assertThat(message.path("system").path("userId").asText()).isEqualTo("carol");
            assertThat(message.path("system").has("role")).isFalse();
            JsonNode history = bob.ok("history", "conversationId", team).path("messages");
            assertThat(history).hasSize(1);
            assertThat(history.get(0).path("system").path("type").asText()).isEqualTo("member.added");
            JsonNode refused = alice.request("reaction.add", "conversationId", team,
                    "messageId", message.path("id").asText(), "emoji", "👍");
            assertThat(refused.path("error").path("code").asText()).isEqualTo("bad_request");
        }
    }

    @Test
    void mentionsTravelWithTheMessageAndCountInTheConversationList() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String team = group(alice, "bob");

            JsonNode sent = alice.ok("send", "conversationId", team, "clientMsgId", "a-1",
                    "body", Map.of("text", "@bob hi"), "mentions", List.of("bob", "bob")).path("message");
            assertThat(WsClient.strings(sent.path("mentions"))).containsExactly("bob");
            JsonNode refused = alice.request("send", "conversationId", team, "clientMsgId", "a-2",
                    "body", Map.of("text", "hi"), "mentions", List.of("carol"));
            assertThat(refused.path("error").path("code").asText()).isEqualTo("bad_request");

            JsonNode list = bob.ok("conversations").path("conversations");
            assertThat(list.get(0).path("mentionsUnread").asLong()).isEqualTo(1);
            assertThat(list.get(0).path("lastMessage").path("mentions").get(0).asText()).isEqualTo("bob");
        }
    }
}
