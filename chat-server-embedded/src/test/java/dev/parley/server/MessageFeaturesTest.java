package dev.parley.server;

import static dev.parley.server.testing.TestServer.direct;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.tck.MutableClock;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Edits, deletion, reactions and pins over real sockets: the commands, their events and their errors. */
class MessageFeaturesTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, String> text(String text) {
        return Map.of("text", text);
    }

    private static JsonNode send(WsClient client, String conversationId, String clientMsgId, String text) {
        return client.ok("send", "conversationId", conversationId, "clientMsgId", clientMsgId, "body", text(text))
                .path("message");
    }

    private static String errorCode(JsonNode reply) {
        return reply.path("error").path("code").asText();
    }

    /** A ping round trip: every event published before it has been queued to this socket. */
    private static void sync(WsClient client) {
        client.ok("ping");
    }

    private static boolean hasEvent(WsClient client, String type) {
        return client.frames().stream().anyMatch(f -> !f.has("re") && type.equals(f.path("type").asText()));
    }

    @Test
    void editIsRepliedAndPushedToEveryDeviceWithTheSameSeq() {
        try (WsClient alice = server.signedIn("alice");
             WsClient bobPhone = server.signedIn("bob");
             WsClient bobLaptop = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            JsonNode sent = send(alice, dm, "a-1", "helo");
            String messageId = sent.path("id").asText();

            JsonNode reply = alice.ok("message.edit", "conversationId", dm, "messageId", messageId,
                    "body", text("hello"));

            JsonNode edited = reply.path("message");
            assertThat(edited.path("body").path("text").asText()).isEqualTo("hello");
            assertThat(edited.path("seq").asLong()).isEqualTo(1);
            assertThat(edited.path("editedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            for (WsClient device : List.of(alice, bobPhone, bobLaptop)) {
                JsonNode event = device.awaitEvent("message.edited");
                assertThat(event.path("message").path("id").asText()).isEqualTo(messageId);
                assertThat(event.path("message").path("seq").asLong()).isEqualTo(1);
                assertThat(event.path("message").path("body").path("text").asText()).isEqualTo("hello");
            }
            JsonNode edits = bobPhone.ok("message.edits", "conversationId", dm, "messageId", messageId);
            assertThat(edits.path("edits")).hasSize(1);
            assertThat(edits.path("edits").get(0).path("body").path("text").asText()).isEqualTo("helo");
            assertThat(edits.path("edits").get(0).path("editedAt").asText()).isEqualTo(edited.path("editedAt").asText());
            JsonNode next = send(bobPhone, dm, "b-1", "hi");
            assertThat(next.path("seq").asLong()).as("the edit took no seq").isEqualTo(2);
        }
    }

    @Test
    void reactionsArePushedAndSummarisedOnMessagesWithTheCallersOwnMarked() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            String messageId = send(alice, dm, "a-1", "pizza?").path("id").asText();

            bob.ok("reaction.add", "conversationId", dm, "messageId", messageId, "emoji", "🍕");
            bob.ok("reaction.add", "conversationId", dm, "messageId", messageId, "emoji", "🍕");

            JsonNode event = alice.awaitEvent("reaction");
            assertThat(event.path("conversationId").asText()).isEqualTo(dm);
            assertThat(event.path("messageId").asText()).isEqualTo(messageId);
            assertThat(event.path("seq").asLong()).isEqualTo(1);
            assertThat(event.path("userId").asText()).isEqualTo("bob");
            assertThat(event.path("emoji").asText()).isEqualTo("🍕");
            assertThat(event.path("action").asText()).isEqualTo("added");
            JsonNode forBob = bob.ok("history", "conversationId", dm).path("messages").get(0).path("reactions");
            assertThat(forBob.toString()).isEqualTo("[{\"emoji\":\"🍕\",\"count\":1,\"userIds\":[\"bob\"],\"me\":true}]");
            JsonNode forAlice = alice.ok("history", "conversationId", dm).path("messages").get(0).path("reactions");
            assertThat(forAlice.get(0).has("me")).isFalse();

            bob.ok("reaction.remove", "conversationId", dm, "messageId", messageId, "emoji", "🍕");
            assertThat(alice.awaitEvent("reaction").path("action").asText()).isEqualTo("removed");
            sync(alice);
            assertThat(alice.frames().stream().filter(f -> "reaction".equals(f.path("type").asText())))
                    .as("the repeated add announced nothing").hasSize(2);
        }
    }

    @Test
    void pinsArePushedAndListedNewestFirst() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            String first = send(alice, dm, "a-1", "first").path("id").asText();
            String second = send(alice, dm, "a-2", "second").path("id").asText();

            bob.ok("message.pin", "conversationId", dm, "messageId", first);
            alice.ok("message.pin", "conversationId", dm, "messageId", second);

            JsonNode event = alice.awaitEvent("pin");
            assertThat(event.toString()).isEqualTo("{\"type\":\"pin\",\"conversationId\":\"" + dm + "\",\"messageId\":\""
                    + first + "\",\"pinned\":true,\"userId\":\"bob\"}");
            JsonNode pins = bob.ok("pins", "conversationId", dm).path("messages");
            assertThat(List.of(pins.get(0).path("id").asText(), pins.get(1).path("id").asText()))
                    .containsExactly(second, first);
            assertThat(pins).hasSize(2);
            bob.ok("message.unpin", "conversationId", dm, "messageId", second);
            assertThat(alice.awaitEvent("pin", e -> !e.path("pinned").asBoolean()).path("messageId").asText())
                    .isEqualTo(second);
        }
    }

    @Test
    void deleteForEveryoneLeavesATombstoneAndIsPushedToAllMembers() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            String messageId = send(alice, dm, "a-1", "oops").path("id").asText();

            alice.ok("message.delete", "conversationId", dm, "messageId", messageId, "scope", "everyone");
            alice.ok("message.delete", "conversationId", dm, "messageId", messageId, "scope", "everyone");

            JsonNode event = bob.awaitEvent("message.deleted");
            assertThat(event.toString()).isEqualTo("{\"type\":\"message.deleted\",\"conversationId\":\"" + dm
                    + "\",\"messageId\":\"" + messageId + "\",\"seq\":1}");
            alice.awaitEvent("message.deleted");
            JsonNode tombstone = bob.ok("history", "conversationId", dm).path("messages").get(0);
            assertThat(tombstone.path("deleted").asBoolean()).isTrue();
            assertThat(tombstone.path("body").path("text").asText()).isEmpty();
            assertThat(tombstone.path("seq").asLong()).isEqualTo(1);
            sync(bob);
            assertThat(bob.frames().stream().filter(f -> "message.deleted".equals(f.path("type").asText())))
                    .as("deleting again is a no-op").hasSize(1);
        }
    }

    @Test
    void deleteForMeGoesOnlyToTheCallersDevicesAndLeavesAStubInItsHistory() {
        try (WsClient alice = server.signedIn("alice");
             WsClient bobPhone = server.signedIn("bob");
             WsClient bobLaptop = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            String messageId = send(alice, dm, "a-1", "for bob's eyes").path("id").asText();

            bobPhone.ok("message.delete", "conversationId", dm, "messageId", messageId, "scope", "me");

            for (WsClient device : List.of(bobPhone, bobLaptop)) {
                JsonNode event = device.awaitEvent("message.hidden");
                assertThat(event.path("messageId").asText()).isEqualTo(messageId);
                assertThat(event.path("seq").asLong()).isEqualTo(1);
            }
            JsonNode stub = bobLaptop.ok("history", "conversationId", dm).path("messages").get(0);
            assertThat(stub.path("hidden").asBoolean()).isTrue();
            assertThat(stub.path("deleted").asBoolean()).isTrue();
            assertThat(stub.path("body").path("text").asText()).isEmpty();
            assertThat(stub.path("seq").asLong()).isEqualTo(1);
            JsonNode forAlice = alice.ok("history", "conversationId", dm).path("messages").get(0);
            assertThat(forAlice.path("body").path("text").asText()).isEqualTo("for bob's eyes");
            assertThat(forAlice.has("hidden")).isFalse();
            sync(alice);
            assertThat(hasEvent(alice, "message.hidden")).isFalse();
            assertThat(hasEvent(alice, "message.deleted")).isFalse();
        }
    }

    @Test
    void deniedUpdatesGetTheDocumentedCodes() {
        try (WsClient alice = server.signedIn("alice");
             WsClient bob = server.signedIn("bob");
             WsClient dave = server.signedIn("dave")) {
            server.user("carol");
            String group = alice.ok("conversation.create", "kind", "group", "name", "Team",
                    "memberIds", List.of("bob", "carol")).path("conversation").path("id").asText();
            String dm = direct(alice, "bob");
            String byAlice = send(alice, group, "a-1", "agenda").path("id").asText();
            String inDm = send(alice, dm, "a-2", "private").path("id").asText();
            String doomed = send(alice, group, "a-3", "doomed").path("id").asText();
            alice.ok("message.delete", "conversationId", group, "messageId", doomed, "scope", "everyone");

            assertThat(errorCode(bob.request("message.edit", "conversationId", group, "messageId", byAlice,
                    "body", text("mine now")))).isEqualTo("forbidden");
            assertThat(errorCode(bob.request("message.pin", "conversationId", group, "messageId", byAlice)))
                    .isEqualTo("forbidden");
            assertThat(errorCode(bob.request("message.delete", "conversationId", group, "messageId", byAlice,
                    "scope", "everyone"))).isEqualTo("forbidden");
            assertThat(errorCode(dave.request("reaction.add", "conversationId", group, "messageId", byAlice,
                    "emoji", "👍"))).isEqualTo("forbidden");
            assertThat(errorCode(dave.request("message.edits", "conversationId", group, "messageId", byAlice)))
                    .isEqualTo("forbidden");
            assertThat(errorCode(bob.request("reaction.add", "conversationId", group, "messageId", doomed,
                    "emoji", "👍"))).isEqualTo("conflict");
            assertThat(errorCode(bob.request("reaction.add", "conversationId", group, "messageId", "nope",
                    "emoji", "👍"))).isEqualTo("not_found");
            assertThat(errorCode(bob.request("reaction.add", "conversationId", group, "messageId", inDm,
                    "emoji", "👍"))).as("a message of another conversation").isEqualTo("not_found");
            assertThat(errorCode(bob.request("reaction.add", "conversationId", group, "messageId", byAlice,
                    "emoji", "ok"))).isEqualTo("bad_request");
            assertThat(errorCode(bob.request("reaction.add", "conversationId", group, "messageId", byAlice,
                    "emoji", "👍".repeat(9)))).isEqualTo("too_large");
            assertThat(errorCode(bob.request("message.delete", "conversationId", group, "messageId", byAlice)))
                    .isEqualTo("bad_request");
            assertThat(errorCode(alice.request("message.edit", "conversationId", group, "messageId", doomed,
                    "body", text("back")))).isEqualTo("conflict");
        }
        server.assertServesNormalClient();
    }

    @Test
    void editingAfterTheWindowIsForbiddenWithAClearMessage() {
        MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatEngine engine = ChatEngine.builder().store(store).clock(clock).build();
             ChatServer timed = ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                     .authenticator(new DevelopmentAuthenticator(engine)).start();
             WsClient alice = WsClient.signedIn(timed.webSocketUri(), "alice")) {
            engine.putUser("bob", "bob");
            String dm = direct(alice, "bob");
            String messageId = send(alice, dm, "a-1", "yesterday's news").path("id").asText();
            clock.advance(Duration.ofHours(48).plusSeconds(1));

            JsonNode reply = alice.request("message.edit", "conversationId", dm, "messageId", messageId,
                    "body", text("today's news"));

            assertThat(errorCode(reply)).isEqualTo("forbidden");
            assertThat(reply.path("error").path("message").asText())
                    .isEqualTo("the edit window has passed: a message can be edited for 48 hours after it was sent");
        }
    }
}
