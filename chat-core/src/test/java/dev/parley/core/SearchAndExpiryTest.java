package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.ConversationExpiryEvent;
import dev.parley.core.event.ChatEvent.MessageExpiredEvent;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Full-text search and message expiry: the engine's rules. */
class SearchAndExpiryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private InMemoryChatStore store;
    private ChatEngine engine;
    private Conversation dm;
    /** Owned by alice; bob is a member, carol an admin. */
    private Conversation group;
    private int clientMsgIds;

    @BeforeEach
    void start() {
        store = new InMemoryChatStore();
        // The background sweep stays out of the way: tests sweep by hand after moving the clock.
        engine = ChatEngine.builder().store(store).clock(clock)
                .limits(ChatLimits.builder().expirySweepInterval(Duration.ofHours(1)).build()).build();
        engine.subscribe(deliveries::add);
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            engine.putUser(user, user);
        }
        dm = engine.createDirect("alice", "bob");
        Instant now = clock.instant();
        group = store.createConversation(new Conversation("team", ConversationKind.GROUP, "Team", null, "alice", now, 0),
                List.of(new Member("team", "alice", Role.OWNER, now, 0, 0),
                        new Member("team", "bob", Role.MEMBER, now, 0, 0),
                        new Member("team", "carol", Role.ADMIN, now, 0, 0)));
        deliveries.clear();
    }

    @AfterEach
    void stop() {
        engine.close();
        store.close();
    }

    private Message send(String from, Conversation c, String text) {
        return engine.sendAndWait(from, c.id(), "c" + ++clientMsgIds, new MessageBody(text), null);
    }

    private Message send(String from, Conversation c, String text, int ttlSeconds) {
        return engine.send(from, c.id(), "c" + ++clientMsgIds, new MessageBody(text), null, ttlSeconds).join();
    }

    private List<String> found(String caller, String query) {
        return engine.search(caller, SearchRequest.of(query)).results().stream().map(h -> h.message().id()).toList();
    }

    private static void assertCode(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ChatException.class).extracting("code").isEqualTo(code);
    }

    private <T extends ChatEvent> List<Delivery> deliveriesOf(Class<T> type) {
        return deliveries.stream().filter(d -> type.isInstance(d.event())).toList();
    }

    // ------------------------------------------------------------------ search

    @Test
    void aNonMemberFindsNothingOfAConversation() {
        Message m = send("alice", group, "quarterly numbers");

        assertThat(found("bob", "quarterly")).containsExactly(m.id());
        assertThat(found("dave", "quarterly")).isEmpty();
        assertCode(ErrorCode.FORBIDDEN, () -> engine.search("dave",
                new SearchRequest("quarterly", group.id(), null, null, null, null, null, null)));
        assertCode(ErrorCode.NOT_FOUND, () -> engine.search("dave",
                new SearchRequest("quarterly", "no-such", null, null, null, null, null, null)));
    }

    @Test
    void deletedAndHiddenMessagesAreNotFound() {
        Message deleted = send("alice", group, "mango one");
        Message hidden = send("alice", group, "mango two");
        Message kept = send("alice", group, "mango three");
        engine.delete("alice", group.id(), deleted.id(), DeleteScope.EVERYONE);
        engine.delete("bob", group.id(), hidden.id(), DeleteScope.ME);

        assertThat(found("bob", "mango")).containsExactly(kept.id());
        assertThat(found("carol", "mango")).containsExactlyInAnyOrder(hidden.id(), kept.id());
    }

    @Test
    void anEditChangesWhatIsFound() {
        Message m = send("alice", dm, "see you at the cinema");

        engine.edit("alice", dm.id(), m.id(), new MessageBody("see you at the theatre"));

        assertThat(found("bob", "cinema")).isEmpty();
        assertThat(found("bob", "theatre")).containsExactly(m.id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"", "foo*", "NEAR(a b)", "a OR", ")", "(\"", "AND", "col:foo", "'; DROP TABLE x"})
    void queryLanguageSyntaxNeverFails(String query) {
        send("alice", dm, "foo a b or and col x");

        assertThat(engine.search("bob", SearchRequest.of(query)).results()).isNotNull();
    }

    @Test
    void blankLongAndMalformedRequestsAreRefused() {
        assertCode(ErrorCode.BAD_REQUEST, () -> engine.search("bob", SearchRequest.of("   ")));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine.search("bob", SearchRequest.of(null)));
        assertCode(ErrorCode.TOO_LARGE, () -> engine.search("bob", SearchRequest.of("x".repeat(201))));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine.search("bob",
                new SearchRequest("x", null, null, null, null, null, 51, null)));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine.search("bob",
                new SearchRequest("x", null, null, null, null, null, 0, null)));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine.search("bob",
                new SearchRequest("x", null, null, null, null, null, null, "garbage")));
        assertThat(engine.search("bob", SearchRequest.of("x".repeat(200))).results()).isEmpty();
    }

    @Test
    void resultsArePagedWithTheCursor() {
        for (int i = 0; i < 5; i++) {
            send("alice", group, "plum " + i);
        }
        SearchPage first = engine.search("bob", new SearchRequest("plum", null, null, null, null, null, 3, null));
        SearchPage second = engine.search("bob",
                new SearchRequest("plum", null, null, null, null, null, 3, first.nextCursor()));

        assertThat(first.results()).hasSize(3);
        assertThat(first.nextCursor()).isNotNull();
        assertThat(second.results()).hasSize(2);
        assertThat(second.nextCursor()).isNull();
        assertThat(first.results().get(0).snippet()).contains("«plum»");
    }

    @Test
    void hasAttachmentMatchesNothingYet() {
        send("alice", group, "kiwi");

        assertThat(engine.search("bob", new SearchRequest("kiwi", null, null, null, null, true, null, null))
                .results()).isEmpty();
        assertThat(engine.search("bob", new SearchRequest("kiwi", null, null, null, null, false, null, null))
                .results()).hasSize(1);
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void listenersHearOfExpiredMessagesSoThatCopiesCanBeErased() {
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        InMemoryChatStore own = new InMemoryChatStore();
        try (ChatEngine withHook = ChatEngine.builder().store(own).clock(clock)
                .limits(ChatLimits.builder().expirySweepInterval(Duration.ofHours(1)).build())
                .listener(new dev.parley.core.spi.ChatListener() {
                    @Override
                    public void onMessagesExpired(String conversationId,
                                                  List<dev.parley.core.spi.ExpiredMessage> expired) {
                        expired.forEach(x -> heard.add(conversationId + "/" + x.messageId() + "@" + x.seq()));
                    }
                }).build()) {
            withHook.putUser("alice", "alice");
            withHook.putUser("bob", "bob");
            Conversation c = withHook.createDirect("alice", "bob");
            Message m = withHook.send("alice", c.id(), "k", new MessageBody("soon gone"), null, 10).join();
            clock.advance(Duration.ofSeconds(11));
            assertThat(withHook.sweepExpired()).isEqualTo(1);
            // listeners run on the engine's listener executor, after the sweep
            await().untilAsserted(() -> assertThat(heard).containsExactly(c.id() + "/" + m.id() + "@" + m.seq()));
        } finally {
            own.close();
        }
    }

    @Test
    void theSweeperErasesDueMessagesAndTellsTheMembers() {
        Message expiring = send("alice", group, "burn after reading", 30);
        Message staying = send("alice", group, "stays");
        clock.advance(Duration.ofSeconds(29));
        assertThat(engine.sweepExpired()).isZero();

        clock.advance(Duration.ofSeconds(1));
        assertThat(engine.sweepExpired()).isEqualTo(1);

        List<Message> history = engine.history("bob", group.id(), null, null, 10).messages();
        assertThat(history).extracting(Message::seq).containsExactly(1L, 2L);
        Message tombstone = history.get(0);
        assertThat(tombstone.id()).isEqualTo(expiring.id());
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.expired()).isTrue();
        assertThat(tombstone.body().text()).isEmpty();
        assertThat(history.get(1)).isEqualTo(staying);
        assertThat(found("bob", "burn")).isEmpty();
        await().untilAsserted(() -> assertThat(deliveriesOf(MessageExpiredEvent.class)).hasSize(1));
        Delivery d = deliveriesOf(MessageExpiredEvent.class).get(0);
        assertThat(d.recipients()).containsExactlyInAnyOrder("alice", "bob", "carol");
        assertThat(d.event()).isEqualTo(new MessageExpiredEvent(group.id(), List.of(expiring.id()),
                List.of(expiring.seq())));
        assertThat(engine.sweepExpired()).isZero();
    }

    @Test
    void theConversationTimerAppliesToMessagesSentAfterIt() {
        Message before = send("alice", dm, "before");
        engine.setExpiry("bob", dm.id(), 60);
        Message after = send("alice", dm, "after");
        Message shortTtl = send("alice", dm, "short", 10);

        clock.advance(Duration.ofSeconds(10));
        assertThat(engine.sweepExpired()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(50));
        assertThat(engine.sweepExpired()).isEqualTo(1);

        assertThat(engine.history("alice", dm.id(), null, null, 10).messages())
                .extracting(Message::id, Message::expired)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(before.id(), false),
                        org.assertj.core.groups.Tuple.tuple(after.id(), true),
                        org.assertj.core.groups.Tuple.tuple(shortTtl.id(), true));
        assertThat(engine.expiry("alice", dm.id())).isEqualTo(60);
    }

    @Test
    void inAGroupOnlyOwnersAndAdminsSetTheTimer() {
        assertCode(ErrorCode.FORBIDDEN, () -> engine.setExpiry("bob", group.id(), 60));
        assertCode(ErrorCode.FORBIDDEN, () -> engine.setExpiry("dave", group.id(), 60));
        assertCode(ErrorCode.NOT_FOUND, () -> engine.setExpiry("alice", "no-such", 60));

        engine.setExpiry("carol", group.id(), 3600);

        await().untilAsserted(() -> assertThat(deliveriesOf(ConversationExpiryEvent.class)).hasSize(1));
        Delivery d = deliveriesOf(ConversationExpiryEvent.class).get(0);
        assertThat(d.recipients()).isEqualTo(Set.of("alice", "bob", "carol"));
        assertThat(d.event()).isEqualTo(new ConversationExpiryEvent(group.id(), 3600, "carol"));
    }

    @Test
    void timerAndTtlMustBeInRange() {
        for (long bad : new long[] {-1, 1, 4, 31_536_001}) {
            assertCode(ErrorCode.BAD_REQUEST, () -> engine.setExpiry("alice", group.id(), bad));
        }
        engine.setExpiry("alice", group.id(), 0);
        engine.setExpiry("alice", group.id(), 5);
        engine.setExpiry("alice", group.id(), 31_536_000);
        assertCode(ErrorCode.BAD_REQUEST, () -> send("alice", group, "x", 4));
        assertCode(ErrorCode.BAD_REQUEST, () -> send("alice", group, "x", 31_536_001));
        assertThat(send("alice", group, "ok", 5).seq()).isEqualTo(1);
    }
}
