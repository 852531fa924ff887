package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.DeleteScope;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.MessageEdit;
import dev.parley.core.ReactionSummary;
import dev.parley.core.event.ChatEvent.MessageDeletedEvent;
import dev.parley.core.event.ChatEvent.MessageHiddenEvent;
import dev.parley.core.event.ChatEvent.PinEvent;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ReactionAction;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Edits, deletion, reactions and pins through the Java client against a real server. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MessageFeaturesClientTest {
    private final TestServer server = new TestServer();
    private final RecordingListener a = new RecordingListener();
    private final RecordingListener b = new RecordingListener();
    private ChatClient alice;
    private ChatClient bob;
    private Conversation dm;

    @BeforeEach
    void connect() {
        server.engine.putUser("alice", "Alice");
        server.engine.putUser("bob", "Bob");
        dm = server.engine.createDirect("alice", "bob");
        alice = server.client("alice", a);
        bob = server.client("bob", b);
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

    private static ErrorCode failure(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).orTimeout(10, TimeUnit.SECONDS).join();
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        assertThat(cause).isInstanceOf(ChatException.class);
        return ((ChatException) cause).code();
    }

    private Message sendAndAwait(String text) {
        Message m = join(alice.send(dm.id(), text));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.messages).extracting(Message::id)
                .contains(m.id()));
        return m;
    }

    @Test
    void anEditReachesTheOtherSideAsAnUpdateNotAsANewMessage() {
        Message m = sendAndAwait("helo");

        Message edited = join(alice.edit(dm.id(), m.id(), "hello"));

        assertThat(edited.seq()).isEqualTo(m.seq());
        assertThat(edited.editedAt()).isNotNull();
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.edited).singleElement()
                .satisfies(e -> {
                    assertThat(e.id()).isEqualTo(m.id());
                    assertThat(e.body().text()).isEqualTo("hello");
                }));
        assertThat(b.messages).hasSize(1);
        assertThat(bob.lastSeq(dm.id())).hasValue(1);
        assertThat(join(bob.edits(dm.id(), m.id()))).extracting(MessageEdit::body)
                .extracting(body -> body.text()).containsExactly("helo");

        Message next = join(alice.send(dm.id(), "and more"));
        assertThat(next.seq()).isEqualTo(2);
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.seqs(dm.id())).containsExactly(1L, 2L));
    }

    @Test
    void reactionsArePushedAndShowOnTheMessage() {
        Message m = sendAndAwait("lunch?");

        join(bob.react(dm.id(), m.id(), "🍕"));

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.reactions).containsExactly(
                new ReactionEvent(dm.id(), m.id(), 1, "bob", "🍕", ReactionAction.ADDED)));
        Message read = join(bob.history(dm.id(), null, null, 10)).messages().get(0);
        assertThat(read.reactions()).containsExactly(new ReactionSummary("🍕", 1, List.of("bob"), true));
        join(bob.unreact(dm.id(), m.id(), "🍕"));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.reactions).hasSize(2));
        assertThat(failure(bob.react(dm.id(), m.id(), "yes"))).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void pinsArePushedAndListed() {
        Message m = sendAndAwait("the plan");

        join(bob.pin(dm.id(), m.id()));

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.pins)
                .containsExactly(new PinEvent(dm.id(), m.id(), true, "bob")));
        assertThat(join(alice.pins(dm.id()))).extracting(Message::id).containsExactly(m.id());
        join(alice.unpin(dm.id(), m.id()));
        assertThat(join(bob.pins(dm.id()))).isEmpty();
    }

    @Test
    void deletesAreToldAsUpdatesAndTheNextMessageStillArrives() {
        Message first = sendAndAwait("first");
        Message second = sendAndAwait("second");

        join(bob.delete(dm.id(), first.id(), DeleteScope.ME));
        join(alice.delete(dm.id(), second.id(), DeleteScope.EVERYONE));

        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> {
            assertThat(b.hidden).containsExactly(new MessageHiddenEvent(dm.id(), first.id(), 1));
            assertThat(b.deleted).containsExactly(new MessageDeletedEvent(dm.id(), second.id(), 2));
            assertThat(a.deleted).containsExactly(new MessageDeletedEvent(dm.id(), second.id(), 2));
        });
        assertThat(a.hidden).as("hiding is bob's alone").isEmpty();
        List<Message> history = join(bob.history(dm.id(), null, null, 10)).messages();
        assertThat(history).extracting(Message::seq).containsExactly(1L, 2L);
        assertThat(history.get(0).hidden()).isTrue();
        assertThat(history.get(1).deleted()).isTrue();
        assertThat(history.get(1).hidden()).isFalse();

        join(alice.send(dm.id(), "third"));
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.seqs(dm.id()))
                .containsExactly(1L, 2L, 3L));
    }

    @Test
    void deniedUpdatesFailWithTheServersCode() {
        Message m = sendAndAwait("mine");

        assertThat(failure(bob.edit(dm.id(), m.id(), "yours"))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(failure(bob.delete(dm.id(), m.id(), DeleteScope.EVERYONE))).isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(failure(bob.react(dm.id(), "no-such-message", "👍"))).isEqualTo(ErrorCode.NOT_FOUND);
        join(alice.delete(dm.id(), m.id(), DeleteScope.EVERYONE));
        assertThat(failure(bob.react(dm.id(), m.id(), "👍"))).isEqualTo(ErrorCode.CONFLICT);
    }
}
