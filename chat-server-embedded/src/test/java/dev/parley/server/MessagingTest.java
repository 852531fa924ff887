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

class MessagingTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, String> text(String text) {
        return Map.of("text", text);
    }

    @Test
    void helloReplyCarriesSessionUserPingIntervalAndLimits() {
        try (WsClient alice = server.connect()) {
            JsonNode reply = alice.ok("hello", "token", "dev:alice", "client", Map.of("name", "test", "version", "1"));
            assertThat(reply.path("re").asLong()).isEqualTo(1);
            assertThat(reply.path("session").asText()).isNotEmpty();
            assertThat(reply.path("user").path("id").asText()).isEqualTo("alice");
            assertThat(reply.path("user").path("name").asText()).isEqualTo("alice");
            assertThat(reply.path("pingIntervalMs").asLong()).isEqualTo(25_000);
            assertThat(reply.path("limits").path("maxFrameBytes").asInt()).isEqualTo(65_536);
            assertThat(reply.path("limits").path("maxBodyChars").asInt()).isEqualTo(4_000);
            assertThat(alice.frames().get(0)).isEqualTo(reply);
        }
    }

    @Test
    void twoUsersChatInADirectConversationAndBothReceiveEachMessageInSeqOrder() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            JsonNode created = alice.ok("conversation.create", "kind", "direct", "userId", "bob");
            JsonNode conversation = created.path("conversation");
            String dm = conversation.path("id").asText();
            assertThat(conversation.path("kind").asText()).isEqualTo("direct");
            assertThat(WsClient.strings(conversation.path("memberIds")))
                    .containsExactlyInAnyOrder("alice", "bob");

            JsonNode first = alice.ok("send", "conversationId", dm, "clientMsgId", "a-1", "body", text("hi bob"));
            JsonNode second = bob.ok("send", "conversationId", dm, "clientMsgId", "b-1", "body", text("hi alice"));
            JsonNode third = alice.ok("send", "conversationId", dm, "clientMsgId", "a-2", "body", text("how are you?"));

            assertThat(List.of(first, second, third)).extracting(r -> r.path("message").path("seq").asLong())
                    .containsExactly(1L, 2L, 3L);
            JsonNode message = first.path("message");
            assertThat(message.path("senderId").asText()).isEqualTo("alice");
            assertThat(message.path("clientMsgId").asText()).isEqualTo("a-1");
            assertThat(message.path("createdAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

            for (WsClient client : List.of(alice, bob)) {
                for (long seq = 1; seq <= 3; seq++) {
                    long expected = seq;
                    JsonNode event = client.awaitEvent("message", e -> e.path("message").path("seq").asLong() == expected);
                    assertThat(event.path("message").path("conversationId").asText()).isEqualTo(dm);
                }
            }
            List<Long> bobSeqs = bob.frames().stream()
                    .filter(f -> "message".equals(f.path("type").asText()))
                    .map(f -> f.path("message").path("seq").asLong()).toList();
            assertThat(bobSeqs).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void creatingAnExistingDirectConversationReturnsTheSameOne() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String first = direct(alice, "bob");
            String again = direct(bob, "alice");
            assertThat(again).isEqualTo(first);
        }
    }

    @Test
    void everyDeviceOfAUserReceivesEvents() {
        try (WsClient alice = server.signedIn("alice");
             WsClient bobPhone = server.signedIn("bob");
             WsClient bobLaptop = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            alice.ok("send", "conversationId", dm, "clientMsgId", "m-1", "body", text("to both devices"));
            for (WsClient device : List.of(bobPhone, bobLaptop)) {
                JsonNode event = device.awaitEvent("message");
                assertThat(event.path("message").path("body").path("text").asText()).isEqualTo("to both devices");
            }
            // The sending device gets the event too, besides the reply.
            alice.awaitEvent("message");
            bobLaptop.ok("send", "conversationId", dm, "clientMsgId", "m-2", "body", text("from the laptop"));
            bobPhone.awaitEvent("message", e -> e.path("message").path("seq").asLong() == 2);
        }
    }

    @Test
    void resendingAClientMsgIdReturnsTheOriginalAndDeliversNothingNew() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            JsonNode original = alice.ok("send", "conversationId", dm, "clientMsgId", "same", "body", text("once"));
            JsonNode retry = alice.ok("send", "conversationId", dm, "clientMsgId", "same", "body", text("once"));
            assertThat(retry.path("message")).isEqualTo(original.path("message"));
            alice.ok("send", "conversationId", dm, "clientMsgId", "next", "body", text("twice"));
            bob.awaitEvent("message", e -> e.path("message").path("seq").asLong() == 2);
            assertThat(bob.frames().stream().filter(f -> "message".equals(f.path("type").asText()))).hasSize(2);
        }
    }

    @Test
    void historyAndConversationsPageWhatWasSent() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            for (int i = 1; i <= 5; i++) {
                alice.ok("send", "conversationId", dm, "clientMsgId", "m-" + i, "body", text("message " + i));
            }
            JsonNode page = bob.ok("history", "conversationId", dm, "limit", 2);
            assertThat(TestServer.texts(list(page.path("messages")))).containsExactly("message 4", "message 5");
            assertThat(page.path("hasMore").asBoolean()).isTrue();
            JsonNode older = bob.ok("history", "conversationId", dm, "beforeSeq", 4, "limit", 10);
            assertThat(TestServer.texts(list(older.path("messages"))))
                    .containsExactly("message 1", "message 2", "message 3");
            assertThat(older.path("hasMore").asBoolean()).isFalse();

            JsonNode conversations = bob.ok("conversations");
            JsonNode summary = conversations.path("conversations").get(0);
            assertThat(summary.path("id").asText()).isEqualTo(dm);
            assertThat(summary.path("lastSeq").asLong()).isEqualTo(5);
            assertThat(summary.path("unread").asLong()).isEqualTo(5);
            assertThat(summary.path("lastMessage").path("body").path("text").asText()).isEqualTo("message 5");
            assertThat(conversations.has("nextCursor")).isFalse();
        }
    }

    @Test
    void groupOwnerAddsAMemberWhoThenReceivesMessages() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob");
             WsClient carol = server.signedIn("carol")) {
            JsonNode group = alice.ok("conversation.create", "kind", "group", "name", "team", "memberIds", List.of("bob"));
            String id = group.path("conversation").path("id").asText();
            assertThat(group.path("conversation").path("name").asText()).isEqualTo("team");
            JsonNode denied = bob.request("conversation.addMember", "conversationId", id, "userId", "carol");
            assertThat(denied.path("error").path("code").asText()).isEqualTo("forbidden");
            alice.ok("conversation.addMember", "conversationId", id, "userId", "carol");
            carol.awaitEvent("conversation", e -> e.path("conversation").path("id").asText().equals(id));
            bob.ok("send", "conversationId", id, "clientMsgId", "b-1", "body", text("welcome carol"));
            carol.awaitEvent("message", e -> e.path("message").path("conversationId").asText().equals(id));
        }
    }

    @Test
    void aNonMemberCannotSendAndTheServerKeepsServing() {
        try (WsClient alice = server.signedIn("alice"); WsClient mallory = server.signedIn("mallory")) {
            server.user("bob");
            String dm = direct(alice, "bob");
            JsonNode reply = mallory.request("send", "conversationId", dm, "clientMsgId", "x", "body", text("let me in"));
            assertThat(reply.path("error").path("code").asText()).isEqualTo("forbidden");
            assertThat(reply.path("error").path("retryable").asBoolean()).isFalse();
            JsonNode history = mallory.request("history", "conversationId", dm);
            assertThat(history.path("error").path("code").asText()).isEqualTo("forbidden");
            mallory.ok("ping");
        }
        server.assertServesNormalClient();
    }

    @Test
    void engineValidationErrorsComeBackWithTheirCode() {
        try (WsClient alice = server.signedIn("alice")) {
            JsonNode unknown = alice.request("send", "conversationId", "nope", "clientMsgId", "x", "body", text("hi"));
            assertThat(unknown.path("error").path("code").asText()).isEqualTo("not_found");
            JsonNode kind = alice.request("conversation.create", "kind", "channel");
            assertThat(kind.path("error").path("code").asText()).isEqualTo("bad_request");
            JsonNode self = alice.request("conversation.create", "kind", "direct", "userId", "alice");
            assertThat(self.path("error").path("code").asText()).isEqualTo("bad_request");
        }
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    @Test
    void conversationMembersListsRolesAndReadCursorsToMembersOnly() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob");
             WsClient carol = server.signedIn("carol")) {
            String group = alice.ok("conversation.create", "kind", "group", "name", "team", "memberIds", List.of("bob"))
                    .path("conversation").path("id").asText();
            alice.ok("send", "conversationId", group, "clientMsgId", "m-1", "body", text("hello team"));
            bob.ok("receipt", "conversationId", group, "kind", "read", "seq", 1);

            JsonNode reply = alice.ok("conversation.members", "conversationId", group);
            JsonNode members = reply.path("members");
            assertThat(members).hasSize(2);
            JsonNode owner = members.findParents("userId").stream()
                    .filter(m -> m.path("userId").asText().equals("alice")).findFirst().orElseThrow();
            JsonNode member = members.findParents("userId").stream()
                    .filter(m -> m.path("userId").asText().equals("bob")).findFirst().orElseThrow();
            assertThat(owner.path("role").asText()).isEqualTo("owner");
            assertThat(member.path("role").asText()).isEqualTo("member");
            assertThat(member.path("readSeq").asLong()).isEqualTo(1);
            assertThat(member.path("deliveredSeq").asLong()).isEqualTo(1);
            assertThat(member.path("joinedAt").asText()).isNotEmpty();

            JsonNode outsider = carol.request("conversation.members", "conversationId", group);
            assertThat(outsider.path("error").path("code").asText()).isEqualTo("forbidden");
            JsonNode missing = carol.request("conversation.members");
            assertThat(missing.path("error").path("code").asText()).isEqualTo("bad_request");
        }
    }
}
