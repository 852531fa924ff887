package dev.parley.server;

import static dev.parley.server.testing.TestServer.direct;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatLimits;
import dev.parley.server.testing.AccountsServer;
import dev.parley.server.testing.ApiClient;
import dev.parley.tck.MutableClock;
import dev.parley.server.testing.WsClient;
import dev.parley.store.jdbc.JdbcChatStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full-text search and message expiry over real sockets and HTTP, on the SQLite store. */
class SearchAndExpiryTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T09:00:00Z"));

    private static JsonNode send(WsClient client, String conversationId, String clientMsgId, String text) {
        return client.ok("send", "conversationId", conversationId, "clientMsgId", clientMsgId,
                "body", Map.of("text", text)).path("message");
    }

    @Test
    void searchOverTheSocketFindsOnlyTheCallersMessagesAndNeverFailsOnSyntax() {
        try (JdbcChatStore store = JdbcChatStore.sqlite(dir.resolve("chat.db"));
             ChatEngine engine = ChatEngine.builder().store(store).clock(clock).build();
             ChatServer server = ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                     .authenticator(new DevelopmentAuthenticator(engine)).start();
             WsClient alice = WsClient.signedIn(server.webSocketUri(), "alice");
             WsClient carol = WsClient.signedIn(server.webSocketUri(), "carol")) {
            engine.putUser("bob", "bob");
            String dm = direct(alice, "bob");
            String id = send(alice, dm, "a-1", "Dinner at <b>Luigi's</b> on Friday").path("id").asText();
            send(alice, dm, "a-2", "something else");

            JsonNode reply = alice.ok("search", "query", "friday dinner", "limit", 10);

            assertThat(reply.path("results")).hasSize(1);
            JsonNode hit = reply.path("results").get(0);
            assertThat(hit.path("message").path("id").asText()).isEqualTo(id);
            assertThat(hit.path("snippet").asText()).contains("«Dinner»").contains("«Friday»").contains("<b>");
            assertThat(hit.path("rank").asDouble()).isPositive();
            assertThat(reply.has("nextCursor")).isFalse();
            assertThat(carol.ok("search", "query", "dinner").path("results")).isEmpty();
            assertThat(carol.request("search", "query", "dinner", "conversationId", dm)
                    .path("error").path("code").asText()).isEqualTo("forbidden");
            for (String syntax : new String[] {"\"", "foo*", "NEAR(a b)", "a OR", ")"}) {
                assertThat(alice.request("search", "query", syntax).path("ok").asBoolean()).as(syntax).isTrue();
            }
            assertThat(alice.request("search", "query", " ").path("error").path("code").asText())
                    .isEqualTo("bad_request");
            assertThat(alice.request("search", "query", "x".repeat(201)).path("error").path("code").asText())
                    .isEqualTo("too_large");
            assertThat(alice.request("search", "query", "dinner", "after", "yesterday")
                    .path("error").path("code").asText()).isEqualTo("bad_request");
        }
    }

    @Test
    void aTimerMakesMessagesExpireAndMembersAreTold() {
        try (JdbcChatStore store = JdbcChatStore.sqlite(dir.resolve("chat.db"));
             ChatEngine engine = ChatEngine.builder().store(store).clock(clock)
                     .limits(ChatLimits.builder().expirySweepInterval(Duration.ofHours(1)).build()).build();
             ChatServer server = ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                     .authenticator(new DevelopmentAuthenticator(engine)).start();
             WsClient alice = WsClient.signedIn(server.webSocketUri(), "alice");
             WsClient bob = WsClient.signedIn(server.webSocketUri(), "bob")) {
            String dm = direct(alice, "bob");
            JsonNode kept = send(alice, dm, "a-0", "before the timer");

            assertThat(alice.ok("conversation.setExpiry", "conversationId", dm, "seconds", 60).path("seconds").asLong())
                    .isEqualTo(60);
            JsonNode timer = bob.awaitEvent("conversation.expiry");
            assertThat(timer.path("seconds").asLong()).isEqualTo(60);
            assertThat(timer.path("userId").asText()).isEqualTo("alice");
            JsonNode gone = send(alice, dm, "a-1", "this disappears");
            JsonNode ttl = alice.ok("send", "conversationId", dm, "clientMsgId", "a-2", "body",
                    Map.of("text", "so does this"), "ttlSeconds", 10).path("message");
            assertThat(alice.request("send", "conversationId", dm, "clientMsgId", "a-3", "body",
                    Map.of("text", "x"), "ttlSeconds", 1).path("error").path("code").asText()).isEqualTo("bad_request");

            clock.advance(Duration.ofSeconds(61));
            assertThat(engine.sweepExpired()).isEqualTo(2);

            JsonNode event = bob.awaitEvent("message.expired");
            assertThat(event.path("conversationId").asText()).isEqualTo(dm);
            assertThat(event.path("messageIds").toString())
                    .isEqualTo("[\"" + gone.path("id").asText() + "\",\"" + ttl.path("id").asText() + "\"]");
            assertThat(event.path("seqs").toString()).isEqualTo("[2,3]");
            JsonNode history = bob.ok("history", "conversationId", dm).path("messages");
            assertThat(history).hasSize(3);
            assertThat(history.get(0).path("body").path("text").asText()).isEqualTo("before the timer");
            assertThat(history.get(0).has("expired")).isFalse();
            assertThat(history.get(0).path("id").asText()).isEqualTo(kept.path("id").asText());
            for (int i = 1; i < 3; i++) {
                assertThat(history.get(i).path("deleted").asBoolean()).isTrue();
                assertThat(history.get(i).path("expired").asBoolean()).isTrue();
                assertThat(history.get(i).path("body").path("text").asText()).isEmpty();
            }
            assertThat(bob.ok("search", "query", "disappears").path("results")).isEmpty();
        }
    }

    @Test
    void searchOverHttp() {
        try (AccountsServer server = AccountsServer.start(dir)) {
            ApiClient api = server.api();
            String alice = server.signUp("alice");
            String bob = server.signUp("bob");
            String dm = server.server().engine().createDirect(server.userId(alice), server.userId(bob)).id();
            server.server().engine().sendAndWait(server.userId(alice), dm, "c-1",
                    new dev.parley.core.MessageBody("the quick brown fox"), null);

            ApiClient.Response found = api.get("/api/v1/search?query="
                    + URLEncoder.encode("QUICK fox", StandardCharsets.UTF_8), bob);
            assertThat(found.status()).isEqualTo(200);
            assertThat(found.json().path("results")).hasSize(1);
            assertThat(found.json().path("results").get(0).path("snippet").asText())
                    .isEqualTo("the «quick» brown «fox»");
            assertThat(api.get("/api/v1/search?query=" + URLEncoder.encode("NEAR(\"", StandardCharsets.UTF_8), bob)
                    .status()).isEqualTo(200);
            assertThat(api.get("/api/v1/search?query=", bob).status()).isEqualTo(400);
            assertThat(api.get("/api/v1/search?query=fox&limit=51", bob).status()).isEqualTo(400);
            assertThat(api.get("/api/v1/search?query=fox&conversationId=" + dm, bob).json().path("results"))
                    .hasSize(1);
        }
    }
}
