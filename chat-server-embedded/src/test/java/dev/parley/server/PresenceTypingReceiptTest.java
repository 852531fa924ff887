package dev.parley.server;

import static dev.parley.server.testing.TestServer.direct;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PresenceTypingReceiptTest {
    private final TestServer server = TestServer.start(c -> c,
            l -> l.presenceGrace(Duration.ofMillis(200)).typingTimeout(Duration.ofMillis(300)));

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, String> text(String text) {
        return Map.of("text", text);
    }

    @Test
    void contactsSeeAUserComeOnlineAndGoOfflineAfterTheGracePeriod() {
        try (WsClient alice = server.signedIn("alice")) {
            server.user("bob");
            direct(alice, "bob");
            WsClient bob = server.signedIn("bob");
            JsonNode online = alice.awaitEvent("presence", e -> e.path("userId").asText().equals("bob")
                    && e.path("status").asText().equals("online"));
            assertThat(online.has("lastSeenAt")).isFalse();

            bob.disconnect();
            JsonNode offline = alice.awaitEvent("presence", e -> e.path("userId").asText().equals("bob")
                    && e.path("status").asText().equals("offline"));
            assertThat(offline.path("lastSeenAt").asText()).endsWith("Z");

            JsonNode query = alice.ok("presence", "userIds", List.of("bob", "alice", "stranger"));
            assertThat(query.path("presence")).hasSize(2);
            assertThat(query.path("presence").findValuesAsText("status")).containsExactlyInAnyOrder("offline", "online");
        }
    }

    @Test
    void aUserStaysOnlineWhileAnyDeviceIsConnected() {
        try (WsClient alice = server.signedIn("alice"); WsClient bobPhone = server.signedIn("bob")) {
            direct(alice, "bob");
            WsClient bobLaptop = server.signedIn("bob");
            bobLaptop.disconnect(); // the phone is still connected: bob stays online
            bobPhone.ok("send", "conversationId", direct(bobPhone, "alice"), "clientMsgId", "m", "body", text("still here"));
            alice.awaitEvent("message");
            JsonNode query = alice.ok("presence", "userIds", List.of("bob"));
            assertThat(query.path("presence").get(0).path("status").asText()).isEqualTo("online");
        }
    }

    @Test
    void typingStartAndStopReachTheOtherMemberAndAStartExpiresOnItsOwn() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            alice.ok("typing", "conversationId", dm, "state", "start");
            JsonNode start = bob.awaitEvent("typing");
            assertThat(start.path("conversationId").asText()).isEqualTo(dm);
            assertThat(start.path("userId").asText()).isEqualTo("alice");
            assertThat(start.path("state").asText()).isEqualTo("start");
            alice.sendWithoutId("typing", "conversationId", dm, "state", "stop");
            assertThat(bob.awaitEvent("typing").path("state").asText()).isEqualTo("stop");

            bob.sendWithoutId("typing", "conversationId", dm, "state", "start");
            assertThat(alice.awaitEvent("typing").path("state").asText()).isEqualTo("start");
            JsonNode expired = alice.awaitEvent("typing"); // nobody sent stop: the server does after typingTimeout
            assertThat(expired.path("state").asText()).isEqualTo("stop");
            assertThat(expired.path("userId").asText()).isEqualTo("bob");
            // the typist never sees its own indicator
            assertThat(bob.unconsumed()).noneMatch(f -> f.path("type").asText().equals("typing"));
        }
    }

    @Test
    void receiptsReachTheSenderAndALowerSeqIsAcceptedButIgnored() {
        try (WsClient alice = server.signedIn("alice"); WsClient bob = server.signedIn("bob")) {
            String dm = direct(alice, "bob");
            for (int i = 1; i <= 3; i++) {
                alice.ok("send", "conversationId", dm, "clientMsgId", "m-" + i, "body", text("m" + i));
            }
            bob.ok("receipt", "conversationId", dm, "kind", "delivered", "seq", 3);
            JsonNode delivered = alice.awaitEvent("receipt");
            assertThat(delivered.path("conversationId").asText()).isEqualTo(dm);
            assertThat(delivered.path("userId").asText()).isEqualTo("bob");
            assertThat(delivered.path("kind").asText()).isEqualTo("delivered");
            assertThat(delivered.path("seq").asLong()).isEqualTo(3);

            bob.sendWithoutId("receipt", "conversationId", dm, "kind", "read", "seq", 2);
            JsonNode read = alice.awaitEvent("receipt");
            assertThat(read.path("kind").asText()).isEqualTo("read");
            assertThat(read.path("seq").asLong()).isEqualTo(2);

            bob.ok("receipt", "conversationId", dm, "kind", "read", "seq", 1); // lower: ok, no event
            bob.ok("receipt", "conversationId", dm, "kind", "read", "seq", 3);
            // Events leave in order: had the lower one been announced, it would come first.
            JsonNode next = alice.awaitEvent("receipt");
            assertThat(next.path("seq").asLong()).isEqualTo(3);

            JsonNode summary = bob.ok("conversations").path("conversations").get(0);
            assertThat(summary.path("readSeq").asLong()).isEqualTo(3);
            assertThat(summary.path("unread").asLong()).isZero();

            JsonNode tooFar = bob.request("receipt", "conversationId", dm, "kind", "read", "seq", 99);
            assertThat(tooFar.path("error").path("code").asText()).isEqualTo("bad_request");
        }
    }
}
