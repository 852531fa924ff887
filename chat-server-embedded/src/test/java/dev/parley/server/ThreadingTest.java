package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.Principal;
import dev.parley.server.testing.WsClient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Commands run on worker threads, in order per socket, and one slow command holds up no other socket. */
class ThreadingTest {
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> threads = new CopyOnWriteArrayList<>();

    /** Signs in anyone; "slow" waits until the test releases it, as a store or IdP under load would. */
    private final Authenticator authenticator = token -> {
        threads.add(Thread.currentThread().getName());
        if (token.equals("slow")) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return Optional.of(new Principal(token, token));
    };

    @Test
    void aBlockedCommandDelaysOnlyItsOwnSocketWhoseLaterCommandsKeepTheirOrder() {
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatServer server = ChatServer.builder().port(0).store(store).authenticator(authenticator).start();
             WsClient blocked = WsClient.connect(server.webSocketUri());
             WsClient other = WsClient.connect(server.webSocketUri())) {
            long hello = blocked.send("hello", "token", "slow");
            long ping = blocked.send("ping");

            other.ok("hello", "token", "quick");
            other.ok("ping");
            assertThat(blocked.unconsumed()).isEmpty();

            release.countDown();
            JsonNode helloReply = blocked.awaitReply(hello);
            JsonNode pingReply = blocked.awaitReply(ping);
            assertThat(helloReply.path("ok").asBoolean()).isTrue();
            assertThat(pingReply.path("ok").asBoolean()).isTrue();
            assertThat(blocked.frames()).containsExactly(helloReply, pingReply);
            assertThat(threads).allMatch(name -> name.startsWith("parley-worker-"));
        }
    }

    @Test
    void commandsRunOnTheHostsExecutorWhenGivenOne() {
        ExecutorService host = Executors.newFixedThreadPool(2, r -> new Thread(r, "host-pool"));
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatServer server = ChatServer.builder().port(0).store(store).authenticator(authenticator)
                     .executor(host).start();
             WsClient client = WsClient.connect(server.webSocketUri())) {
            client.ok("hello", "token", "alice");
            assertThat(threads).containsExactly("host-pool");
        } finally {
            assertThat(host.isShutdown()).as("the server does not shut down the host's executor").isFalse();
            host.shutdownNow();
        }
    }
}
