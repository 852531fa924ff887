package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.ChatEvent.TypingEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.event.TypingState;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.ChatListener;
import dev.parley.core.spi.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ChatEngineTest {
    private InMemoryChatStore store;
    private ChatEngine engine;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        store = new InMemoryChatStore();
        engine = ChatEngine.builder().store(store)
                .limits(ChatLimits.builder().typingTimeout(Duration.ofMillis(150))
                        .presenceGrace(Duration.ofMillis(100)).maxBodyChars(100).build())
                .build();
        engine.subscribe(deliveries::add);
        engine.putUser("alice", "Alice");
        engine.putUser("bob", "Bob");
        engine.putUser("carol", "Carol");
    }

    @AfterEach
    void tearDown() {
        engine.close();
        store.close();
    }

    private Message send(String from, String conversationId, String clientMsgId, String text) {
        return engine.sendAndWait(from, conversationId, clientMsgId, new MessageBody(text), null);
    }

    private <T extends ChatEvent> List<T> events(Class<T> type) {
        return deliveries.stream().map(Delivery::event).filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void directConversationIsCreatedOncePerPair() {
        Conversation first = engine.createDirect("alice", "bob");
        Conversation again = engine.createDirect("bob", "alice");
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(engine.members("alice", first.id())).extracting(Member::userId).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void directWithSelfOrUnknownUserIsRejected() {
        assertThatThrownBy(() -> engine.createDirect("alice", "alice"))
                .isInstanceOf(ChatException.class).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> engine.createDirect("alice", "nobody"))
                .isInstanceOf(ChatException.class).extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void groupCreatorIsOwnerAndDuplicateMembersAreRejected() {
        Conversation group = engine.createGroup("alice", "Team", List.of("bob", "carol"));
        assertThat(engine.members("alice", group.id()))
                .extracting(Member::userId, Member::role)
                .contains(org.assertj.core.groups.Tuple.tuple("alice", Role.OWNER),
                        org.assertj.core.groups.Tuple.tuple("bob", Role.MEMBER));
        assertThatThrownBy(() -> engine.createGroup("alice", "Team", List.of("bob", "bob")))
                .isInstanceOf(ChatException.class).hasMessageContaining("bob")
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> engine.createGroup("alice", " ", List.of("bob")))
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void addingAnExistingMemberIsAConflictAndOnlyAdminsAdd() {
        engine.putUser("dave", "Dave");
        Conversation group = engine.createGroup("alice", "Team", List.of("bob"));
        assertThatThrownBy(() -> engine.addMember("alice", group.id(), "bob"))
                .extracting("code").isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> engine.addMember("bob", group.id(), "dave"))
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> engine.addMember("carol", group.id(), "dave"))
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        engine.addMember("alice", group.id(), "dave");
        assertThat(engine.members("dave", group.id())).hasSize(3);
    }

    @Test
    void addedMemberCanSendAndReceivesAtOnceInAConversationAlreadyUsed() {
        engine.putUser("dave", "Dave");
        Conversation group = engine.createGroup("alice", "Team", List.of("bob"));
        send("alice", group.id(), "c1", "before dave");
        assertThatThrownBy(() -> send("dave", group.id(), "d0", "not yet")).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        engine.addMember("alice", group.id(), "dave");
        send("dave", group.id(), "d1", "hello all");
        Delivery last = deliveries.stream().filter(d -> d.event() instanceof MessageEvent).reduce((a, b) -> b).orElseThrow();
        assertThat(last.recipients()).containsExactlyInAnyOrder("alice", "bob", "dave");
    }

    @Test
    void sendCacheCanBeDisabled() {
        try (ChatEngine uncached = ChatEngine.builder().store(store).sendCacheSize(0).build()) {
            Conversation dm = uncached.createDirect("alice", "bob");
            assertThat(uncached.sendAndWait("alice", dm.id(), "c1", new MessageBody("hi"), null).seq()).isEqualTo(1);
        }
        assertThatThrownBy(() -> ChatEngine.builder().sendCacheSize(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sendAssignsConsecutiveSeqAndDeliversToAllMembers() {
        Conversation dm = engine.createDirect("alice", "bob");
        Message m1 = send("alice", dm.id(), "c1", "hi");
        Message m2 = send("bob", dm.id(), "c2", "hello");
        assertThat(m1.seq()).isEqualTo(1);
        assertThat(m2.seq()).isEqualTo(2);
        List<Delivery> messageDeliveries = deliveries.stream().filter(d -> d.event() instanceof MessageEvent).toList();
        assertThat(messageDeliveries).hasSize(2);
        assertThat(messageDeliveries.get(0).recipients()).containsExactlyInAnyOrder("alice", "bob");
    }

    @Test
    void sendIsIdempotentOnClientMsgId() {
        Conversation dm = engine.createDirect("alice", "bob");
        Message first = send("alice", dm.id(), "same", "hi");
        Message retry = send("alice", dm.id(), "same", "hi again");
        assertThat(retry).isEqualTo(first);
        assertThat(events(MessageEvent.class)).hasSize(1);
        assertThat(engine.history("bob", dm.id(), null, null, null).messages()).hasSize(1);
    }

    @Test
    void sameClientMsgIdFromAnotherSenderIsANewMessage() {
        Conversation dm = engine.createDirect("alice", "bob");
        send("alice", dm.id(), "same", "hi");
        Message fromBob = send("bob", dm.id(), "same", "hi");
        assertThat(fromBob.seq()).isEqualTo(2);
    }

    @Test
    void nonMemberCannotSendReadOrMarkRead() {
        Conversation dm = engine.createDirect("alice", "bob");
        send("alice", dm.id(), "c1", "secret");
        assertThatThrownBy(() -> send("carol", dm.id(), "c2", "let me in"))
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> engine.history("carol", dm.id(), null, null, null))
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> engine.receipt("carol", dm.id(), CursorKind.READ, 1))
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> engine.typing("carol", dm.id(), TypingState.START))
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void badMessageInputGetsDocumentedCodes() {
        Conversation dm = engine.createDirect("alice", "bob");
        assertThatThrownBy(() -> send("alice", dm.id(), "c1", "   "))
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> send("alice", dm.id(), "c1", "x".repeat(101)))
                .extracting("code").isEqualTo(ErrorCode.TOO_LARGE);
        assertThatThrownBy(() -> send("alice", dm.id(), "x".repeat(65), "hi"))
                .extracting("code").isEqualTo(ErrorCode.TOO_LARGE);
        assertThatThrownBy(() -> send("alice", dm.id(), "", "hi"))
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> send("alice", "no-such-conversation", "c1", "hi"))
                .extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
        assertThatThrownBy(() -> engine.sendAndWait("alice", dm.id(), "c1", null, null))
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(engine.history("alice", dm.id(), null, null, null).messages()).isEmpty();
    }

    @Test
    void seqHasNoGapsUnder32ConcurrentSenders() throws Exception {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            members.add(engine.putUser("u" + i, "User " + i).id());
        }
        Conversation group = engine.createGroup("alice", "Crowd", members);
        int perSender = 50;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<List<Long>>> results = new ArrayList<>();
        for (String member : members) {
            results.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                List<Long> seqs = new ArrayList<>();
                for (int i = 0; i < perSender; i++) {
                    seqs.add(send(member, group.id(), member + "-" + i, "m" + i).seq());
                }
                return seqs;
            }, pool));
        }
        start.countDown();
        List<Long> all = new ArrayList<>();
        for (CompletableFuture<List<Long>> r : results) {
            List<Long> seqs = r.get();
            assertThat(seqs).isSorted();
            all.addAll(seqs);
        }
        pool.shutdown();
        assertThat(all).containsExactlyInAnyOrderElementsOf(
                LongStream.rangeClosed(1, 32L * perSender).boxed().toList());
        // Events are published in seq order.
        List<Long> published = events(MessageEvent.class).stream().map(e -> e.message().seq()).toList();
        assertThat(published).isSorted().hasSize(32 * perSender);
    }

    @Test
    void historyPagesBackwardAndForward() {
        Conversation dm = engine.createDirect("alice", "bob");
        for (int i = 1; i <= 25; i++) {
            send("alice", dm.id(), "c" + i, "m" + i);
        }
        HistoryPage latest = engine.history("bob", dm.id(), null, null, 10);
        assertThat(latest.messages()).extracting(Message::seq).containsExactly(16L, 17L, 18L, 19L, 20L, 21L, 22L, 23L, 24L, 25L);
        assertThat(latest.hasMore()).isTrue();
        HistoryPage older = engine.history("bob", dm.id(), 6L, null, 10);
        assertThat(older.messages()).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(older.hasMore()).isFalse();
        HistoryPage newer = engine.history("bob", dm.id(), null, 20L, 10);
        assertThat(newer.messages()).extracting(Message::seq).containsExactly(21L, 22L, 23L, 24L, 25L);
        assertThat(newer.hasMore()).isFalse();
        assertThatThrownBy(() -> engine.history("bob", dm.id(), 5L, 1L, 10)).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> engine.history("bob", dm.id(), null, null, 101)).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> engine.history("bob", dm.id(), null, null, 0)).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void cursorsOnlyMoveForwardAndReadImpliesDelivered() {
        Conversation dm = engine.createDirect("alice", "bob");
        for (int i = 1; i <= 5; i++) {
            send("alice", dm.id(), "c" + i, "m" + i);
        }
        engine.receipt("bob", dm.id(), CursorKind.DELIVERED, 4);
        engine.receipt("bob", dm.id(), CursorKind.DELIVERED, 2);
        engine.receipt("bob", dm.id(), CursorKind.READ, 3);
        engine.receipt("bob", dm.id(), CursorKind.READ, 1);
        Member bob = store.findMember(dm.id(), "bob").orElseThrow();
        assertThat(bob.deliveredSeq()).isEqualTo(4);
        assertThat(bob.readSeq()).isEqualTo(3);
        engine.receipt("bob", dm.id(), CursorKind.READ, 5);
        bob = store.findMember(dm.id(), "bob").orElseThrow();
        assertThat(bob.deliveredSeq()).isEqualTo(5);
        List<ReceiptEvent> receipts = events(ReceiptEvent.class);
        assertThat(receipts).extracting(ReceiptEvent::kind, ReceiptEvent::seq).containsExactly(
                org.assertj.core.groups.Tuple.tuple(CursorKind.DELIVERED, 4L),
                org.assertj.core.groups.Tuple.tuple(CursorKind.READ, 3L),
                org.assertj.core.groups.Tuple.tuple(CursorKind.READ, 5L));
        assertThat(deliveries.stream().filter(d -> d.event() instanceof ReceiptEvent).map(Delivery::recipients))
                .allSatisfy(r -> assertThat(r).containsExactly("alice"));
        assertThatThrownBy(() -> engine.receipt("bob", dm.id(), CursorKind.READ, 6))
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void conversationListShowsLastMessageAndUnread() {
        Conversation dm = engine.createDirect("alice", "bob");
        Conversation group = engine.createGroup("carol", "Later", List.of("bob"));
        send("alice", dm.id(), "c1", "one");
        send("alice", dm.id(), "c2", "two");
        send("bob", dm.id(), "c3", "three");
        engine.receipt("bob", dm.id(), CursorKind.READ, 1);
        ConversationPage page = engine.conversations("bob", 10, null);
        assertThat(page.conversations()).extracting(s -> s.conversation().id()).containsExactly(dm.id(), group.id());
        ConversationSummary summary = page.conversations().get(0);
        assertThat(summary.lastMessage().body().text()).isEqualTo("three");
        assertThat(summary.unread()).isEqualTo(1); // "two"; bob's own message is never unread
        assertThat(summary.readSeq()).isEqualTo(1);
        ConversationPage first = engine.conversations("bob", 1, null);
        assertThat(first.nextCursor()).isNotNull();
        ConversationPage second = engine.conversations("bob", 1, first.nextCursor());
        assertThat(second.conversations()).extracting(s -> s.conversation().id()).containsExactly(group.id());
        assertThat(second.nextCursor()).isNull();
        assertThatThrownBy(() -> engine.conversations("bob", 1, "garbage")).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void resumeReplaysMissedMessagesOrTruncates() {
        Conversation dm = engine.createDirect("alice", "bob");
        Conversation group = engine.createGroup("alice", "G", List.of("bob"));
        Conversation private_ = engine.createGroup("alice", "P", List.of("carol"));
        for (int i = 1; i <= 5; i++) {
            send("alice", dm.id(), "d" + i, "m" + i);
            send("alice", group.id(), "g" + i, "m" + i);
        }
        ResumeResult result = engine.resume("bob", Map.of(dm.id(), 2L, group.id(), 0L, private_.id(), 0L), 4);
        assertThat(result.missed()).extracting(Message::seq).containsExactly(3L, 4L, 5L);
        assertThat(result.truncated()).containsExactly(group.id());
        assertThat(result.forbidden()).containsExactly(private_.id());
        assertThatThrownBy(() -> engine.resume("bob", Map.of(dm.id(), -1L), null)).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void typingIsThrottledAndExpires() {
        Conversation dm = engine.createDirect("alice", "bob");
        engine.typing("alice", dm.id(), TypingState.START);
        engine.typing("alice", dm.id(), TypingState.START);
        assertThat(events(TypingEvent.class)).extracting(TypingEvent::state).containsExactly(TypingState.START);
        await().atMost(Duration.ofSeconds(3)).until(() -> events(TypingEvent.class).size() == 2);
        assertThat(events(TypingEvent.class).get(1).state()).isEqualTo(TypingState.STOP);
        assertThat(deliveries.stream().filter(d -> d.event() instanceof TypingEvent).map(Delivery::recipients))
                .allSatisfy(r -> assertThat(r).containsExactly("bob"));
    }

    @Test
    void sendingStopsTyping() {
        Conversation dm = engine.createDirect("alice", "bob");
        engine.typing("alice", dm.id(), TypingState.START);
        send("alice", dm.id(), "c1", "done typing");
        assertThat(events(TypingEvent.class)).extracting(TypingEvent::state)
                .containsExactly(TypingState.START, TypingState.STOP);
    }

    @Test
    void presenceGoesOfflineAfterGraceUnlessReconnected() {
        engine.createDirect("alice", "bob");
        engine.deviceConnected("alice");
        engine.deviceConnected("alice");
        engine.deviceDisconnected("alice");
        assertThat(events(PresenceEvent.class)).extracting(PresenceEvent::status).containsExactly(PresenceStatus.ONLINE);
        engine.deviceDisconnected("alice");
        engine.deviceConnected("alice"); // back within the grace period: nothing announced
        engine.deviceDisconnected("alice");
        await().atMost(Duration.ofSeconds(3)).until(() -> events(PresenceEvent.class).size() == 2);
        PresenceEvent offline = events(PresenceEvent.class).get(1);
        assertThat(offline.status()).isEqualTo(PresenceStatus.OFFLINE);
        assertThat(offline.lastSeenAt()).isNotNull();
        assertThat(deliveries.stream().filter(d -> d.event() instanceof PresenceEvent).map(Delivery::recipients))
                .allSatisfy(r -> assertThat(r).containsExactly("bob"));
        assertThat(engine.presence("bob", List.of("alice", "carol"))).extracting(PresenceEvent::userId)
                .containsExactly("alice"); // carol shares nothing with bob
    }

    @Test
    void rejectingFilterStopsTheMessageAndThrowingFilterIsIgnored() {
        try (ChatEngine filtered = ChatEngine.builder().store(store)
                .filter((sender, conversation, body) -> { throw new IllegalStateException("broken plugin"); })
                .filter((sender, conversation, body) -> body.text().contains("spam") ? Verdict.reject("no spam") : Verdict.abstain())
                .build()) {
            Conversation dm = filtered.createDirect("alice", "bob");
            assertThatThrownBy(() -> filtered.sendAndWait("alice", dm.id(), "c1", new MessageBody("buy spam"), null))
                    .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(filtered.sendAndWait("alice", dm.id(), "c2", new MessageBody("hello"), null).seq()).isEqualTo(1);
        }
    }

    @Test
    void listenersHearCommittedMessagesOnceAndAThrowingListenerIsContained() {
        List<Message> heard = new CopyOnWriteArrayList<>();
        try (ChatEngine hooked = ChatEngine.builder().store(store)
                .listener(new ChatListener() {
                    @Override
                    public void onMessage(Message message) {
                        throw new IllegalStateException("broken hook");
                    }
                })
                .listener(new ChatListener() {
                    @Override
                    public void onMessage(Message message) {
                        heard.add(message);
                    }
                })
                .build()) {
            Conversation dm = hooked.createDirect("alice", "bob");
            hooked.sendAndWait("alice", dm.id(), "c1", new MessageBody("hi"), null);
            hooked.sendAndWait("alice", dm.id(), "c1", new MessageBody("hi"), null);
            await().atMost(Duration.ofSeconds(3)).until(() -> heard.size() == 1);
        }
    }

    @Test
    void builderRejectsMissingStoreAndDoubleOptions() {
        assertThatThrownBy(() -> ChatEngine.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("store");
        assertThatThrownBy(() -> ChatEngine.builder().store(store).store(store))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
        assertThatThrownBy(() -> ChatLimits.builder().maxBodyChars(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBodyChars");
    }

    @Test
    void userIdsAreValidated() {
        assertThatThrownBy(() -> engine.putUser("has space", "X")).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> engine.putUser("ok", "")).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(engine.putUser("alice", "Alice Renamed").name()).isEqualTo("Alice Renamed");
    }
}
