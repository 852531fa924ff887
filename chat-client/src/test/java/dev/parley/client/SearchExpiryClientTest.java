package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.SearchPage;
import dev.parley.core.SearchRequest;
import dev.parley.core.event.ChatEvent.ConversationExpiryEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Search, expiry timers and time-to-live sends through the Java client against a real server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SearchExpiryClientTest {
    private final TestServer server = new TestServer();
    private final List<ConversationExpiryEvent> timers = new CopyOnWriteArrayList<>();
    private ChatClient alice;
    private ChatClient bob;
    private Conversation dm;

    @BeforeEach
    void connect() {
        server.engine.putUser("alice", "Alice");
        server.engine.putUser("bob", "Bob");
        dm = server.engine.createDirect("alice", "bob");
        alice = server.client("alice", new RecordingListener());
        bob = server.client("bob", new ChatClient.Listener() {
            @Override
            public void onConversationExpiry(ConversationExpiryEvent event) {
                timers.add(event);
            }
        });
        join(alice.connect());
        join(bob.connect());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void searchReturnsRankedHitsWithSnippets() {
        Message m = join(alice.send(dm.id(), "pancakes on sunday"));
        join(alice.send(dm.id(), "waffles on monday"));

        SearchPage page = join(bob.search("Pancakes"));

        assertThat(page.results()).singleElement().satisfies(hit -> {
            assertThat(hit.message().id()).isEqualTo(m.id());
            assertThat(hit.snippet()).isEqualTo("«pancakes» on sunday");
        });
        assertThat(page.nextCursor()).isNull();
        assertThat(join(bob.search(new SearchRequest("on", dm.id(), null, null, null, null, 1, null))).nextCursor())
                .isNotNull();
        Throwable t = bob.search(" ").handle((v, e) -> e).orTimeout(10, TimeUnit.SECONDS).join();
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        assertThat(((ChatException) cause).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void aTimerIsAnnouncedAndATtlSendIsAccepted() {
        join(alice.setExpiry(dm.id(), 3600));

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(timers).singleElement()
                .isEqualTo(new ConversationExpiryEvent(dm.id(), 3600, "alice")));
        Message m = join(alice.send(dm.id(), "gone in a minute", 60));
        assertThat(m.seq()).isEqualTo(1);
        assertThat(server.engine.expiry("bob", dm.id())).isEqualTo(3600);
    }
}
