package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.HistoryPage;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.ThreadSummary;
import dev.parley.core.ThreadView;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.NewMessage;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} does with threads: root summaries kept in the reply's append, thread paging,
 * the thread list and per-reader thread read cursors.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}, which
 * must return an empty store every time (see {@link SystemMentionsContract} for the lifecycle:
 * the contract opens the store before each test, stores the users alice, bob and carol and {@link #group},
 * and closes {@link #store} after it).
 *
 * @since 0.1.0
 */
public abstract class ThreadStoreContract extends GroupOfThreeContract {
    private AppendResult append(String senderId, String text, String threadRootId) {
        return append(senderId, text, threadRootId, data.id("c"));
    }

    private AppendResult append(String senderId, String text, String threadRootId, String clientMsgId) {
        NewMessage m = new NewMessage(data.id("m"), group.id(), senderId, clientMsgId, new MessageBody(text), null,
                data.now(), null, null, List.of(), threadRootId);
        data.tick();
        return store.append(m, r -> { }).join();
    }

    private Message say(String senderId, String text) {
        return append(senderId, text, null).message();
    }

    @Test
    void aReplyUpdatesTheRootSummaryInTheSameAppend() {
        Message root = say("alice", "root");
        List<AppendResult> seen = new CopyOnWriteArrayList<>();
        NewMessage reply = new NewMessage(data.id("m"), group.id(), "bob", "r-1", new MessageBody("reply"), null,
                data.now(), null, null, List.of(), root.id());
        AppendResult result = store.append(reply, seen::add).join();

        assertThat(result.duplicate()).isFalse();
        assertThat(result.message().threadRootId()).isEqualTo(root.id());
        assertThat(result.message().seq()).isEqualTo(2);
        assertThat(result.root().id()).isEqualTo(root.id());
        assertThat(result.root().thread()).isEqualTo(new ThreadSummary(1, 2, result.message().createdAt(), List.of("bob")));
        assertThat(seen).containsExactly(result);

        Message readBack = store.findMessage(root.id(), "carol").orElseThrow();
        assertThat(readBack.thread()).isEqualTo(result.root().thread());
        assertThat(store.history(group.id(), null, null, 10, "carol").messages())
                .extracting(Message::threadRootId).containsExactly(null, root.id());
        // a conversation list's last message carries its thread root too
        assertThat(store.conversationsOf("carol", 10, null).conversations().get(0).lastMessage().threadRootId())
                .isEqualTo(root.id());
    }

    @Test
    void summariesCountEveryReplyAndNameRepliersInFirstReplyOrder() {
        Message root = say("alice", "root");
        append("carol", "1", root.id());
        append("bob", "2", root.id());
        Message last = append("carol", "3", root.id()).message();

        ThreadSummary summary = store.findMessage(root.id(), null).orElseThrow().thread();
        assertThat(summary.replyCount()).isEqualTo(3);
        assertThat(summary.lastReplySeq()).isEqualTo(last.seq());
        assertThat(summary.lastReplyAt()).isEqualTo(last.createdAt());
        assertThat(summary.participants()).containsExactly("carol", "bob");
    }

    @Test
    void aDuplicateReplyChangesNoSummary() {
        Message root = say("alice", "root");
        AppendResult first = append("bob", "once", root.id(), "same-key");
        AppendResult again = append("bob", "once", root.id(), "same-key");

        assertThat(again.duplicate()).isTrue();
        assertThat(again.message()).isEqualTo(first.message());
        assertThat(store.findMessage(root.id(), null).orElseThrow().thread().replyCount()).isEqualTo(1);
    }

    @Test
    void aReplyToAMissingRootFailsWithNotFoundAndStoresNothing() {
        Message root = say("alice", "root");
        Message reply = append("bob", "r", root.id()).message();

        for (String bad : List.of("no-such-message", reply.id())) {
            NewMessage m = new NewMessage(data.id("m"), group.id(), "bob", data.id("c"), new MessageBody("x"), null,
                    data.now(), null, null, List.of(), bad);
            assertThatThrownBy(() -> store.append(m, r -> { }).join())
                    .isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(ChatException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        }
        assertThat(store.history(group.id(), null, null, 10, null).messages()).hasSize(2);
        assertThat(store.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(2);
    }

    @Test
    void threadHistoryPagesRepliesInSeqOrder() {
        Message root = say("alice", "root");
        for (int i = 1; i <= 5; i++) {
            append("bob", "r" + i, root.id());
            say("carol", "main" + i);
        }
        HistoryPage newest = store.threadHistory(root.id(), null, null, 2, "alice");
        assertThat(newest.messages()).extracting(m -> m.body().text()).containsExactly("r4", "r5");
        assertThat(newest.hasMore()).isTrue();
        HistoryPage before = store.threadHistory(root.id(), newest.messages().get(0).seq(), null, 10, "alice");
        assertThat(before.messages()).extracting(m -> m.body().text()).containsExactly("r1", "r2", "r3");
        assertThat(before.hasMore()).isFalse();
        HistoryPage after = store.threadHistory(root.id(), null, before.messages().get(0).seq(), 3, "alice");
        assertThat(after.messages()).extracting(m -> m.body().text()).containsExactly("r2", "r3", "r4");
        assertThat(after.hasMore()).isTrue();
        assertThat(store.threadHistory("no-such-root", null, null, 10, "alice").messages()).isEmpty();
    }

    @Test
    void threadCursorsAndUnreadCountsArePerReader() {
        Message root = say("alice", "root");
        Message r1 = append("bob", "1", root.id()).message();
        append("carol", "2", root.id());
        Message r3 = append("bob", "3", root.id()).message();

        ThreadView alice = store.thread(root.id(), "alice").orElseThrow();
        assertThat(alice.readSeq()).isZero();
        assertThat(alice.unread()).isEqualTo(3);
        assertThat(store.thread(root.id(), "bob").orElseThrow().unread()).isEqualTo(1);

        assertThat(store.advanceThreadRead(root.id(), "alice", r1.seq())).isTrue();
        assertThat(store.advanceThreadRead(root.id(), "alice", r1.seq())).isFalse();
        assertThat(store.advanceThreadRead(root.id(), "alice", 1)).isFalse();
        alice = store.thread(root.id(), "alice").orElseThrow();
        assertThat(alice.readSeq()).isEqualTo(r1.seq());
        assertThat(alice.unread()).isEqualTo(2);
        assertThat(store.advanceThreadRead(root.id(), "alice", r3.seq())).isTrue();
        assertThat(store.thread(root.id(), "alice").orElseThrow().unread()).isZero();
        assertThat(store.thread(root.id(), "carol").orElseThrow().readSeq()).isZero();
        assertThat(store.thread("no-such-root", "alice")).isEmpty();
    }

    @Test
    void deletedAndHiddenRepliesAreNotUnread() {
        Message root = say("alice", "root");
        Message gone = append("bob", "gone", root.id()).message();
        Message mine = append("bob", "hidden", root.id()).message();
        append("bob", "kept", root.id());
        store.deleteMessage(gone.id());
        store.hideMessage("alice", mine.id(), data.now());

        assertThat(store.thread(root.id(), "alice").orElseThrow().unread()).isEqualTo(1);
        List<Message> replies = store.threadHistory(root.id(), null, null, 10, "alice").messages();
        assertThat(replies).extracting(Message::deleted).containsExactly(true, false, false);
        assertThat(replies.get(1).hidden()).isTrue();
        assertThat(replies).allSatisfy(m -> assertThat(m.threadRootId()).isEqualTo(root.id()));
    }

    @Test
    void threadsListsRootsWithRepliesNewestReplyFirst() {
        Message a = say("alice", "a");
        Message b = say("bob", "b");
        say("carol", "no thread");
        append("carol", "on a", a.id());
        append("carol", "on b", b.id());
        append("bob", "on a again", a.id());

        List<ThreadView> threads = store.threads(group.id(), "carol", null, 10);
        assertThat(threads).extracting(t -> t.root().id()).containsExactly(a.id(), b.id());
        assertThat(threads).extracting(ThreadView::unread).containsExactly(1L, 0L);
        List<ThreadView> first = store.threads(group.id(), "carol", null, 1);
        assertThat(first).hasSize(1);
        List<ThreadView> next = store.threads(group.id(), "carol", first.get(0).root().thread().lastReplySeq(), 10);
        assertThat(next).extracting(t -> t.root().id()).containsExactly(b.id());
    }
}
