package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.SearchQuery;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** System messages for membership and group changes, and mentions on send. */
class SystemMessagesAndMentionsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private ChatEngine engine;
    /** Owned by alice; bob and carol are members. */
    private Conversation group;

    @BeforeEach
    void setUp() {
        engine = ChatEngine.builder().store(new InMemoryChatStore()).clock(clock).build();
        engine.subscribe(deliveries::add);
        for (String user : List.of("alice", "bob", "carol", "dave")) {
            engine.putUser(user, user);
        }
        group = engine.createGroup("alice", "Team", List.of("bob", "carol"));
        deliveries.clear();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private List<Message> history(String viewer) {
        return engine.history(viewer, group.id(), null, null, 100).messages();
    }

    private List<SystemInfo> systemInfos(String viewer) {
        return history(viewer).stream().filter(Message::fromSystem).map(Message::system).toList();
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private ConversationSummary summary(String userId) {
        return engine.conversations(userId, 10, null).conversations().stream()
                .filter(s -> s.conversation().id().equals(group.id())).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------- system messages

    @Test
    void eachMembershipAndGroupChangeIsStoredAsASystemMessageInOrder() {
        engine.addMember("alice", group.id(), "dave");
        engine.setRole("alice", group.id(), "bob", Role.ADMIN);
        engine.updateGroup("alice", group.id(), "Renamed", null, null);
        engine.removeMember("alice", group.id(), "carol");
        engine.leaveGroup("dave", group.id());
        engine.transferOwnership("alice", group.id(), "bob");

        assertThat(systemInfos("alice")).containsExactly(
                new SystemInfo(SystemInfo.MEMBER_ADDED, "dave", null),
                new SystemInfo(SystemInfo.ROLE_CHANGED, "bob", "admin"),
                new SystemInfo(SystemInfo.GROUP_UPDATED, null, null),
                new SystemInfo(SystemInfo.MEMBER_REMOVED, "carol", null),
                new SystemInfo(SystemInfo.MEMBER_LEFT, "dave", null),
                new SystemInfo(SystemInfo.OWNER_CHANGED, "bob", null));
        List<Message> history = history("alice");
        assertThat(history).extracting(Message::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(history.get(0).senderId()).isEqualTo("alice");
        assertThat(history.get(0).body().text()).isEmpty();
        assertThat(history.get(0).clientMsgId()).startsWith("sys:");
    }

    @Test
    void aChangeThatChangesNothingLeavesNoSystemMessage() {
        engine.setRole("alice", group.id(), "bob", Role.MEMBER);
        engine.updateGroup("alice", group.id(), "Team", null, null);

        assertThat(history("alice")).isEmpty();
    }

    @Test
    void joiningByInviteIsAMemberJoinedMessage() {
        GroupInvite invite = engine.createInvite("alice", group.id(), null, null);
        engine.join("dave", invite.code());

        assertThat(systemInfos("dave")).containsExactly(new SystemInfo(SystemInfo.MEMBER_JOINED, "dave", null));
        assertThat(history("dave").get(0).senderId()).isEqualTo("dave");
    }

    @Test
    void systemMessagesArePushedAsMessageEventsToCurrentMembers() {
        engine.addMember("alice", group.id(), "dave");

        List<Delivery> messages = deliveries.stream().filter(d -> d.event() instanceof MessageEvent).toList();
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).recipients()).containsExactlyInAnyOrder("alice", "bob", "carol", "dave");
        assertThat(((MessageEvent) messages.get(0).event()).message().system().type())
                .isEqualTo(SystemInfo.MEMBER_ADDED);
    }

    @Test
    void systemMessagesCannotBeEditedOrReactedTo() {
        engine.addMember("alice", group.id(), "dave");
        Message system = history("alice").get(0);

        assertCode(() -> engine.edit("alice", group.id(), system.id(), new MessageBody("x")), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.react("bob", group.id(), system.id(), "👍"), ErrorCode.BAD_REQUEST);
    }

    @Test
    void systemMessagesAreNotUnreadAndNotFound() {
        engine.addMember("alice", group.id(), "dave");
        engine.updateGroup("alice", group.id(), "member added", null, null);

        assertThat(summary("bob").unread()).isZero();
        assertThat(summary("bob").lastMessage().system()).isNotNull();
        assertThat(engine.store().search("bob", new SearchQuery("member", null, null, null, null, 10, 0))).isEmpty();
    }

    // ---------------------------------------------------------------- mentions

    private Message send(String sender, String clientMsgId, List<String> mentions) {
        return engine.send(sender, group.id(), clientMsgId, new MessageBody("hey"), null, null, mentions).join();
    }

    @Test
    void mentionsAreStoredDeduplicatedInTheSendersOrder() {
        Message m = send("alice", "c-1", List.of("carol", "bob", "carol"));

        assertThat(m.mentions()).containsExactly("carol", "bob");
        assertThat(history("bob").get(0).mentions()).containsExactly("carol", "bob");
    }

    @Test
    void mentionsMustBeMembersAndAtMostFifty() {
        assertCode(() -> send("alice", "c-1", List.of("dave")), ErrorCode.BAD_REQUEST);
        assertCode(() -> send("alice", "c-2", List.of("nobody")), ErrorCode.BAD_REQUEST);
        assertCode(() -> send("alice", "c-3", Collections.singletonList(null)), ErrorCode.BAD_REQUEST);
        // 51 mentions of members, deduplicated to 3: accepted.
        List<String> many = IntStream.range(0, 51).mapToObj(i -> List.of("alice", "bob", "carol").get(i % 3)).toList();
        assertThat(send("alice", "c-4", many).mentions()).hasSize(3);
    }

    @Test
    void mentionsUnreadCountsMentionsOfTheCallerAboveTheReadCursor() {
        send("alice", "c-1", List.of("bob"));
        Message second = send("carol", "c-2", List.of("bob", "alice"));
        send("alice", "c-3", List.of("carol"));

        assertThat(summary("bob").mentionsUnread()).isEqualTo(2);
        assertThat(summary("alice").mentionsUnread()).isEqualTo(1);
        engine.receipt("bob", group.id(), CursorKind.READ, second.seq() - 1);
        assertThat(summary("bob").mentionsUnread()).isEqualTo(1);
        engine.receipt("bob", group.id(), CursorKind.READ, second.seq());
        assertThat(summary("bob").mentionsUnread()).isZero();
    }
}
