package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.MessageDeletedEvent;
import dev.parley.core.event.ChatEvent.MessageEditedEvent;
import dev.parley.core.event.ChatEvent.MessageHiddenEvent;
import dev.parley.core.event.ChatEvent.PinEvent;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.event.ReactionAction;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.ChatListener;
import dev.parley.core.spi.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edits, deletion (for everyone and for me), reactions and pins: every rule and every denial. */
class MessageFeaturesTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private InMemoryChatStore store;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<Message> editedHook = new CopyOnWriteArrayList<>();
    private final List<Message> deletedHook = new CopyOnWriteArrayList<>();
    private ChatEngine engine;
    private Conversation dm;
    /** Owned by alice; bob is a member, carol an admin. */
    private Conversation group;

    @BeforeEach
    void startWithDefaults() {
        start(b -> b);
    }

    /** (Re)starts on an empty store with these limits. */
    private void start(UnaryOperator<ChatLimits.Builder> limits) {
        tearDown();
        store = new InMemoryChatStore();
        engine = ChatEngine.builder().store(store).clock(clock)
                .limits(limits.apply(ChatLimits.builder().maxBodyChars(100)).build())
                .filter((sender, conversation, body) -> body.text().contains("forbidden word")
                        ? new Verdict.Reject("language") : new Verdict.Abstain())
                .listener(new ChatListener() {
                    @Override
                    public void onMessageEdited(Message message) {
                        editedHook.add(message);
                    }

                    @Override
                    public void onMessageDeleted(Message tombstone) {
                        deletedHook.add(tombstone);
                    }
                })
                .build();
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

    private ChatEngine engine() {
        return engine;
    }

    @AfterEach
    void tearDown() {
        if (engine != null) {
            engine.close();
            store.close();
        }
    }

    private int clientMsgIds;

    private Message send(String from, Conversation c, String text) {
        return engine().sendAndWait(from, c.id(), "c" + ++clientMsgIds, new MessageBody(text), null);
    }

    private Message inHistory(String reader, Conversation c, long seq) {
        return engine().history(reader, c.id(), null, null, 100).messages().stream()
                .filter(m -> m.seq() == seq).findFirst().orElseThrow();
    }

    private <T extends ChatEvent> List<T> events(Class<T> type) {
        return deliveries.stream().map(Delivery::event).filter(type::isInstance).map(type::cast).toList();
    }

    private List<Delivery> deliveriesOf(Class<? extends ChatEvent> type) {
        return deliveries.stream().filter(d -> type.isInstance(d.event())).toList();
    }

    private static void assertCode(ErrorCode code, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(ChatException.class).extracting("code").isEqualTo(code);
    }

    // ------------------------------------------------------------------ edit

    @Test
    void authorEditsAndEveryMemberGetsTheNewStateWithTheSameSeq() {
        Message original = send("alice", dm, "helo");
        clock.advance(Duration.ofMinutes(3));

        Message edited = engine().edit("alice", dm.id(), original.id(), new MessageBody("hello"));

        assertThat(edited.body().text()).isEqualTo("hello");
        assertThat(edited.seq()).isEqualTo(original.seq());
        assertThat(edited.editedAt()).isEqualTo(T0.plus(Duration.ofMinutes(3)));
        assertThat(inHistory("bob", dm, 1)).isEqualTo(edited);
        List<Delivery> editDeliveries = deliveriesOf(MessageEditedEvent.class);
        assertThat(editDeliveries).singleElement().satisfies(d -> {
            assertThat(d.recipients()).containsExactlyInAnyOrder("alice", "bob");
            assertThat(((MessageEditedEvent) d.event()).message()).isEqualTo(edited);
        });
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(editedHook).containsExactly(edited));
    }

    @Test
    void editsDoNotTakeASeq() {
        Message first = send("alice", dm, "one");
        engine().edit("alice", dm.id(), first.id(), new MessageBody("one!"));

        assertThat(send("bob", dm, "two").seq()).isEqualTo(2);
        assertThat(engine().conversation("alice", dm.id()).lastSeq()).isEqualTo(2);
    }

    @Test
    void editHistoryKeepsEachPreviousBodyWithTheTimeItWasReplaced() {
        Message m = send("alice", dm, "v1");
        clock.advance(Duration.ofMinutes(1));
        engine().edit("alice", dm.id(), m.id(), new MessageBody("v2"));
        clock.advance(Duration.ofMinutes(1));
        engine().edit("alice", dm.id(), m.id(), new MessageBody("v3"));

        assertThat(engine().edits("bob", dm.id(), m.id())).containsExactly(
                new MessageEdit(new MessageBody("v1"), T0.plus(Duration.ofMinutes(1))),
                new MessageEdit(new MessageBody("v2"), T0.plus(Duration.ofMinutes(2))));
        assertThat(inHistory("bob", dm, 1).body().text()).isEqualTo("v3");
    }

    @Test
    void aMessageNeverEditedHasNoEditHistory() {
        Message m = send("alice", dm, "as sent");

        assertThat(engine().edits("alice", dm.id(), m.id())).isEmpty();
        assertThat(m.editedAt()).isNull();
    }

    @Test
    void editToTheSameTextChangesNothingAndAnnouncesNothing() {
        Message m = send("alice", dm, "same");

        Message result = engine().edit("alice", dm.id(), m.id(), new MessageBody("same"));

        assertThat(result).isEqualTo(m);
        assertThat(events(MessageEditedEvent.class)).isEmpty();
        assertThat(engine().edits("alice", dm.id(), m.id())).isEmpty();
    }

    @Test
    void memberEditingSomeoneElsesMessageIsForbidden() {
        Message m = send("alice", group, "mine");

        assertCode(ErrorCode.FORBIDDEN, () -> engine().edit("bob", group.id(), m.id(), new MessageBody("yours")));
        assertCode(ErrorCode.FORBIDDEN, () -> engine().edit("carol", group.id(), m.id(), new MessageBody("admin")));
        assertThat(inHistory("alice", group, 1).body().text()).isEqualTo("mine");
    }

    @Test
    void editingAfterTheWindowIsForbiddenWithAClearMessage() {
        Message m = send("alice", dm, "old news");
        clock.advance(Duration.ofHours(48));
        engine().edit("alice", dm.id(), m.id(), new MessageBody("still in time"));
        clock.advance(Duration.ofMillis(1));

        assertThatThrownBy(() -> engine().edit("alice", dm.id(), m.id(), new MessageBody("too late")))
                .isInstanceOf(ChatException.class)
                .hasMessage("the edit window has passed: a message can be edited for 48 hours after it was sent")
                .extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void theEditWindowIsConfigurable() {
        start(b -> b.editWindow(Duration.ofMinutes(15)));
        Message m = send("alice", dm, "quick");
        clock.advance(Duration.ofMinutes(16));

        assertThatThrownBy(() -> engine().edit("alice", dm.id(), m.id(), new MessageBody("slow")))
                .hasMessageContaining("15 minutes").extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(ChatLimits.defaults().editWindow()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void editedBodyIsValidatedLikeASend() {
        Message m = send("alice", dm, "fine");

        assertCode(ErrorCode.BAD_REQUEST, () -> engine().edit("alice", dm.id(), m.id(), new MessageBody("  ")));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine().edit("alice", dm.id(), m.id(), null));
        assertCode(ErrorCode.TOO_LARGE, () -> engine().edit("alice", dm.id(), m.id(), new MessageBody("x".repeat(101))));
        assertThatThrownBy(() -> engine().edit("alice", dm.id(), m.id(), new MessageBody("a forbidden word")))
                .hasMessageContaining("language").extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThat(inHistory("bob", dm, 1).body().text()).isEqualTo("fine");
    }

    @Test
    void aDeletedMessageCannotBeEdited() {
        Message m = send("alice", dm, "gone soon");
        engine().delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);

        assertCode(ErrorCode.CONFLICT, () -> engine().edit("alice", dm.id(), m.id(), new MessageBody("back")));
    }

    @Test
    void editingInADirectConversationWithABlockIsForbidden() {
        Message m = send("alice", dm, "hi");
        engine().block("bob", "alice");

        assertCode(ErrorCode.FORBIDDEN, () -> engine().edit("alice", dm.id(), m.id(), new MessageBody("hi?")));
    }

    @Test
    void editHistoryIsForMembersOnly() {
        Message m = send("alice", dm, "private");

        assertCode(ErrorCode.FORBIDDEN, () -> engine().edits("carol", dm.id(), m.id()));
    }

    // ------------------------------------------------------------------ unknown or misplaced messages

    @Test
    void unknownMessageIsNotFoundForEveryCommand() {
        engine();
        List<ThrowingCallable> calls = List.of(
                () -> engine.edit("alice", dm.id(), "nope", new MessageBody("x")),
                () -> engine.edits("alice", dm.id(), "nope"),
                () -> engine.delete("alice", dm.id(), "nope", DeleteScope.EVERYONE),
                () -> engine.delete("alice", dm.id(), "nope", DeleteScope.ME),
                () -> engine.react("alice", dm.id(), "nope", "👍"),
                () -> engine.unreact("alice", dm.id(), "nope", "👍"),
                () -> engine.pin("alice", dm.id(), "nope"),
                () -> engine.unpin("alice", dm.id(), "nope"));
        calls.forEach(call -> assertCode(ErrorCode.NOT_FOUND, call));
    }

    @Test
    void aMessageOfAnotherConversationIsNotFound() {
        Message inGroup = send("alice", group, "group talk");

        assertCode(ErrorCode.NOT_FOUND, () -> engine().edit("alice", dm.id(), inGroup.id(), new MessageBody("x")));
        assertCode(ErrorCode.NOT_FOUND, () -> engine().react("alice", dm.id(), inGroup.id(), "👍"));
        assertCode(ErrorCode.NOT_FOUND, () -> engine().pin("alice", dm.id(), inGroup.id()));
        assertCode(ErrorCode.NOT_FOUND, () -> engine().edits("alice", dm.id(), inGroup.id()));
        assertCode(ErrorCode.NOT_FOUND, () -> engine().delete("alice", dm.id(), inGroup.id(), DeleteScope.EVERYONE));
    }

    @Test
    void nonMemberIsForbiddenBeforeTheMessageIsLookedUp() {
        Message m = send("alice", dm, "secret");
        List<ThrowingCallable> calls = List.of(
                () -> engine.edits("dave", dm.id(), m.id()),
                () -> engine.edits("dave", dm.id(), "no-such-message"),
                () -> engine.react("dave", dm.id(), m.id(), "👍"),
                () -> engine.unreact("dave", dm.id(), m.id(), "👍"),
                () -> engine.delete("dave", dm.id(), m.id(), DeleteScope.ME),
                () -> engine.pin("dave", dm.id(), m.id()),
                () -> engine.pins("dave", dm.id()));
        calls.forEach(call -> assertCode(ErrorCode.FORBIDDEN, call));
        assertCode(ErrorCode.NOT_FOUND, () -> engine.react("dave", "no-such-conversation", m.id(), "👍"));
    }

    @Test
    void missingFieldsAreBadRequests() {
        Message m = send("alice", dm, "x");

        assertCode(ErrorCode.BAD_REQUEST, () -> engine().edits("alice", dm.id(), ""));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine().pin("alice", null, m.id()));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine().delete("alice", dm.id(), m.id(), null));
    }

    // ------------------------------------------------------------------ delete for everyone

    @Test
    void deleteForEveryoneLeavesATombstoneAndErasesEditsReactionsAndPin() {
        Message m = send("alice", dm, "regret");
        engine().edit("alice", dm.id(), m.id(), new MessageBody("more regret"));
        engine().react("bob", dm.id(), m.id(), "😮");
        engine().pin("bob", dm.id(), m.id());
        deliveries.clear();

        engine().delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);

        Message tombstone = inHistory("bob", dm, 1);
        assertThat(tombstone.id()).isEqualTo(m.id());
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.hidden()).isFalse();
        assertThat(tombstone.body().text()).isEmpty();
        assertThat(tombstone.editedAt()).isNull();
        assertThat(tombstone.reactions()).isEmpty();
        assertThat(store.edits(m.id())).as("edit history erased from storage").isEmpty();
        assertThat(store.findMessage(m.id(), null).orElseThrow().body().text()).isEmpty();
        assertThat(engine().pins("alice", dm.id())).isEmpty();
        assertThat(deliveriesOf(MessageDeletedEvent.class)).singleElement().satisfies(d -> {
            assertThat(d.recipients()).containsExactlyInAnyOrder("alice", "bob");
            assertThat(d.event()).isEqualTo(new MessageDeletedEvent(dm.id(), m.id(), 1));
        });
        assertThat(events(PinEvent.class)).as("the delete event implies the unpin").isEmpty();
        await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertThat(deletedHook).singleElement()
                .satisfies(t -> assertThat(t.body().text()).isEmpty()));
    }

    @Test
    void aDeletedMessageKeepsItsSeqAndTheNextMessageTakesTheNextOne() {
        send("alice", dm, "one");
        Message two = send("alice", dm, "two");
        engine().delete("alice", dm.id(), two.id(), DeleteScope.EVERYONE);

        assertThat(send("bob", dm, "three").seq()).isEqualTo(3);
        assertThat(engine().history("bob", dm.id(), null, null, null).messages()).extracting(Message::seq)
                .containsExactly(1L, 2L, 3L);
    }

    @Test
    void conversationListShowsADeletedLastMessageAsATombstoneAndDoesNotCountItUnread() {
        send("alice", dm, "one");
        Message two = send("alice", dm, "two");
        engine().delete("alice", dm.id(), two.id(), DeleteScope.EVERYONE);

        ConversationSummary summary = engine().conversations("bob", null, null).conversations().get(0);
        assertThat(summary.conversation().lastSeq()).isEqualTo(2);
        assertThat(summary.lastMessage().seq()).isEqualTo(2);
        assertThat(summary.lastMessage().deleted()).isTrue();
        assertThat(summary.lastMessage().body().text()).isEmpty();
        assertThat(summary.unread()).isEqualTo(1);
    }

    @Test
    void deletingTwiceSucceedsAndAnnouncesOnce() {
        Message m = send("alice", dm, "x");

        engine().delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);
        engine().delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);

        assertThat(events(MessageDeletedEvent.class)).hasSize(1);
    }

    @Test
    void groupOwnerAndAdminDeleteOthersMessagesForEveryoneButMembersDoNot() {
        Message byBob = send("bob", group, "spam");
        Message byAlice = send("alice", group, "rules");
        Message byCarol = send("carol", group, "hi");

        assertCode(ErrorCode.FORBIDDEN, () -> engine().delete("bob", group.id(), byAlice.id(), DeleteScope.EVERYONE));
        engine().delete("carol", group.id(), byBob.id(), DeleteScope.EVERYONE);
        engine().delete("alice", group.id(), byCarol.id(), DeleteScope.EVERYONE);

        assertThat(inHistory("bob", group, byBob.seq()).deleted()).isTrue();
        assertThat(inHistory("bob", group, byCarol.seq()).deleted()).isTrue();
        assertThat(inHistory("bob", group, byAlice.seq()).deleted()).isFalse();
    }

    @Test
    void inADirectConversationOnlyTheAuthorDeletesForEveryone() {
        Message m = send("alice", dm, "mine");

        assertThatThrownBy(() -> engine().delete("bob", dm.id(), m.id(), DeleteScope.EVERYONE))
                .hasMessageContaining("only the author").extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        engine().delete("bob", dm.id(), m.id(), DeleteScope.ME);
    }

    @Test
    void theAuthorMayDeleteAfterTheEditWindow() {
        Message m = send("alice", dm, "ancient");
        clock.advance(Duration.ofDays(365));

        engine().delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);

        assertThat(inHistory("bob", dm, 1).deleted()).isTrue();
    }

    // ------------------------------------------------------------------ delete for me

    @Test
    void deleteForMeShowsTheCallerAStubAndEveryoneElseTheMessage() {
        Message m = send("bob", dm, "embarrassing");
        engine().react("bob", dm.id(), m.id(), "😳");

        engine().delete("alice", dm.id(), m.id(), DeleteScope.ME);

        Message stub = inHistory("alice", dm, 1);
        assertThat(stub.id()).isEqualTo(m.id());
        assertThat(stub.seq()).isEqualTo(1);
        assertThat(stub.senderId()).isEqualTo("bob");
        assertThat(stub.deleted()).isTrue();
        assertThat(stub.hidden()).isTrue();
        assertThat(stub.body().text()).isEmpty();
        assertThat(stub.reactions()).isEmpty();
        Message forBob = inHistory("bob", dm, 1);
        assertThat(forBob.body().text()).isEqualTo("embarrassing");
        assertThat(forBob.hidden()).isFalse();
        assertThat(forBob.reactions()).hasSize(1);
    }

    @Test
    void deleteForMeIsAnnouncedToTheCallersDevicesOnlyAndOnce() {
        Message m = send("bob", dm, "x");

        engine().delete("alice", dm.id(), m.id(), DeleteScope.ME);
        engine().delete("alice", dm.id(), m.id(), DeleteScope.ME);

        assertThat(deliveriesOf(MessageHiddenEvent.class)).singleElement().satisfies(d -> {
            assertThat(d.recipients()).containsExactly("alice");
            assertThat(d.event()).isEqualTo(new MessageHiddenEvent(dm.id(), m.id(), 1));
        });
        assertThat(events(MessageDeletedEvent.class)).isEmpty();
    }

    @Test
    void resumeReplaysAHiddenMessageAsAStubSoTheCallerSeesNoGap() {
        send("bob", dm, "one");
        Message two = send("bob", dm, "two");
        send("bob", dm, "three");
        engine().delete("alice", dm.id(), two.id(), DeleteScope.ME);

        ResumeResult result = engine().resume("alice", Map.of(dm.id(), 0L), null);

        assertThat(result.missed()).extracting(Message::seq).containsExactly(1L, 2L, 3L);
        assertThat(result.missed().get(1).hidden()).isTrue();
        assertThat(result.missed().get(1).body().text()).isEmpty();
    }

    @Test
    void aHiddenLastMessageIsAStubInTheCallersListAndNotUnread() {
        send("bob", dm, "one");
        Message two = send("bob", dm, "two");
        engine().delete("alice", dm.id(), two.id(), DeleteScope.ME);

        ConversationSummary forAlice = engine().conversations("alice", null, null).conversations().get(0);
        assertThat(forAlice.lastMessage().hidden()).isTrue();
        assertThat(forAlice.lastMessage().body().text()).isEmpty();
        assertThat(forAlice.unread()).isEqualTo(1);
        ConversationSummary forBob = engine().conversations("bob", null, null).conversations().get(0);
        assertThat(forBob.lastMessage().body().text()).isEqualTo("two");
    }

    // ------------------------------------------------------------------ reactions

    @Test
    void reactionsAreSummarisedPerEmojiWithTheReadersOwnMarked() {
        Message m = send("alice", group, "lunch?");
        engine().react("alice", group.id(), m.id(), "👍");
        engine().react("bob", group.id(), m.id(), "🍕");
        engine().react("bob", group.id(), m.id(), "👍");

        assertThat(inHistory("alice", group, 1).reactions()).containsExactly(
                new ReactionSummary("👍", 2, List.of("alice", "bob"), true),
                new ReactionSummary("🍕", 1, List.of("bob"), false));
        assertThat(inHistory("carol", group, 1).reactions()).extracting(ReactionSummary::me)
                .containsExactly(false, false);
    }

    @Test
    void reactionEventsGoToAllMembersWithTheMessagesSeq() {
        send("alice", group, "one");
        Message m = send("alice", group, "two");

        engine().react("bob", group.id(), m.id(), "👍");
        engine().unreact("bob", group.id(), m.id(), "👍");

        assertThat(deliveriesOf(ReactionEvent.class)).extracting(Delivery::event).containsExactly(
                new ReactionEvent(group.id(), m.id(), 2, "bob", "👍", ReactionAction.ADDED),
                new ReactionEvent(group.id(), m.id(), 2, "bob", "👍", ReactionAction.REMOVED));
        assertThat(deliveriesOf(ReactionEvent.class)).allSatisfy(d -> assertThat(d.recipients())
                .containsExactlyInAnyOrder("alice", "bob", "carol"));
        assertThat(inHistory("bob", group, 2).reactions()).isEmpty();
    }

    @Test
    void reactingTwiceOrRemovingAnAbsentReactionChangesNothingAndAnnouncesNothing() {
        Message m = send("alice", dm, "x");
        engine().react("bob", dm.id(), m.id(), "👍");

        engine().react("bob", dm.id(), m.id(), "👍");
        engine().unreact("bob", dm.id(), m.id(), "❤️");

        assertThat(events(ReactionEvent.class)).hasSize(1);
        assertThat(inHistory("bob", dm, 1).reactions()).containsExactly(
                new ReactionSummary("👍", 1, List.of("bob"), true));
    }

    @Test
    void aSummaryNamesTheFirstTenUsersAndCountsThemAll() {
        List<String> crowd = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            crowd.add(engine().putUser("u" + i, "User " + i).id());
        }
        Conversation big = engine().createGroup("alice", "Crowd", crowd);
        Message m = send("alice", big, "vote");
        crowd.forEach(u -> engine().react(u, big.id(), m.id(), "✅"));

        ReactionSummary summary = inHistory("u11", big, 1).reactions().get(0);
        assertThat(summary.count()).isEqualTo(12);
        assertThat(summary.userIds()).containsExactlyElementsOf(crowd.subList(0, 10));
        assertThat(summary.me()).as("u11 is beyond the listed ten but still sees its own").isTrue();
    }

    @Test
    void emojiIsValidated() {
        Message m = send("alice", dm, "x");

        assertCode(ErrorCode.BAD_REQUEST, () -> engine().react("bob", dm.id(), m.id(), "a"));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine().react("bob", dm.id(), m.id(), "+1"));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine().react("bob", dm.id(), m.id(), ""));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine().react("bob", dm.id(), m.id(), null));
        assertCode(ErrorCode.TOO_LARGE, () -> engine().react("bob", dm.id(), m.id(), "👍".repeat(9)));
        assertCode(ErrorCode.BAD_REQUEST, () -> engine().unreact("bob", dm.id(), m.id(), "x"));
        engine().react("bob", dm.id(), m.id(), "👍🏽");
        engine().react("bob", dm.id(), m.id(), "👨‍👩‍👧‍👦");
        assertThat(inHistory("bob", dm, 1).reactions()).extracting(ReactionSummary::emoji)
                .containsExactly("👍🏽", "👨‍👩‍👧‍👦");
    }

    @Test
    void aUserHasALimitedNumberOfDistinctReactionsPerMessage() {
        start(b -> b.maxReactionsPerUser(2));
        Message m = send("alice", dm, "x");
        engine().react("bob", dm.id(), m.id(), "👍");
        engine().react("bob", dm.id(), m.id(), "❤️");

        assertThatThrownBy(() -> engine().react("bob", dm.id(), m.id(), "😂"))
                .hasMessageContaining("at most 2").extracting("code").isEqualTo(ErrorCode.TOO_LARGE);
        engine().react("alice", dm.id(), m.id(), "😂");
        engine().react("bob", dm.id(), m.id(), "👍"); // a repeat is not a new one
        assertThat(ChatLimits.defaults().maxReactionsPerUser()).isEqualTo(20);
    }

    @Test
    void aMessageHasALimitedNumberOfDistinctEmoji() {
        start(b -> b.maxEmojiPerMessage(2));
        Message m = send("alice", group, "x");
        engine().react("alice", group.id(), m.id(), "👍");
        engine().react("bob", group.id(), m.id(), "❤️");

        assertThatThrownBy(() -> engine().react("carol", group.id(), m.id(), "😂"))
                .hasMessageContaining("at most 2").extracting("code").isEqualTo(ErrorCode.TOO_LARGE);
        engine().react("carol", group.id(), m.id(), "👍"); // an emoji already there is fine
        assertThat(inHistory("carol", group, 1).reactions()).extracting(ReactionSummary::count).containsExactly(2, 1);
        assertThat(ChatLimits.defaults().maxEmojiPerMessage()).isEqualTo(50);
    }

    @Test
    void reactingToADeletedMessageIsAConflict() {
        Message m = send("alice", dm, "x");
        engine().delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);

        assertCode(ErrorCode.CONFLICT, () -> engine().react("bob", dm.id(), m.id(), "👍"));
        assertCode(ErrorCode.CONFLICT, () -> engine().unreact("bob", dm.id(), m.id(), "👍"));
    }

    @Test
    void reactingInADirectConversationWithABlockIsForbidden() {
        Message m = send("alice", dm, "x");
        engine().block("alice", "bob");

        assertCode(ErrorCode.FORBIDDEN, () -> engine().react("bob", dm.id(), m.id(), "👍"));
    }

    @Test
    void aRefusedOutsiderDoesNotChangeWhatMembersMayDo() {
        Message m = send("alice", dm, "x");
        engine().block("alice", "dave");

        assertCode(ErrorCode.FORBIDDEN, () -> engine().react("dave", dm.id(), m.id(), "👍"));
        assertCode(ErrorCode.FORBIDDEN, () -> send("dave", dm, "let me in"));

        engine().react("bob", dm.id(), m.id(), "👍");
        assertThat(send("bob", dm, "still talking").seq()).isEqualTo(2);
    }

    @Test
    void editEventsCarryNoReadersMark() {
        Message m = send("alice", dm, "x");
        engine().react("alice", dm.id(), m.id(), "👍");

        Message reply = engine().edit("alice", dm.id(), m.id(), new MessageBody("y"));

        assertThat(reply.reactions()).singleElement().satisfies(r -> assertThat(r.me()).isTrue());
        assertThat(events(MessageEditedEvent.class)).singleElement().satisfies(e -> assertThat(e.message().reactions())
                .containsExactly(new ReactionSummary("👍", 1, List.of("alice"), false)));
    }

    // ------------------------------------------------------------------ pins

    @Test
    void aPlainMemberCannotPinInAGroupButOwnersAndAdminsCan() {
        Message m1 = send("bob", group, "one");
        Message m2 = send("bob", group, "two");

        assertThatThrownBy(() -> engine().pin("bob", group.id(), m1.id()))
                .hasMessageContaining("owners and admins").extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        engine().pin("alice", group.id(), m1.id());
        engine().pin("carol", group.id(), m2.id());
        assertCode(ErrorCode.FORBIDDEN, () -> engine().unpin("bob", group.id(), m1.id()));

        assertThat(engine().pins("bob", group.id())).extracting(Message::id).containsExactly(m2.id(), m1.id());
    }

    @Test
    void eitherMemberPinsInADirectConversation() {
        Message m = send("alice", dm, "address: 1 Main St");

        engine().pin("bob", dm.id(), m.id());

        assertThat(engine().pins("alice", dm.id())).extracting(Message::id).containsExactly(m.id());
        assertThat(deliveriesOf(PinEvent.class)).singleElement().satisfies(d -> {
            assertThat(d.recipients()).containsExactlyInAnyOrder("alice", "bob");
            assertThat(d.event()).isEqualTo(new PinEvent(dm.id(), m.id(), true, "bob"));
        });
    }

    @Test
    void pinsAreListedNewestPinFirstAndRepinningChangesNothing() {
        Message m1 = send("alice", dm, "one");
        Message m2 = send("alice", dm, "two");
        Message m3 = send("alice", dm, "three");
        engine().pin("alice", dm.id(), m2.id());
        engine().pin("alice", dm.id(), m3.id());
        engine().pin("alice", dm.id(), m1.id());
        engine().pin("bob", dm.id(), m2.id());

        assertThat(engine().pins("bob", dm.id())).extracting(Message::id).containsExactly(m1.id(), m3.id(), m2.id());
        assertThat(events(PinEvent.class)).hasSize(3);
    }

    @Test
    void unpinAnnouncesAndUnpinningAnUnpinnedMessageChangesNothing() {
        Message m = send("alice", dm, "x");
        engine().pin("alice", dm.id(), m.id());

        engine().unpin("bob", dm.id(), m.id());
        engine().unpin("bob", dm.id(), m.id());

        assertThat(engine().pins("alice", dm.id())).isEmpty();
        assertThat(events(PinEvent.class)).containsExactly(new PinEvent(dm.id(), m.id(), true, "alice"),
                new PinEvent(dm.id(), m.id(), false, "bob"));
    }

    @Test
    void aConversationHasALimitedNumberOfPins() {
        start(b -> b.maxPinsPerConversation(2));
        Message m1 = send("alice", dm, "one");
        Message m2 = send("alice", dm, "two");
        Message m3 = send("alice", dm, "three");
        engine().pin("alice", dm.id(), m1.id());
        engine().pin("alice", dm.id(), m2.id());

        assertThatThrownBy(() -> engine().pin("alice", dm.id(), m3.id()))
                .hasMessageContaining("at most 2").extracting("code").isEqualTo(ErrorCode.TOO_LARGE);
        engine().unpin("alice", dm.id(), m1.id());
        engine().pin("alice", dm.id(), m3.id());
        assertThat(ChatLimits.defaults().maxPinsPerConversation()).isEqualTo(50);
    }

    @Test
    void pinningADeletedMessageIsAConflict() {
        Message m = send("alice", dm, "x");
        engine().delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);

        assertCode(ErrorCode.CONFLICT, () -> engine().pin("alice", dm.id(), m.id()));
    }

    @Test
    void pinnedMessagesCarryReactionsAndTheReadersHiddenStub() {
        Message m1 = send("alice", dm, "one");
        Message m2 = send("alice", dm, "two");
        engine().pin("alice", dm.id(), m1.id());
        engine().pin("alice", dm.id(), m2.id());
        engine().react("bob", dm.id(), m1.id(), "📌");
        engine().delete("bob", dm.id(), m2.id(), DeleteScope.ME);

        List<Message> pins = engine().pins("bob", dm.id());

        assertThat(pins.get(0).hidden()).isTrue();
        assertThat(pins.get(1).reactions()).containsExactly(new ReactionSummary("📌", 1, List.of("bob"), true));
    }

    @Test
    void limitsRejectNonPositiveValues() {
        assertThatThrownBy(() -> ChatLimits.builder().maxPinsPerConversation(0).build())
                .hasMessageContaining("maxPinsPerConversation");
        assertThatThrownBy(() -> ChatLimits.builder().editWindow(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("editWindow");
        assertThat(ChronoUnit.HOURS.between(T0, T0.plus(ChatLimits.defaults().editWindow()))).isEqualTo(48);
    }
}
