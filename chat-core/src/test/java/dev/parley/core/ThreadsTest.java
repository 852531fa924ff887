package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.ChatEvent.ThreadEvent;
import dev.parley.core.event.ChatEvent.ThreadReadEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.local.InMemoryChatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Thread replies, root summaries, thread paging, thread cursors and thread events. */
class ThreadsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private ChatEngine engine;
    /** Owned by alice; bob and carol are members. */
    private Conversation group;
    private Message root;

    @BeforeEach
    void setUp() {
        engine = ChatEngine.builder().store(new InMemoryChatStore()).clock(clock).build();
        engine.subscribe(deliveries::add);
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            engine.putUser(user, user);
        }
        group = engine.createGroup("alice", "Team", List.of("bob", "carol"));
        root = say("alice", "release on friday?");
        deliveries.clear();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private Message say(String sender, String text) {
        return engine.sendAndWait(sender, group.id(), engine.toString() + System.nanoTime(), new MessageBody(text), null);
    }

    private Message reply(String sender, String rootId, String text) {
        return engine.sendWithOptions(sender, group.id(), "t-" + System.nanoTime(), new MessageBody(text),
                SendOptions.NONE.inThread(rootId)).join();
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private Message stored(String viewer, String messageId) {
        return engine.history(viewer, group.id(), null, null, 100).messages().stream()
                .filter(m -> m.id().equals(messageId)).findFirst().orElseThrow();
    }

    @Test
    void aReplyIsAConversationMessageAndTheRootCarriesTheSummary() {
        clock.advance(Duration.ofMinutes(1));
        Message r1 = reply("bob", root.id(), "yes");
        clock.advance(Duration.ofMinutes(1));
        Message r2 = reply("carol", root.id(), "ok");
        Message r3 = reply("bob", root.id(), "ship it");

        assertThat(r1.threadRootId()).isEqualTo(root.id());
        assertThat(List.of(r1.seq(), r2.seq(), r3.seq())).containsExactly(2L, 3L, 4L);
        // replies are in the conversation's history, in seq order, with no gaps
        assertThat(engine.history("alice", group.id(), null, null, 10).messages()).extracting(Message::seq)
                .containsExactly(1L, 2L, 3L, 4L);
        ThreadSummary summary = stored("alice", root.id()).thread();
        assertThat(summary.replyCount()).isEqualTo(3);
        assertThat(summary.lastReplySeq()).isEqualTo(4);
        assertThat(summary.lastReplyAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(summary.participants()).containsExactly("bob", "carol");
        assertThat(stored("alice", r1.id()).thread()).isNull();
    }

    @Test
    void membersGetTheMessageEventThenTheThreadEvent() {
        Message r1 = reply("bob", root.id(), "yes");

        assertThat(deliveries).hasSize(2);
        assertThat(deliveries.get(0).event()).isEqualTo(new MessageEvent(r1));
        ChatEvent second = deliveries.get(1).event();
        assertThat(second).isInstanceOfSatisfying(ThreadEvent.class, t -> {
            assertThat(t.rootId()).isEqualTo(root.id());
            assertThat(t.rootSeq()).isEqualTo(root.seq());
            assertThat(t.thread().replyCount()).isEqualTo(1);
            assertThat(t.thread().participants()).containsExactly("bob");
        });
        assertThat(deliveries.get(1).recipients()).containsExactlyInAnyOrder("alice", "bob", "carol");
    }

    @Test
    void aRetriedReplyCountsOnce() {
        MessageBody body = new MessageBody("yes");
        SendOptions inThread = SendOptions.NONE.inThread(root.id());
        Message first = engine.sendWithOptions("bob", group.id(), "same", body, inThread).join();
        deliveries.clear();
        Message again = engine.sendWithOptions("bob", group.id(), "same", body, inThread).join();

        assertThat(again).isEqualTo(first);
        assertThat(deliveries).isEmpty();
        assertThat(stored("alice", root.id()).thread().replyCount()).isEqualTo(1);
    }

    @Test
    void participantsStopAtTheCapButRepliesKeepCounting() {
        List<String> users = new java.util.ArrayList<>();
        for (int i = 0; i < ThreadSummary.MAX_PARTICIPANTS + 3; i++) {
            String user = "u" + i;
            engine.putUser(user, user);
            engine.addMember("alice", group.id(), user);
            users.add(user);
        }
        Message threadRoot = say("alice", "roll call");
        for (String user : users) {
            reply(user, threadRoot.id(), "here");
        }
        ThreadSummary summary = stored("alice", threadRoot.id()).thread();
        assertThat(summary.replyCount()).isEqualTo(users.size());
        assertThat(summary.participants()).containsExactlyElementsOf(users.subList(0, ThreadSummary.MAX_PARTICIPANTS));
    }

    @Test
    void threadHistoryPagesTheRepliesOnly() {
        for (int i = 1; i <= 5; i++) {
            reply("bob", root.id(), "r" + i);
            say("carol", "main " + i);
        }
        ThreadPage newest = engine.threadHistory("carol", group.id(), root.id(), null, null, 2);
        assertThat(newest.messages()).extracting(m -> m.body().text()).containsExactly("r4", "r5");
        assertThat(newest.hasMore()).isTrue();
        assertThat(newest.thread().root().id()).isEqualTo(root.id());
        assertThat(newest.thread().root().thread().replyCount()).isEqualTo(5);

        ThreadPage older = engine.threadHistory("carol", group.id(), root.id(),
                newest.messages().get(0).seq(), null, 10);
        assertThat(older.messages()).extracting(m -> m.body().text()).containsExactly("r1", "r2", "r3");
        assertThat(older.hasMore()).isFalse();

        ThreadPage after = engine.threadHistory("carol", group.id(), root.id(), null,
                older.messages().get(0).seq(), 2);
        assertThat(after.messages()).extracting(m -> m.body().text()).containsExactly("r2", "r3");
        assertThat(after.hasMore()).isTrue();
    }

    @Test
    void threadsListsRootsWithRepliesNewestReplyFirst() {
        Message other = say("bob", "lunch?");
        say("carol", "no thread here");
        reply("carol", root.id(), "a");
        reply("alice", other.id(), "b");

        List<ThreadView> threads = engine.threads("carol", group.id(), null, 10);
        assertThat(threads).extracting(t -> t.root().id()).containsExactly(other.id(), root.id());
        assertThat(threads.get(0).unread()).isEqualTo(1);
        assertThat(threads.get(1).unread()).isZero(); // carol's own reply

        List<ThreadView> next = engine.threads("carol", group.id(), threads.get(0).root().thread().lastReplySeq(), 10);
        assertThat(next).extracting(t -> t.root().id()).containsExactly(root.id());
    }

    @Test
    void threadReadCursorsMoveForwardOnlyAndCountUnread() {
        Message r1 = reply("bob", root.id(), "one");
        reply("carol", root.id(), "two");
        Message r3 = reply("bob", root.id(), "three");
        assertThat(engine.threadHistory("alice", group.id(), root.id(), null, null, 10).thread().unread()).isEqualTo(3);
        deliveries.clear();

        assertThat(engine.markThreadRead("alice", group.id(), root.id(), r1.seq())).isEqualTo(r1.seq());
        ThreadView view = engine.threadHistory("alice", group.id(), root.id(), null, null, 10).thread();
        assertThat(view.readSeq()).isEqualTo(r1.seq());
        assertThat(view.unread()).isEqualTo(2);
        // only alice's own devices hear about it
        assertThat(deliveries).singleElement().satisfies(d -> {
            assertThat(d.recipients()).isEqualTo(Set.of("alice"));
            assertThat(d.event()).isEqualTo(new ThreadReadEvent(group.id(), root.id(), "alice", r1.seq()));
        });

        deliveries.clear();
        assertThat(engine.markThreadRead("alice", group.id(), root.id(), 0)).isEqualTo(r1.seq());
        assertThat(deliveries).isEmpty();
        assertThat(engine.markThreadRead("alice", group.id(), root.id(), r3.seq())).isEqualTo(r3.seq());
        assertThat(engine.threads("alice", group.id(), null, 10).get(0).unread()).isZero();
        // bob's cursor is his own
        assertThat(engine.threads("bob", group.id(), null, 10).get(0).readSeq()).isZero();
        assertThat(engine.threads("bob", group.id(), null, 10).get(0).unread()).isEqualTo(1);
    }

    @Test
    void deletedAndHiddenRepliesAreNotUnreadButStayInTheThread() {
        Message r1 = reply("bob", root.id(), "oops");
        Message r2 = reply("bob", root.id(), "private");
        reply("bob", root.id(), "fine");
        engine.delete("bob", group.id(), r1.id(), DeleteScope.EVERYONE);
        engine.delete("alice", group.id(), r2.id(), DeleteScope.ME);

        ThreadPage page = engine.threadHistory("alice", group.id(), root.id(), null, null, 10);
        assertThat(page.messages()).hasSize(3);
        assertThat(page.messages().get(0).deleted()).isTrue();
        assertThat(page.messages().get(0).threadRootId()).isEqualTo(root.id());
        assertThat(page.messages().get(1).hidden()).isTrue();
        assertThat(page.messages().get(1).body().text()).isEmpty();
        assertThat(page.thread().unread()).isEqualTo(1);
        assertThat(page.thread().root().thread().replyCount()).isEqualTo(3);
    }

    @Test
    void aDeletedRootKeepsItsThreadButTakesNoNewReplies() {
        reply("bob", root.id(), "first");
        engine.delete("alice", group.id(), root.id(), DeleteScope.EVERYONE);

        assertCode(() -> reply("carol", root.id(), "late"), ErrorCode.CONFLICT);
        ThreadPage page = engine.threadHistory("carol", group.id(), root.id(), null, null, 10);
        assertThat(page.thread().root().deleted()).isTrue();
        assertThat(page.thread().root().thread().replyCount()).isEqualTo(1);
        assertThat(page.messages()).hasSize(1);
    }

    @Test
    void badThreadRootsAreRefused() {
        Message r1 = reply("bob", root.id(), "yes");
        Conversation direct = engine.createDirect("alice", "dave");
        Message elsewhere = engine.sendAndWait("alice", direct.id(), "d-1", new MessageBody("hi"), null);
        engine.addMember("alice", group.id(), "dave");
        Message system = engine.history("alice", group.id(), null, null, 100).messages().stream()
                .filter(Message::fromSystem).findFirst().orElseThrow();

        assertCode(() -> reply("carol", r1.id(), "nested"), ErrorCode.BAD_REQUEST);
        assertCode(() -> reply("carol", elsewhere.id(), "cross"), ErrorCode.NOT_FOUND);
        assertCode(() -> reply("carol", "01NOSUCHMESSAGE0000000000", "ghost"), ErrorCode.NOT_FOUND);
        assertCode(() -> reply("carol", system.id(), "on a system message"), ErrorCode.BAD_REQUEST);
        assertCode(() -> reply("carol", "", "empty"), ErrorCode.BAD_REQUEST);
        // nothing was stored by the refused sends
        assertThat(stored("alice", root.id()).thread().replyCount()).isEqualTo(1);
    }

    @Test
    void onlyMembersReadThreads() {
        reply("bob", root.id(), "yes");
        assertCode(() -> engine.threadHistory("dave", group.id(), root.id(), null, null, 10), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.threads("dave", group.id(), null, 10), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.markThreadRead("dave", group.id(), root.id(), 2), ErrorCode.FORBIDDEN);
        assertCode(() -> reply("dave", root.id(), "let me in"), ErrorCode.FORBIDDEN);

        engine.removeMember("alice", group.id(), "carol");
        assertCode(() -> engine.threadHistory("carol", group.id(), root.id(), null, null, 10), ErrorCode.FORBIDDEN);
    }

    @Test
    void badThreadRequestsAreRefused() {
        Message r1 = reply("bob", root.id(), "yes");

        assertCode(() -> engine.threadHistory("alice", group.id(), r1.id(), null, null, 10), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.threadHistory("alice", group.id(), "nope", null, null, 10), ErrorCode.NOT_FOUND);
        assertCode(() -> engine.threadHistory("alice", group.id(), root.id(), 5L, 1L, 10), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.threadHistory("alice", group.id(), root.id(), null, null, 0), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.threadHistory("alice", group.id(), null, null, null, 10), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.markThreadRead("alice", group.id(), root.id(), r1.seq() + 1), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.markThreadRead("alice", group.id(), root.id(), -1), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.threads("alice", group.id(), 0L, 10), ErrorCode.BAD_REQUEST);
        Message lonely = say("carol", "no replies yet");
        assertCode(() -> engine.markThreadRead("alice", group.id(), lonely.id(), 1), ErrorCode.BAD_REQUEST);
        assertThat(engine.threadHistory("alice", group.id(), lonely.id(), null, null, 10).messages()).isEmpty();
    }
}
