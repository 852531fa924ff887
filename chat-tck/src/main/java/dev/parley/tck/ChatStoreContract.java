package dev.parley.tck;

import static dev.parley.tck.StoreFixtures.assertCode;
import static dev.parley.tck.StoreFixtures.failureCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.ConversationSummary;
import dev.parley.core.CursorKind;
import dev.parley.core.ErrorCode;
import dev.parley.core.HistoryPage;
import dev.parley.core.Member;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.Role;
import dev.parley.core.User;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.NewMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} does with users, conversations, members and messages: ids and
 * direct pairs unique, seq assigned from 1 without gaps, appends idempotent on
 * (conversation, sender, clientMsgId), the commit callback run before the future completes,
 * history pages, forward-only cursors, the conversation list in activity order with its
 * cursor, contacts, and a closed store answering {@code unavailable}.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}:
 * <pre>{@code
 * class MyChatStoreTest extends ChatStoreContract {
 *     @Override
 *     protected ChatStore openStore() {
 *         return new MyStore(...); // empty: no users, conversations or messages
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> JUnit makes a new instance of the test class for every test. Before each
 * test the contract calls {@link #openStore()} once, keeps the result in {@link #store} and
 * stores the users alice, bob, carol and dave; after each test it closes {@link #store}. So
 * {@code openStore()} must return an empty store every time: a new in-memory instance, or a
 * database that was emptied (a new file, a new or truncated schema). Your subclass may add
 * tests of its own, and may call {@code openStore()} again to check what survives a reopen:
 * close the old store first and assign the new one to {@link #store}, which the contract then
 * closes.
 *
 * <p>Times are compared at millisecond precision, the finest a store must keep.
 *
 * @since 0.1.0
 */
public abstract class ChatStoreContract {
    /** Values and the clock of this test. */
    protected final StoreFixtures data = new StoreFixtures();
    /** The store under test, opened before each test. */
    protected ChatStore store;

    /** A new, empty store; called before every test (see the lifecycle above). */
    protected abstract ChatStore openStore();

    @BeforeEach
    protected final void openContractStore() {
        store = openStore();
        for (String u : List.of("alice", "bob", "carol", "dave")) {
            store.putUser(data.user(u));
        }
    }

    @AfterEach
    protected final void closeContractStore() {
        store.close();
    }

    // ------------------------------------------------------------------ users

    @Test
    void putUserInsertsThenRenamesKeepingCreatedAt() {
        User erin = data.user("erin");
        store.putUser(erin);
        data.tick();
        store.putUser(new User("erin", "Erin E.", data.now()));

        assertThat(store.findUser("erin")).contains(new User("erin", "Erin E.", erin.createdAt()));
    }

    @Test
    void findUserOfUnknownIdIsEmpty() {
        assertThat(store.findUser("nobody")).isEmpty();
    }

    // ---------------------------------------------------------- conversations

    @Test
    void createConversationStoresItWithMembersInJoinOrder() {
        Conversation group = data.group("carol");
        List<Member> members = List.of(new Member(group.id(), "carol", Role.OWNER, data.now(), 0, 0),
                data.member(group, "alice"), data.member(group, "bob"));

        assertThat(store.createConversation(group, members)).isEqualTo(group);
        assertThat(store.findConversation(group.id())).contains(group);
        assertThat(store.members(group.id())).containsExactlyElementsOf(members);
        assertThat(store.findMember(group.id(), "alice")).contains(members.get(1));
        assertThat(store.findMember(group.id(), "dave")).isEmpty();
    }

    @Test
    void membersAddedLaterFollowInJoinOrder() {
        Conversation group = data.createGroup(store, "dave");
        for (String u : List.of("carol", "alice", "bob")) {
            store.addMember(data.member(group, u));
        }

        assertThat(store.members(group.id())).extracting(Member::userId).containsExactly("dave", "carol", "alice", "bob");
        assertThat(store.sendContext(group.id(), "dave").orElseThrow().memberIds())
                .containsExactlyInAnyOrder("dave", "carol", "alice", "bob");
    }

    @Test
    void createDirectForAnExistingPairReturnsTheExistingOneAndWritesNothing() {
        Conversation first = data.direct("alice", "bob");
        store.createConversation(first, data.members(first, "alice", "bob"));
        data.send(store, first.id(), "alice");

        Conversation second = data.direct("bob", "alice");
        Conversation stored = store.createConversation(second, data.members(second, "bob", "alice"));

        assertThat(stored).isEqualTo(first.withLastSeq(1));
        assertThat(store.findConversation(second.id())).isEmpty();
        assertThat(store.members(second.id())).isEmpty();
    }

    @Test
    void createConversationWithAnExistingIdIsAConflict() {
        Conversation group = data.createGroup(store, "alice");

        assertCode(ErrorCode.CONFLICT, () -> store.createConversation(group, data.members(group, "bob")));
        assertThat(store.members(group.id())).extracting(Member::userId).containsExactly("alice");
    }

    @Test
    void addMemberTwiceReturnsFalseTheSecondTime() {
        Conversation group = data.createGroup(store, "alice");
        Member bob = data.member(group, "bob");

        assertThat(store.addMember(bob)).isTrue();
        assertThat(store.addMember(new Member(group.id(), "bob", Role.ADMIN, data.now(), 5, 5))).isFalse();
        assertThat(store.members(group.id())).containsExactly(store.findMember(group.id(), "alice").orElseThrow(), bob);
    }

    @Test
    void addMemberToAnUnknownConversationIsNotFound() {
        assertCode(ErrorCode.NOT_FOUND, () -> store.addMember(new Member("nope", "bob", Role.MEMBER, data.now(), 0, 0)));
    }

    // --------------------------------------------------------------- messages

    @Test
    void appendAssignsSeqFromOneWithoutGaps() {
        Conversation group = data.createGroup(store, "alice", "bob");
        Conversation other = data.createGroup(store, "alice");
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            seqs.add(data.send(store, group.id(), i % 2 == 0 ? "alice" : "bob").message().seq());
        }
        long otherSeq = data.send(store, other.id(), "alice").message().seq();

        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(otherSeq).isEqualTo(1);
        assertThat(store.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(5);
    }

    @Test
    void appendStoresWhatItReturns() {
        Conversation group = data.createGroup(store, "alice");
        NewMessage draft = new NewMessage("m-1", group.id(), "alice", "c-1", new MessageBody("hi"), "m-0", data.now());

        Message stored = store.append(draft, r -> { }).join().message();

        assertThat(store.history(group.id(), null, null, 10).messages()).containsExactly(stored);
        assertThat(stored).isEqualTo(new Message("m-1", group.id(), 1, "alice", "c-1", new MessageBody("hi"), "m-0",
                data.now(), null, false));
    }

    @Test
    void appendKeepsTextExactly() {
        Conversation group = data.createGroup(store, "alice");
        String text = "emoji 👍🏽, accents é è, CJK 漢字, RTL שלום, quotes ' \" ` and \\ backslash,\n"
                + "a tab\tand a line break; SQL ' OR 1=1 --";

        Message stored = store.append(new NewMessage("m-1", group.id(), "alice", "c-1", new MessageBody(text), null,
                data.now()), r -> { }).join().message();

        assertThat(stored.body().text()).isEqualTo(text);
        assertThat(store.findMessage("m-1", null).orElseThrow().body().text()).isEqualTo(text);
    }

    /**
     * U+0000 is valid in a Java string, but some databases (PostgreSQL) cannot store it in text.
     * A store either keeps it exactly or refuses the append with {@code bad_request}; it never
     * fails as if the database were down, and never stores something else.
     */
    @Test
    void appendOfTextWithANulCharacterKeepsItExactlyOrIsABadRequest() {
        Conversation group = data.createGroup(store, "alice");
        String text = "before\u0000after";

        CompletableFuture<AppendResult> f = store.append(new NewMessage("m-nul", group.id(), "alice", "c-nul",
                new MessageBody(text), null, data.now()), r -> { });

        AppendResult result;
        try {
            result = f.join();
        } catch (CompletionException e) {
            assertThat(failureCode(f)).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(store.findMessage("m-nul", null)).isEmpty();
            assertThat(data.send(store, group.id(), "alice").message().seq()).as("no seq was used up").isEqualTo(1);
            return;
        }
        assertThat(result.message().body().text()).isEqualTo(text);
        assertThat(store.findMessage("m-nul", null).orElseThrow().body().text()).isEqualTo(text);
    }

    @Test
    void appendWithAKnownClientMsgIdReturnsTheOriginalAsDuplicate() {
        Conversation group = data.createGroup(store, "alice", "bob");
        AppendResult first = store.append(data.message(group.id(), "alice", "c-1"), r -> { }).join();
        data.send(store, group.id(), "bob");

        AppendResult retry = store.append(data.message(group.id(), "alice", "c-1"), r -> { }).join();
        AppendResult otherSender = store.append(data.message(group.id(), "bob", "c-1"), r -> { }).join();

        assertThat(first.duplicate()).isFalse();
        assertThat(retry).isEqualTo(new AppendResult(first.message(), true));
        assertThat(otherSender.duplicate()).isFalse();
        assertThat(otherSender.message().seq()).isEqualTo(3);
        assertThat(store.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(3);
    }

    @Test
    void appendToAnUnknownConversationIsNotFound() {
        CompletableFuture<AppendResult> f = store.append(data.message("nope", "alice", "c-1"), r -> { });

        assertThat(failureCode(f)).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void commitCallbackRunsBeforeTheFutureCompletesAndAlsoForADuplicate() {
        Conversation group = data.createGroup(store, "alice");
        List<String> seen = new CopyOnWriteArrayList<>();

        CompletableFuture<AppendResult> f = store.append(data.message(group.id(), "alice", "c-1"),
                r -> seen.add((r.duplicate() ? "dup:" : "new:") + r.message().seq()));
        List<String> seenAtCompletion = f.thenApply(r -> List.copyOf(seen)).join();
        store.append(data.message(group.id(), "alice", "c-1"),
                r -> seen.add((r.duplicate() ? "dup:" : "new:") + r.message().seq())).join();

        assertThat(seenAtCompletion).containsExactly("new:1");
        assertThat(seen).containsExactly("new:1", "dup:1");
    }

    @Test
    void aThrowingCommitCallbackDoesNotFailTheAppend() {
        Conversation group = data.createGroup(store, "alice");

        AppendResult r = store.append(data.message(group.id(), "alice", "c-1"), result -> {
            throw new IllegalStateException("a broken callback does not fail the append");
        }).join();

        assertThat(r.message().seq()).isEqualTo(1);
        assertThat(store.history(group.id(), null, null, 5).messages()).containsExactly(r.message());
    }

    @Test
    void writesFromACommitCallbackDoNotDeadlock() {
        Conversation group = data.createGroup(store, "alice", "bob");

        AppendResult r = store.append(data.message(group.id(), "alice", "c-1"), result -> {
            store.advanceCursor(group.id(), "bob", CursorKind.DELIVERED, result.message().seq());
        }).join();

        assertThat(store.findMember(group.id(), "bob").orElseThrow().deliveredSeq()).isEqualTo(r.message().seq());
    }

    @Test
    void concurrentAppendsToOneConversationGetUniqueGapFreeSeqsInCallbackOrder() throws Exception {
        Conversation group = data.createGroup(store, "alice", "bob");
        int threads = 8;
        int perThread = 25;
        List<Long> callbackOrder = new CopyOnWriteArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<AppendResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String sender = t % 2 == 0 ? "alice" : "bob";
                String prefix = "t" + t + "-";
                futures.add(pool.submit(() -> {
                    start.await();
                    List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.append(data.message(group.id(), sender, prefix + i),
                                r -> callbackOrder.add(r.message().seq())));
                    }
                    List<AppendResult> done = new ArrayList<>();
                    for (CompletableFuture<AppendResult> f : mine) {
                        done.add(f.get(30, TimeUnit.SECONDS));
                    }
                    return done;
                }));
            }
            start.countDown();
            List<Long> seqs = new ArrayList<>();
            for (Future<List<AppendResult>> f : futures) {
                f.get(60, TimeUnit.SECONDS).forEach(r -> seqs.add(r.message().seq()));
            }

            int total = threads * perThread;
            Long[] expected = LongStream.rangeClosed(1, total).boxed().toArray(Long[]::new);
            assertThat(seqs).containsExactlyInAnyOrder(expected);
            assertThat(callbackOrder).as("callbacks in seq order").containsExactly(expected);
            assertThat(store.findConversation(group.id()).orElseThrow().lastSeq()).isEqualTo(total);
            assertThat(store.history(group.id(), null, 0L, total + 1).messages()).extracting(Message::seq)
                    .containsExactly(expected);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- history

    @Test
    void historyPagesNewestBeforeAndAfterWithHasMore() {
        Conversation group = data.createGroup(store, "alice");
        for (int i = 0; i < 10; i++) {
            data.send(store, group.id(), "alice");
        }

        assertPage(store.history(group.id(), null, null, 3), 8, 10, true);
        assertPage(store.history(group.id(), null, null, 10), 1, 10, false);
        assertPage(store.history(group.id(), null, null, 50), 1, 10, false);
        assertPage(store.history(group.id(), 8L, null, 3), 5, 7, true);
        assertPage(store.history(group.id(), 4L, null, 3), 1, 3, false);
        assertPage(store.history(group.id(), 3L, null, 3), 1, 2, false);
        assertPage(store.history(group.id(), 1L, null, 3), 1, 0, false);
        assertPage(store.history(group.id(), null, 0L, 3), 1, 3, true);
        assertPage(store.history(group.id(), null, 7L, 3), 8, 10, false);
        assertPage(store.history(group.id(), null, 6L, 3), 7, 9, true);
        assertPage(store.history(group.id(), null, 10L, 3), 11, 10, false);
    }

    @Test
    void historyOfAnEmptyOrUnknownConversationIsEmpty() {
        Conversation group = data.createGroup(store, "alice");

        assertThat(store.history(group.id(), null, null, 5)).isEqualTo(new HistoryPage(List.of(), false));
        assertThat(store.history("nope", null, 0L, 5)).isEqualTo(new HistoryPage(List.of(), false));
    }

    @Test
    void historyRejectsBothBoundsAndANonPositiveLimit() {
        assertCode(ErrorCode.BAD_REQUEST, () -> store.history("c", 5L, 1L, 5));
        assertCode(ErrorCode.BAD_REQUEST, () -> store.history("c", null, null, 0));
    }

    private static void assertPage(HistoryPage page, long firstSeq, long lastSeq, boolean hasMore) {
        assertThat(page.messages()).extracting(Message::seq)
                .containsExactly(LongStream.rangeClosed(firstSeq, lastSeq).boxed().toArray(Long[]::new));
        assertThat(page.hasMore()).as("hasMore").isEqualTo(hasMore);
    }

    // ---------------------------------------------------------------- cursors

    @Test
    void cursorsMoveForwardOnly() {
        Conversation group = data.createGroup(store, "alice", "bob");

        assertThat(store.advanceCursor(group.id(), "bob", CursorKind.DELIVERED, 5)).isTrue();
        assertThat(store.advanceCursor(group.id(), "bob", CursorKind.DELIVERED, 5)).isFalse();
        assertThat(store.advanceCursor(group.id(), "bob", CursorKind.DELIVERED, 3)).isFalse();
        assertThat(store.advanceCursor(group.id(), "bob", CursorKind.READ, 2)).isTrue();
        assertThat(store.advanceCursor(group.id(), "bob", CursorKind.READ, 1)).isFalse();

        Member bob = store.findMember(group.id(), "bob").orElseThrow();
        assertThat(bob.deliveredSeq()).isEqualTo(5);
        assertThat(bob.readSeq()).isEqualTo(2);
    }

    @Test
    void readingMovesDeliveredToAtLeastTheSameSeq() {
        Conversation group = data.createGroup(store, "alice", "bob");
        store.advanceCursor(group.id(), "bob", CursorKind.DELIVERED, 2);

        assertThat(store.advanceCursor(group.id(), "bob", CursorKind.READ, 7)).isTrue();

        Member bob = store.findMember(group.id(), "bob").orElseThrow();
        assertThat(bob.readSeq()).isEqualTo(7);
        assertThat(bob.deliveredSeq()).isEqualTo(7);
        assertThat(store.findMember(group.id(), "alice").orElseThrow().deliveredSeq()).isZero();
    }

    @Test
    void readingBelowTheDeliveredCursorLeavesItWhereItIs() {
        Conversation group = data.createGroup(store, "alice", "bob");
        store.advanceCursor(group.id(), "bob", CursorKind.DELIVERED, 9);

        assertThat(store.advanceCursor(group.id(), "bob", CursorKind.READ, 4)).isTrue();

        Member bob = store.findMember(group.id(), "bob").orElseThrow();
        assertThat(bob.readSeq()).isEqualTo(4);
        assertThat(bob.deliveredSeq()).isEqualTo(9);
    }

    @Test
    void advanceCursorOfANonMemberChangesNothing() {
        Conversation group = data.createGroup(store, "alice");

        assertThat(store.advanceCursor(group.id(), "bob", CursorKind.READ, 3)).isFalse();
        assertThat(store.advanceCursor("nope", "bob", CursorKind.READ, 3)).isFalse();
    }

    // ------------------------------------------------------- conversation list

    @Test
    void conversationsOfListsMostRecentlyActiveFirst() {
        // The clock stands still: order must come from activity, not from timestamps.
        Conversation a = data.createGroup(store, "alice", "bob");
        Conversation b = data.createGroup(store, "alice");
        Conversation c = data.createGroup(store, "alice", "carol");
        data.createGroup(store, "bob");
        data.send(store, a.id(), "bob");

        ConversationPage page = store.conversationsOf("alice", 10, null);

        assertThat(page.conversations()).extracting(s -> s.conversation().id()).containsExactly(a.id(), c.id(), b.id());
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void conversationsOfSummarizesLastMessageUnreadCursorsAndMembers() {
        Conversation group = data.createGroup(store, "alice", "bob", "carol");
        data.send(store, group.id(), "bob");
        data.send(store, group.id(), "alice");
        data.send(store, group.id(), "carol");
        Message last = data.send(store, group.id(), "bob").message();
        store.advanceCursor(group.id(), "alice", CursorKind.READ, 1);
        store.advanceCursor(group.id(), "alice", CursorKind.DELIVERED, 3);

        ConversationSummary s = store.conversationsOf("alice", 10, null).conversations().get(0);

        assertThat(s.conversation()).isEqualTo(group.withLastSeq(4));
        assertThat(s.memberIds()).containsExactly("alice", "bob", "carol");
        assertThat(s.lastMessage()).isEqualTo(last);
        assertThat(s.unread()).as("seq 3 and 4, not alice's own seq 2").isEqualTo(2);
        assertThat(s.readSeq()).isEqualTo(1);
        assertThat(s.deliveredSeq()).isEqualTo(3);
    }

    @Test
    void conversationsOfAnEmptyConversationHasNoLastMessage() {
        Conversation group = data.createGroup(store, "alice", "bob");

        ConversationSummary s = store.conversationsOf("bob", 10, null).conversations().get(0);

        assertThat(s.conversation()).isEqualTo(group);
        assertThat(s.lastMessage()).isNull();
        assertThat(s.unread()).isZero();
    }

    @Test
    void conversationsOfPagesWithTheCursor() {
        List<String> newestFirst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            newestFirst.add(0, data.createGroup(store, "alice", "bob").id());
        }

        ConversationPage p1 = store.conversationsOf("alice", 2, null);
        ConversationPage p2 = store.conversationsOf("alice", 2, p1.nextCursor());
        ConversationPage p3 = store.conversationsOf("alice", 2, p2.nextCursor());

        assertThat(ids(p1)).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(ids(p2)).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(ids(p3)).containsExactlyElementsOf(newestFirst.subList(4, 5));
        assertThat(p1.nextCursor()).isNotNull();
        assertThat(p2.nextCursor()).isNotNull();
        assertThat(p3.nextCursor()).isNull();
        assertThat(store.conversationsOf("alice", 5, null).nextCursor()).isNull();
        assertThat(store.conversationsOf("nobody", 5, null).conversations()).isEmpty();
    }

    @Test
    void conversationsOfRejectsAMalformedCursor() {
        String notANumber = Base64.getUrlEncoder().encodeToString("a1:x".getBytes(StandardCharsets.US_ASCII));

        assertCode(ErrorCode.BAD_REQUEST, () -> store.conversationsOf("alice", 10, "%%%"));
        assertCode(ErrorCode.BAD_REQUEST, () -> store.conversationsOf("alice", 10, notANumber));
        assertCode(ErrorCode.BAD_REQUEST, () -> store.conversationsOf("alice", 10, ""));
        assertCode(ErrorCode.BAD_REQUEST, () -> store.conversationsOf("alice", 0, null));
    }

    private static List<String> ids(ConversationPage page) {
        return page.conversations().stream().map(s -> s.conversation().id()).toList();
    }

    // --------------------------------------------------------------- contacts

    @Test
    void contactsOfListsEveryoneSharingAConversation() {
        data.createGroup(store, "alice", "bob", "carol");
        Conversation direct = data.direct("alice", "dave");
        store.createConversation(direct, data.members(direct, "alice", "dave"));
        data.createGroup(store, "bob", "carol");

        assertThat(store.contactsOf("alice")).containsExactlyInAnyOrder("bob", "carol", "dave");
        assertThat(store.contactsOf("dave")).containsExactly("alice");
        assertThat(store.contactsOf("nobody")).isEmpty();
    }

    // -------------------------------------------------------------- lifecycle

    @Test
    void closedStoreIsUnavailableAndCloseIsIdempotent() {
        Conversation group = data.createGroup(store, "alice");
        store.close();
        store.close();

        assertCode(ErrorCode.UNAVAILABLE, () -> store.findUser("alice"));
        assertCode(ErrorCode.UNAVAILABLE, () -> store.putUser(data.user("erin")));
        assertCode(ErrorCode.UNAVAILABLE, () -> store.history(group.id(), null, null, 5));
        assertThat(failureCode(store.append(data.message(group.id(), "alice", "c-1"), r -> { })))
                .isEqualTo(ErrorCode.UNAVAILABLE);
    }
}
