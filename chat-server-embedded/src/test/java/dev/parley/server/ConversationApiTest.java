package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.AccountsServer;
import dev.parley.server.testing.ApiClient;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Conversations over HTTP for clients without a socket: same rules and shapes as the socket. */
class ConversationApiTest {
    @TempDir
    Path dir;
    private AccountsServer server;
    private ApiClient api;
    private String alice;
    private String bob;
    private String carol;
    private String dm;

    @BeforeEach
    void start() {
        server = AccountsServer.start(dir);
        api = server.api();
        alice = server.signUp("alice");
        bob = server.signUp("bob");
        carol = server.signUp("carol");
        dm = server.server().engine().createDirect(server.userId(alice), server.userId(bob)).id();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, Object> message(String clientMsgId, String text) {
        return Map.of("clientMsgId", clientMsgId, "body", Map.of("text", text));
    }

    @Test
    void aMemberSendsOverHttpAndTheOtherMemberGetsItOnTheSocketAndInHistory() {
        try (WsClient aliceSocket = server.socket(alice)) {
            ApiClient.Response sent = api.post("/api/v1/conversations/" + dm + "/messages", bob, message("b-1", "hi over http"));
            assertThat(sent.status()).isEqualTo(201);
            JsonNode message = sent.json().path("message");
            assertThat(message.path("seq").asLong()).isEqualTo(1);
            assertThat(message.path("senderId").asText()).isEqualTo(server.userId(bob));
            JsonNode event = aliceSocket.awaitEvent("message");
            assertThat(event.path("message").path("id").asText()).isEqualTo(message.path("id").asText());

            ApiClient.Response retried = api.post("/api/v1/conversations/" + dm + "/messages", bob, message("b-1", "hi over http"));
            assertThat(retried.json().path("message").path("id").asText()).as("idempotent on clientMsgId")
                    .isEqualTo(message.path("id").asText());
        }
        api.post("/api/v1/conversations/" + dm + "/messages", alice, message("a-1", "second"));

        JsonNode history = api.get("/api/v1/conversations/" + dm + "/messages", alice).json();
        assertThat(history.path("messages")).extracting(m -> m.path("body").path("text").asText())
                .containsExactly("hi over http", "second");
        assertThat(history.path("hasMore").asBoolean()).isFalse();
        JsonNode older = api.get("/api/v1/conversations/" + dm + "/messages?beforeSeq=2&limit=1", alice).json();
        assertThat(older.path("messages")).extracting(m -> m.path("seq").asLong()).containsExactly(1L);
        JsonNode newer = api.get("/api/v1/conversations/" + dm + "/messages?afterSeq=1", alice).json();
        assertThat(newer.path("messages")).extracting(m -> m.path("seq").asLong()).containsExactly(2L);

        JsonNode list = api.get("/api/v1/conversations", bob).json().path("conversations");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("id").asText()).isEqualTo(dm);
        assertThat(list.get(0).path("lastMessage").path("body").path("text").asText()).isEqualTo("second");
        assertThat(list.get(0).path("unread").asLong()).isEqualTo(1);
        JsonNode members = api.get("/api/v1/conversations/" + dm + "/members", bob).json().path("members");
        assertThat(members).extracting(m -> m.path("role").asText()).containsOnly("member");
    }

    @Test
    void aNonMemberIsForbiddenToReadOrSend() {
        ApiClient.Response read = api.get("/api/v1/conversations/" + dm + "/messages", carol);
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.errorCode()).isEqualTo("forbidden");
        ApiClient.Response send = api.post("/api/v1/conversations/" + dm + "/messages", carol, message("c-1", "let me in"));
        assertThat(send.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/conversations/" + dm + "/members", carol).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/conversations/" + dm + "/messages", alice).json().path("messages")).isEmpty();
        assertThat(api.get("/api/v1/conversations/no-such-conversation/messages", carol).status()).isEqualTo(404);
    }

    @Test
    void invalidSendsAndQueriesAreBadRequests() {
        assertThat(api.post("/api/v1/conversations/" + dm + "/messages", alice, Map.of("clientMsgId", "x")).status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/conversations/" + dm + "/messages", alice, Map.of("body", Map.of("text", "no id")))
                .status()).isEqualTo(400);
        assertThat(api.post("/api/v1/conversations/" + dm + "/messages", alice, message("x", "y".repeat(4_001)))
                .status()).isEqualTo(413);
        assertThat(api.get("/api/v1/conversations/" + dm + "/messages?beforeSeq=soon", alice).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/conversations/" + dm + "/messages?limit=1000", alice).status()).isEqualTo(400);
    }
}
