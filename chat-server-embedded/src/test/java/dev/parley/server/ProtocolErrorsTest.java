package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bad input on an open socket gets a documented error and never kills the server. */
class ProtocolErrorsTest {
    private final TestServer server = TestServer.start();

    @AfterEach
    void stop() {
        try {
            server.assertServesNormalClient();
        } finally {
            server.close();
        }
    }

    private static JsonNode errorReplyTo(WsClient client, String raw) {
        client.sendRaw(raw);
        return client.await(f -> f.has("re") && f.has("error"), "error reply to " + raw);
    }

    @Test
    void malformedJsonIsABadRequestWithNullReAndTheSocketStaysOpen() {
        try (WsClient alice = server.signedIn("alice")) {
            JsonNode reply = errorReplyTo(alice, "{\"id\":7,\"type\":");
            assertThat(reply.get("re").isNull()).isTrue();
            assertThat(reply.path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(reply.path("error").path("retryable").asBoolean()).isFalse();
            alice.ok("ping");
        }
    }

    @Test
    void aFrameThatIsNotAnObjectIsABadRequest() {
        try (WsClient alice = server.signedIn("alice")) {
            JsonNode reply = errorReplyTo(alice, "[1,2,3]");
            assertThat(reply.get("re").isNull()).isTrue();
            assertThat(reply.path("error").path("code").asText()).isEqualTo("bad_request");
            alice.ok("ping");
        }
    }

    @Test
    void aCommandWithoutStringTypeIsABadRequestCarryingItsId() {
        try (WsClient alice = server.signedIn("alice")) {
            JsonNode missing = errorReplyTo(alice, "{\"id\":\"x-1\",\"conversationId\":\"c\"}");
            assertThat(missing.path("re").asText()).isEqualTo("x-1");
            assertThat(missing.path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(missing.path("error").path("message").asText()).contains("type");
            JsonNode number = errorReplyTo(alice, "{\"id\":2,\"type\":5}");
            assertThat(number.path("re").asLong()).isEqualTo(2);
            alice.ok("ping");
        }
    }

    @Test
    void anUnknownCommandTypeIsUnsupported() {
        try (WsClient alice = server.signedIn("alice")) {
            JsonNode reply = errorReplyTo(alice, "{\"id\":41,\"type\":\"teleport\"}");
            assertThat(reply.path("re").asLong()).isEqualTo(41);
            assertThat(reply.path("error").path("code").asText()).isEqualTo("unsupported");
            alice.ok("ping");
        }
    }

    @Test
    void anInvalidFieldIsABadRequestNamingIt() {
        try (WsClient alice = server.signedIn("alice")) {
            JsonNode reply = alice.request("history", "conversationId", "c", "limit", "ten");
            assertThat(reply.path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(reply.path("error").path("message").asText()).contains("limit");
        }
    }

    @Test
    void onlyPongTypingAndReceiptMayOmitTheId() {
        try (WsClient alice = server.signedIn("alice")) {
            alice.sendWithoutId("conversations");
            JsonNode reply = alice.await(f -> f.has("re"), "reply");
            assertThat(reply.get("re").isNull()).isTrue();
            assertThat(reply.path("error").path("code").asText()).isEqualTo("bad_request");
            assertThat(reply.path("error").path("message").asText()).contains("id is required");
            alice.sendWithoutId("pong");
            alice.ok("ping");
            assertThat(alice.unconsumed()).isEmpty(); // pong got no reply
        }
    }

    @Test
    void commandsBeforeHelloAreUnauthenticatedAndTheSocketStaysOpen() {
        try (WsClient anonymous = server.connect()) {
            JsonNode reply = anonymous.request("conversations");
            assertThat(reply.path("error").path("code").asText()).isEqualTo("unauthenticated");
            JsonNode ping = anonymous.request("ping");
            assertThat(ping.path("error").path("code").asText()).isEqualTo("unauthenticated");
            JsonNode hello = anonymous.ok("hello", "token", "dev:alice");
            assertThat(hello.path("user").path("id").asText()).isEqualTo("alice");
            anonymous.ok("conversations");
        }
    }

    @Test
    void helloWithABadTokenIsUnauthenticatedAndClosesWith4401() {
        try (WsClient client = server.connect()) {
            JsonNode reply = client.request("hello", "token", "not-a-token");
            assertThat(reply.path("error").path("code").asText()).isEqualTo("unauthenticated");
            assertThat(client.awaitClose()).isEqualTo(4401);
        }
        try (WsClient client = server.connect()) {
            JsonNode reply = client.request("hello", "token", "dev:not a valid id!");
            assertThat(reply.path("error").path("code").asText()).isEqualTo("unauthenticated");
            assertThat(client.awaitClose()).isEqualTo(4401);
        }
        try (WsClient client = server.connect()) {
            JsonNode reply = client.request("hello");
            assertThat(reply.path("error").path("code").asText()).isEqualTo("unauthenticated");
            assertThat(client.awaitClose()).isEqualTo(4401);
        }
    }

    @Test
    void aSecondHelloIsAConflict() {
        try (WsClient alice = server.signedIn("alice")) {
            JsonNode reply = alice.request("hello", "token", "dev:bob");
            assertThat(reply.path("error").path("code").asText()).isEqualTo("conflict");
            JsonNode again = alice.ok("presence", "userIds", java.util.List.of("alice"));
            assertThat(again.path("presence").get(0).path("userId").asText()).isEqualTo("alice");
        }
    }

    @Test
    void aBinaryFrameIsABadRequestAndTheSocketStaysOpen() {
        try (WsClient alice = server.signedIn("alice")) {
            alice.sendBinary(new byte[] {1, 2, 3});
            JsonNode reply = alice.await(f -> f.has("re"), "error reply");
            assertThat(reply.get("re").isNull()).isTrue();
            assertThat(reply.path("error").path("code").asText()).isEqualTo("bad_request");
            alice.ok("ping");
        }
    }

    @Test
    void pipelinedCommandsRunInOrderAfterTheHello() {
        try (WsClient client = server.connect()) {
            long hello = client.send("hello", "token", "dev:alice");
            long list = client.send("conversations");
            long ping = client.send("ping");
            assertThat(client.awaitReply(hello).path("ok").asBoolean()).isTrue();
            assertThat(client.awaitReply(list).path("ok").asBoolean()).isTrue();
            assertThat(client.awaitReply(ping).path("ok").asBoolean()).isTrue();
        }
    }
}
