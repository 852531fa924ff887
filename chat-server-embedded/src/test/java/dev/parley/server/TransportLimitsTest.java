package dev.parley.server;

import static dev.parley.server.testing.TestServer.direct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Timeouts, frame size, rate limits, slow consumers and shutdown, each with its close code. */
class TransportLimitsTest {

    @Test
    void aSocketWithoutHelloIsClosedWith4401AfterTheHelloTimeout() {
        try (TestServer server = TestServer.start(c -> c.helloTimeout(Duration.ofMillis(300)));
             WsClient silent = server.connect()) {
            assertThat(silent.awaitClose()).isEqualTo(4401);
            server.assertServesNormalClient();
        }
    }

    @Test
    void theServerPingsAndClosesAnIdleClientWith4408WhileAPongingClientStays() {
        try (TestServer server = TestServer.start(c -> c.pingInterval(Duration.ofMillis(300)));
             WsClient idle = server.signedIn("idle");
             WsClient alive = server.signedIn("alive").autoPong(true)) {
            idle.awaitEvent("ping");
            await().atMost(Duration.ofSeconds(3)).until(() -> idle.webSocketPings() > 0);
            // the JDK client answers WebSocket pings by itself; that is not application activity
            assertThat(idle.awaitClose()).isEqualTo(4408);
            await().during(Duration.ofMillis(1_000)).atMost(Duration.ofSeconds(3)).until(() -> !alive.isClosed());
            alive.ok("ping");
        }
    }

    @Test
    void aFrameLargerThanTheMaximumClosesTheSocketWith1009() {
        try (TestServer server = TestServer.start(c -> c.maxFrameBytes(4_096));
             WsClient alice = server.signedIn("alice")) {
            String big = "{\"id\":9,\"type\":\"ping\",\"pad\":\"" + "x".repeat(5_000) + "\"}";
            alice.sendRaw(big);
            assertThat(alice.awaitClose()).isEqualTo(1009);
            server.assertServesNormalClient();
        }
    }

    @Test
    void theDefaultMaximumFrameIs64KiB() {
        try (TestServer server = TestServer.start(); WsClient alice = server.signedIn("alice")) {
            alice.sendRaw("{\"id\":1,\"type\":\"ping\",\"pad\":\"" + "x".repeat(60_000) + "\"}");
            assertThat(alice.awaitReply(1).path("ok").asBoolean()).isTrue();
            alice.sendRaw("{\"id\":2,\"type\":\"ping\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
            assertThat(alice.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void overTheRateLimitCommandsAreRateLimitedAndRepeatedAbuseClosesWith4429() {
        try (TestServer server = TestServer.start(c -> c.connectionRate(1, 5).rateLimitStrikes(4));
             WsClient flood = server.signedIn("flood")) {
            for (int i = 0; i < 12; i++) {
                flood.send("ping");
            }
            assertThat(flood.awaitClose()).isEqualTo(4429);
            List<JsonNode> limited = flood.frames().stream().filter(f -> f.has("error")).toList();
            // Burst 5: the 6th to 9th are refused; the 4th strike in a row closes the socket.
            assertThat(limited).extracting(f -> f.path("re").asLong()).containsExactly(6L, 7L, 8L, 9L);
            JsonNode error = limited.get(0).path("error");
            assertThat(error.path("code").asText()).isEqualTo("rate_limited");
            assertThat(error.path("retryable").asBoolean()).isTrue();
            assertThat(error.path("retryAfterMs").asLong()).isBetween(1L, 1_000L);
            server.assertServesNormalClient();
        }
    }

    @Test
    void theRateLimitOfAUserCoversAllItsSockets() {
        try (TestServer server = TestServer.start(c -> c.connectionRate(100, 100).userRate(1, 3));
             WsClient phone = server.signedIn("alice"); WsClient laptop = server.signedIn("alice")) {
            phone.ok("ping");
            laptop.ok("ping");
            phone.ok("ping");
            JsonNode limited = laptop.request("ping");
            assertThat(limited.path("error").path("code").asText()).isEqualTo("rate_limited");
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedWith4503WhileOthersKeepChatting() {
        AtomicInteger dropped = new AtomicInteger();
        AtomicInteger overflows = new AtomicInteger();
        ChatMetrics metrics = new ChatMetrics() {
            @Override
            public void outboundDropped(int frames) {
                overflows.incrementAndGet();
                dropped.addAndGet(frames);
            }
        };
        try (TestServer server = TestServer.start(c -> c.outboundQueueMax(64)
                .connectionRate(100_000, 100_000).userRate(100_000, 100_000), metrics);
             WsClient alice = server.signedIn("alice");
             WsClient slow = server.signedIn("slow");
             WsClient carol = server.signedIn("carol")) {
            String toSlow = direct(alice, "slow");
            String toCarol = direct(alice, "carol");
            slow.pause();
            String body = "y".repeat(3_900);
            int sent = 0;
            // Write until the kernel buffers towards the paused client are full and its queue overflows.
            while (server.server().connectionCount() == 3 && sent < 20_000) {
                List<Long> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) { // 20 frames back to alice: well within her queue
                    batch.add(alice.send("send", "conversationId", toSlow, "clientMsgId", "s-" + sent++,
                            "body", Map.of("text", body)));
                }
                batch.forEach(id -> assertThat(alice.awaitReply(id).path("ok").asBoolean()).isTrue());
                drain(alice); // her own message events

            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.server().connectionCount() == 2);

            alice.ok("send", "conversationId", toCarol, "clientMsgId", "c-1", "body", Map.of("text", "still fine"));
            carol.awaitEvent("message", e -> e.path("message").path("body").path("text").asText().equals("still fine"));

            slow.resume(); // reads what was written before the close, then the close frame
            assertThat(slow.awaitClose()).isEqualTo(4503);
            assertThat(overflows).as("one overflow, of the slow socket").hasValue(1);
            assertThat(dropped).as("its 64 waiting frames and the one that did not fit").hasValue(65);
            server.assertServesNormalClient();
        }
    }

    private static void drain(WsClient client) {
        while (true) {
            List<JsonNode> pending = client.unconsumed();
            if (pending.isEmpty()) {
                return;
            }
            client.await(f -> true, "any frame");
        }
    }

    @Test
    void closingTheServerClosesSocketsWith1001() {
        TestServer server = TestServer.start();
        try (WsClient alice = server.signedIn("alice")) {
            server.close();
            assertThat(alice.awaitClose()).isEqualTo(1001);
        } finally {
            server.close();
        }
    }
}
