package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Conversation;
import dev.parley.core.ConversationSummary;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.MessageEdit;
import dev.parley.core.ReactionSummary;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.PinResult;
import dev.parley.core.spi.ReactionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} does for message edits, deletion (for everyone and for me),
 * reactions and pins.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}:
 * <pre>{@code
 * class MyStoreMessageFeaturesTest extends MessageFeaturesContract {
 *     @Override
 *     protected ChatStore openStore() {
 *         return new MyStore(...); // empty: no users, conversations or messages
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> JUnit makes a new instance of the test class for every test. Before each
 * test the contract calls {@link #openStore()} once, keeps the result in {@link #store} and stores the users alice, bob and carol and {@link #group} with the three of them;
 * after each test it closes {@link #store}. So {@code openStore()} must return an
 * empty store every time: a new in-memory instance, or a database that was emptied
 * (a new file, a new or truncated schema). Your subclass may add tests of its own, and may call
 * {@code openStore()} again to check what survives a reopen: close the old store first and
 * assign the new one to {@link #store}, which the contract then closes.
 *
 * <p>Times are compared at millisecond precision, the finest a store must keep.
 *
 * @since 0.1.0
 */
public abstract class MessageFeaturesContract extends GroupOfThreeContract {
    /** Appends a message of {@code senderId} to {@link #group} and waits for it. */
    protected Message send(String senderId) {
        return data.send(store, group.id(), senderId).message();
    }

    private Message read(String messageId, String viewerId) {
        return store.findMessage(messageId, viewerId).orElseThrow();
    }

    private ReactionResult react(Message m, String userId, String emoji) {
        return store.addReaction(m.id(), userId, emoji, data.now(), 20, 50);
    }

    // ------------------------------------------------------------------ find

    @Test
    void findMessageReturnsTheStoredMessageWhateverItsConversation() {
        Message m = send("alice");

        assertThat(store.findMessage(m.id(), null)).contains(m);
        assertThat(store.findMessage(m.id(), "bob")).contains(m);
        assertThat(store.findMessage("no-such-id", null)).isEmpty();
    }

    // ------------------------------------------------------------------ edit

    @Test
    void editReplacesTheTextKeepsTheSeqAndRecordsThePreviousText() {
        Message m = send("alice");

        assertThat(store.editMessage(m.id(), new MessageBody("second"), T1)).isTrue();
        assertThat(store.editMessage(m.id(), new MessageBody("third"), T2)).isTrue();

        Message edited = read(m.id(), null);
        assertThat(edited.body().text()).isEqualTo("third");
        assertThat(edited.editedAt()).isEqualTo(T2);
        assertThat(edited.seq()).isEqualTo(m.seq());
        assertThat(edited.createdAt()).isEqualTo(m.createdAt());
        assertThat(store.edits(m.id())).containsExactly(new MessageEdit(m.body(), T1),
                new MessageEdit(new MessageBody("second"), T2));
        assertThat(store.history(group.id(), null, null, 10).messages()).containsExactly(edited);
        assertThat(store.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(1);
    }

    @Test
    void editOfAnUnknownOrDeletedMessageWritesNothing() {
        Message m = send("alice");
        store.deleteMessage(m.id());

        assertThat(store.editMessage(m.id(), new MessageBody("revived"), T1)).isFalse();
        assertThat(store.editMessage("no-such-id", new MessageBody("x"), T1)).isFalse();
        assertThat(read(m.id(), null).body().text()).isEmpty();
        assertThat(store.edits(m.id())).isEmpty();
        assertThat(store.edits("no-such-id")).isEmpty();
    }

    @Test
    void editKeepsReactionsAndPin() {
        Message m = send("alice");
        react(m, "bob", "👍");
        store.pin(m.id(), "alice", T1, 50);

        store.editMessage(m.id(), new MessageBody("changed"), T2);

        assertThat(read(m.id(), null).reactions()).hasSize(1);
        assertThat(store.pinned(group.id(), null)).extracting(Message::body).containsExactly(new MessageBody("changed"));
    }

    // ------------------------------------------------------------------ delete for everyone

    @Test
    void deleteLeavesATombstoneAndErasesTextEditsReactionsAndPin() {
        Message m = send("alice");
        store.editMessage(m.id(), new MessageBody("edited"), T1);
        react(m, "bob", "👍");
        store.pin(m.id(), "bob", T1, 50);

        assertThat(store.deleteMessage(m.id())).isTrue();

        Message tombstone = read(m.id(), "bob");
        assertThat(tombstone).isEqualTo(m.tombstone());
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.body().text()).isEmpty();
        assertThat(tombstone.editedAt()).isNull();
        assertThat(tombstone.reactions()).isEmpty();
        assertThat(store.edits(m.id())).isEmpty();
        assertThat(store.pinned(group.id(), null)).isEmpty();
        assertThat(store.unpin(m.id())).isFalse();
        assertThat(store.removeReaction(m.id(), "bob", "👍")).isFalse();
    }

    @Test
    void deletingTwiceOrAnUnknownMessageReportsNothingDeleted() {
        Message m = send("alice");

        assertThat(store.deleteMessage(m.id())).isTrue();
        assertThat(store.deleteMessage(m.id())).isFalse();
        assertThat(store.deleteMessage("no-such-id")).isFalse();
    }

    @Test
    void aTombstoneKeepsItsSeqInHistoryAndTheNextAppendTakesTheNextSeq() {
        send("alice");
        Message second = send("bob");
        store.deleteMessage(second.id());

        Message third = send("carol");

        assertThat(third.seq()).isEqualTo(3);
        assertThat(store.history(group.id(), null, null, 10).messages())
                .extracting(Message::seq, Message::deleted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, false),
                        org.assertj.core.groups.Tuple.tuple(2L, true), org.assertj.core.groups.Tuple.tuple(3L, false));
    }

    @Test
    void unreadLeavesOutTombstonesAndHiddenMessagesButTheLastMessageIsStillListed() {
        send("alice");
        Message second = send("alice");
        Message third = send("alice");
        store.deleteMessage(second.id());
        store.hideMessage("bob", third.id(), T1);

        ConversationSummary forBob = store.conversationsOf("bob", 10, null).conversations().get(0);
        assertThat(forBob.unread()).isEqualTo(1);
        assertThat(forBob.lastMessage().id()).isEqualTo(third.id());
        assertThat(forBob.lastMessage().hidden()).isTrue();
        ConversationSummary forCarol = store.conversationsOf("carol", 10, null).conversations().get(0);
        assertThat(forCarol.unread()).isEqualTo(2);
        assertThat(forCarol.lastMessage().hidden()).isFalse();
    }

    // ------------------------------------------------------------------ delete for me

    @Test
    void hidingIsPerUserIdempotentAndMarkedOnlyForThatViewer() {
        Message m = send("alice");

        assertThat(store.hideMessage("bob", m.id(), T1)).isTrue();
        assertThat(store.hideMessage("bob", m.id(), T2)).isFalse();

        assertThat(read(m.id(), "bob").hidden()).isTrue();
        assertThat(read(m.id(), "bob").body()).as("the store keeps the content; the engine stubs it")
                .isEqualTo(m.body());
        assertThat(read(m.id(), "carol").hidden()).isFalse();
        assertThat(read(m.id(), null).hidden()).isFalse();
        assertThat(store.history(group.id(), null, null, 10, "bob").messages().get(0).hidden()).isTrue();
        assertThat(store.history(group.id(), null, null, 10, "carol").messages().get(0).hidden()).isFalse();
        assertThat(store.history(group.id(), null, null, 10).messages().get(0).hidden()).isFalse();
    }

    // ------------------------------------------------------------------ reactions

    @Test
    void reactionsAreSummarisedByEmojiInFirstUseOrderWithUsersInReactionOrder() {
        Message m = send("alice");
        react(m, "carol", "👍");
        react(m, "alice", "🎉");
        react(m, "alice", "👍");

        assertThat(read(m.id(), "alice").reactions()).containsExactly(
                new ReactionSummary("👍", 2, List.of("carol", "alice"), true),
                new ReactionSummary("🎉", 1, List.of("alice"), true));
        assertThat(read(m.id(), "bob").reactions()).extracting(ReactionSummary::me).containsExactly(false, false);
        assertThat(read(m.id(), null).reactions()).extracting(ReactionSummary::me).containsExactly(false, false);
    }

    @Test
    void removingAndAddingAgainMovesAReactionToTheEnd() {
        Message m = send("alice");
        react(m, "alice", "👍");
        react(m, "bob", "👍");
        react(m, "carol", "🎉");

        assertThat(store.removeReaction(m.id(), "alice", "👍")).isTrue();
        assertThat(store.removeReaction(m.id(), "alice", "👍")).isFalse();
        react(m, "alice", "👍");
        assertThat(store.removeReaction(m.id(), "carol", "🎉")).isTrue();
        react(m, "carol", "🎉");

        assertThat(read(m.id(), null).reactions()).containsExactly(
                new ReactionSummary("👍", 2, List.of("bob", "alice"), false),
                new ReactionSummary("🎉", 1, List.of("carol"), false));
    }

    @Test
    void aSummaryListsTheFirstTenUsersCountsAllAndMarksAViewerBeyondTheTen() {
        Message m = send("alice");
        List<String> users = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            users.add("u" + (char) ('a' + i));
            react(m, users.get(i), "🔥");
        }

        ReactionSummary summary = read(m.id(), "ul").reactions().get(0);
        assertThat(summary.count()).isEqualTo(12);
        assertThat(summary.userIds()).containsExactlyElementsOf(users.subList(0, ReactionSummary.MAX_USER_IDS));
        assertThat(summary.me()).isTrue();
    }

    @Test
    void addReactionReportsEveryOutcome() {
        Message m = send("alice");

        assertThat(store.addReaction(m.id(), "bob", "👍", T1, 2, 3)).isEqualTo(ReactionResult.ADDED);
        assertThat(store.addReaction(m.id(), "bob", "👍", T1, 2, 3)).isEqualTo(ReactionResult.UNCHANGED);
        assertThat(store.addReaction(m.id(), "bob", "❤️", T1, 2, 3)).isEqualTo(ReactionResult.ADDED);
        assertThat(store.addReaction(m.id(), "bob", "😂", T1, 2, 3)).isEqualTo(ReactionResult.TOO_MANY_FROM_USER);
        assertThat(store.addReaction(m.id(), "carol", "😂", T1, 2, 3)).isEqualTo(ReactionResult.ADDED);
        assertThat(store.addReaction(m.id(), "carol", "🙈", T1, 2, 3)).isEqualTo(ReactionResult.TOO_MANY_EMOJI);
        assertThat(store.addReaction(m.id(), "alice", "👍", T1, 2, 3)).as("an emoji already there")
                .isEqualTo(ReactionResult.ADDED);
        store.deleteMessage(m.id());
        assertThat(store.addReaction(m.id(), "alice", "❤️", T1, 2, 3)).isEqualTo(ReactionResult.MESSAGE_DELETED);
        assertThat(store.addReaction("no-such-id", "alice", "❤️", T1, 2, 3)).isEqualTo(ReactionResult.MESSAGE_DELETED);
        assertThat(read(m.id(), null).reactions()).isEmpty();
    }

    @Test
    void concurrentReactionsCannotPassTheLimit() throws Exception {
        Message m = send("alice");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<ReactionResult>> results = new ArrayList<>();
            String[] emoji = {"😀", "😁", "😂", "🤣", "😃", "😄", "😅", "😆", "😉", "😊", "😋", "😎"};
            for (String e : emoji) {
                results.add(pool.submit(() -> store.addReaction(m.id(), "bob", e, T1, 20, 5)));
            }
            int added = 0;
            for (Future<ReactionResult> r : results) {
                added += r.get() == ReactionResult.ADDED ? 1 : 0;
            }
            assertThat(added).isEqualTo(5);
            assertThat(read(m.id(), null).reactions()).hasSize(5);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHistoryPageCarriesTheReactionsOfEachOfItsMessages() {
        List<Message> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sent.add(send(i % 2 == 0 ? "alice" : "bob"));
        }
        for (int i = 0; i < 60; i += 7) {
            react(sent.get(i), "carol", "👀");
        }
        react(sent.get(56), "bob", "👀");

        List<Message> page = store.history(group.id(), null, null, 50, "bob").messages();

        assertThat(page).hasSize(50);
        for (Message m : page) {
            int i = (int) m.seq() - 1;
            if (i == 56) {
                assertThat(m.reactions()).containsExactly(new ReactionSummary("👀", 2, List.of("carol", "bob"), true));
            } else if (i % 7 == 0) {
                assertThat(m.reactions()).containsExactly(new ReactionSummary("👀", 1, List.of("carol"), false));
            } else {
                assertThat(m.reactions()).as("seq %d", m.seq()).isEmpty();
            }
        }
        assertThat(store.history(group.id(), null, 0L, 10, null).messages().get(7).reactions()).hasSize(1);
    }

    @Test
    void theLastMessageInTheConversationListCarriesItsReactions() {
        Message m = send("alice");
        react(m, "bob", "👍");

        Message last = store.conversationsOf("bob", 10, null).conversations().get(0).lastMessage();
        assertThat(last.reactions()).containsExactly(new ReactionSummary("👍", 1, List.of("bob"), true));
    }

    // ------------------------------------------------------------------ pins

    @Test
    void pinnedMessagesAreListedMostRecentlyPinnedFirst() {
        Message one = send("alice");
        Message two = send("bob");
        Message three = send("carol");

        assertThat(store.pin(two.id(), "alice", T1, 50)).isEqualTo(PinResult.PINNED);
        assertThat(store.pin(one.id(), "alice", T1, 50)).isEqualTo(PinResult.PINNED);
        assertThat(store.pin(three.id(), "alice", T2, 50)).isEqualTo(PinResult.PINNED);
        assertThat(store.pin(two.id(), "bob", T2, 50)).isEqualTo(PinResult.UNCHANGED);

        assertThat(store.pinned(group.id(), null)).extracting(Message::id)
                .containsExactly(three.id(), one.id(), two.id());
    }

    @Test
    void pinnedMessagesCarryReactionsAndViewerMarks() {
        Message m = send("alice");
        react(m, "bob", "📌");
        store.pin(m.id(), "alice", T1, 50);
        store.hideMessage("carol", m.id(), T1);

        assertThat(store.pinned(group.id(), "bob")).singleElement().satisfies(p -> {
            assertThat(p.reactions()).containsExactly(new ReactionSummary("📌", 1, List.of("bob"), true));
            assertThat(p.hidden()).isFalse();
        });
        assertThat(store.pinned(group.id(), "carol").get(0).hidden()).isTrue();
    }

    @Test
    void pinReportsTheLimitAndDeletedMessages() {
        Message one = send("alice");
        Message two = send("alice");
        Message three = send("alice");
        store.pin(one.id(), "alice", T1, 2);
        store.pin(two.id(), "alice", T1, 2);

        assertThat(store.pin(three.id(), "alice", T1, 2)).isEqualTo(PinResult.TOO_MANY_PINS);
        assertThat(store.unpin(one.id())).isTrue();
        assertThat(store.unpin(one.id())).isFalse();
        assertThat(store.pin(three.id(), "alice", T1, 2)).isEqualTo(PinResult.PINNED);
        store.deleteMessage(one.id());
        assertThat(store.pin(one.id(), "alice", T1, 50)).isEqualTo(PinResult.MESSAGE_DELETED);
        assertThat(store.pin("no-such-id", "alice", T1, 50)).isEqualTo(PinResult.MESSAGE_DELETED);
    }

    @Test
    void pinsAreKeptPerConversation() {
        Message inGroup = send("alice");
        Conversation other = data.createGroup(store, "bob", "carol");
        Message elsewhere = data.send(store, other.id(), "bob").message();
        store.pin(inGroup.id(), "alice", T1, 1);

        assertThat(store.pin(elsewhere.id(), "bob", T1, 1)).isEqualTo(PinResult.PINNED);
        assertThat(store.pinned(other.id(), null)).extracting(Message::id).containsExactly(elsewhere.id());
        assertThat(store.pinned("no-such-conversation", null)).isEmpty();
    }
}
