package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.FriendEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.event.FriendChange;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.local.InMemoryChatStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Friends, blocks, privacy and profiles, as ChatEngine enforces them. */
class SocialRulesTest {
    private ChatEngine engine;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        engine = ChatEngine.builder().store(new InMemoryChatStore())
                .limits(ChatLimits.builder().presenceGrace(Duration.ZERO).build()).build();
        engine.subscribe(deliveries::add);
        for (String u : List.of("alice", "bob", "carol")) {
            engine.putUser(u, u.substring(0, 1).toUpperCase() + u.substring(1));
        }
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private List<Delivery> of(Class<? extends ChatEvent> type) {
        return deliveries.stream().filter(d -> type.isInstance(d.event())).toList();
    }

    private Message send(String from, String conversationId, String text) {
        return engine.sendAndWait(from, conversationId, text, new MessageBody(text), null);
    }

    @Test
    void friendRequestAcceptAndRemoveAreToldToTheOtherUser() {
        engine.requestFriend("alice", "bob");
        assertThat(engine.relations("bob").incoming()).containsExactly("alice");
        assertThat(engine.relations("alice").outgoing()).containsExactly("bob");
        engine.acceptFriend("bob", "alice");
        assertThat(engine.relations("alice").friends()).containsExactly("bob");
        assertThat(engine.relations("bob").friends()).containsExactly("alice");
        engine.removeFriend("alice", "bob");
        assertThat(engine.relations("bob").friends()).isEmpty();
        assertThat(of(FriendEvent.class)).extracting(d -> ((FriendEvent) d.event()).state(), d -> d.recipients())
                .containsExactly(org.assertj.core.groups.Tuple.tuple(FriendChange.REQUESTED, java.util.Set.of("bob")),
                        org.assertj.core.groups.Tuple.tuple(FriendChange.ACCEPTED, java.util.Set.of("alice")),
                        org.assertj.core.groups.Tuple.tuple(FriendChange.REMOVED, java.util.Set.of("bob")));
    }

    @Test
    void mutualRequestsBecomeFriendship() {
        engine.requestFriend("alice", "bob");
        engine.requestFriend("bob", "alice");
        assertThat(engine.relations("alice").friends()).containsExactly("bob");
    }

    @Test
    void friendRequestBadInput() {
        assertThatThrownBy(() -> engine.requestFriend("alice", "alice")).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> engine.requestFriend("alice", "ghost")).extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
        engine.requestFriend("alice", "bob");
        assertThatThrownBy(() -> engine.requestFriend("alice", "bob")).extracting("code").isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> engine.acceptFriend("alice", "bob")).extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
        engine.cancelFriendRequest("alice", "bob");
        assertThatThrownBy(() -> engine.declineFriend("bob", "alice")).extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
        engine.requestFriend("alice", "bob");
        engine.declineFriend("bob", "alice");
        assertThat(engine.relations("alice").outgoing()).isEmpty();
        assertThatThrownBy(() -> engine.removeFriend("alice", "bob")).extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void blockedUserCannotMessageBefriendOrAdd() {
        Conversation dm = engine.createDirect("alice", "bob");
        engine.requestFriend("bob", "alice");
        engine.block("alice", "bob");
        assertThat(engine.relations("alice").incoming()).isEmpty(); // block drops the pending request
        assertThatThrownBy(() -> send("bob", dm.id(), "hi")).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> send("alice", dm.id(), "hi")).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> engine.createDirect("bob", "alice")).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> engine.requestFriend("bob", "alice")).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> engine.createGroup("bob", "Trap", List.of("alice"))).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        Conversation group = engine.createGroup("bob", "Club", List.of("carol"));
        assertThatThrownBy(() -> engine.addMember("bob", group.id(), "alice")).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        assertThatThrownBy(() -> engine.block("alice", "bob")).extracting("code").isEqualTo(ErrorCode.CONFLICT);
        engine.unblock("alice", "bob");
        assertThat(send("bob", dm.id(), "hi again").seq()).isEqualTo(1);
        assertThatThrownBy(() -> engine.unblock("alice", "bob")).extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void blockTakesEffectOnAConversationAlreadyUsed() {
        Conversation dm = engine.createDirect("alice", "bob");
        send("bob", dm.id(), "before");
        engine.block("alice", "bob");
        assertThatThrownBy(() -> send("bob", dm.id(), "after")).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        engine.unblock("alice", "bob");
        assertThat(send("bob", dm.id(), "again").seq()).isEqualTo(2);
    }

    @Test
    void directMessagesFromFriendsOnly() {
        engine.updatePrivacy("bob", new PrivacySettings(Audience.FRIENDS, Audience.EVERYONE, Audience.EVERYONE, true));
        assertThatThrownBy(() -> engine.createDirect("alice", "bob"))
                .isInstanceOf(ChatException.class).hasMessageContaining("friends");
        engine.requestFriend("alice", "bob");
        engine.acceptFriend("bob", "alice");
        assertThat(engine.createDirect("alice", "bob")).isNotNull();
    }

    @Test
    void blockedUserDoesNotSeePresence() {
        engine.createDirect("alice", "bob");
        engine.createDirect("alice", "carol");
        engine.block("alice", "bob");
        engine.deviceConnected("alice");
        Delivery online = of(PresenceEvent.class).get(0);
        assertThat(online.recipients()).containsExactly("carol");
        assertThat(engine.presence("bob", List.of("alice"))).isEmpty();
        assertThat(engine.presence("carol", List.of("alice"))).extracting(PresenceEvent::status).containsExactly(PresenceStatus.ONLINE);
    }

    @Test
    void lastSeenHiddenFromNonFriendsButPresenceShown() {
        engine.createDirect("alice", "bob");
        engine.createDirect("alice", "carol");
        engine.requestFriend("alice", "carol");
        engine.acceptFriend("carol", "alice");
        engine.updatePrivacy("alice", new PrivacySettings(Audience.EVERYONE, Audience.FRIENDS, Audience.EVERYONE, true));
        engine.deviceConnected("alice");
        engine.deviceDisconnected("alice");
        await().atMost(Duration.ofSeconds(3)).until(() -> of(PresenceEvent.class).size() >= 3);
        List<Delivery> offline = of(PresenceEvent.class).stream()
                .filter(d -> ((PresenceEvent) d.event()).status() == PresenceStatus.OFFLINE).toList();
        assertThat(offline).anySatisfy(d -> {
            assertThat(d.recipients()).containsExactly("carol");
            assertThat(((PresenceEvent) d.event()).lastSeenAt()).isNotNull();
        });
        assertThat(offline).anySatisfy(d -> {
            assertThat(d.recipients()).containsExactly("bob");
            assertThat(((PresenceEvent) d.event()).lastSeenAt()).isNull();
        });
    }

    @Test
    void presenceHiddenFromEveryoneWithNobody() {
        engine.createDirect("alice", "bob");
        engine.updatePrivacy("alice", new PrivacySettings(Audience.EVERYONE, Audience.NOBODY, Audience.NOBODY, true));
        engine.deviceConnected("alice");
        assertThat(of(PresenceEvent.class)).isEmpty();
        assertThat(engine.presence("bob", List.of("alice"))).isEmpty();
    }

    @Test
    void readReceiptsOffNeitherSentNorSeen() {
        Conversation dm = engine.createDirect("alice", "bob");
        send("alice", dm.id(), "one");
        send("alice", dm.id(), "two");
        engine.updatePrivacy("bob", new PrivacySettings(Audience.EVERYONE, Audience.EVERYONE, Audience.EVERYONE, false));
        engine.receipt("bob", dm.id(), CursorKind.READ, 1);
        assertThat(of(ReceiptEvent.class)).isEmpty();
        assertThat(engine.conversations("bob", 10, null).conversations().get(0).unread()).isEqualTo(1);
        assertThat(engine.members("alice", dm.id())).filteredOn(m -> m.userId().equals("bob"))
                .extracting(Member::readSeq).containsExactly(0L);
        // bob does not see alice's read receipts either
        send("bob", dm.id(), "three");
        engine.receipt("alice", dm.id(), CursorKind.READ, 3);
        assertThat(of(ReceiptEvent.class)).isEmpty();
        engine.receipt("bob", dm.id(), CursorKind.DELIVERED, 2);
        assertThat(of(ReceiptEvent.class)).hasSize(1); // delivered still flows
    }

    @Test
    void profileUpdateValidatesAndKeepsUnsetFields() {
        User u = engine.updateProfile("alice", null, "https://example.org/a.png", "Hi there");
        assertThat(u.name()).isEqualTo("Alice");
        assertThat(engine.updateProfile("alice", "Alice B", null, null).bio()).isEqualTo("Hi there");
        assertThat(engine.updateProfile("alice", null, "", "").avatar()).isNull();
        assertThatThrownBy(() -> engine.updateProfile("alice", null, "javascript:alert(1)", null))
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> engine.updateProfile("alice", null, null, "x".repeat(501)))
                .extracting("code").isEqualTo(ErrorCode.TOO_LARGE);
        assertThat(engine.putUser("alice", "Renamed").bio()).isNull();
    }

    @Test
    void searchLeavesOutUsersWhoBlockedTheCaller() {
        engine.block("carol", "alice");
        assertThat(engine.searchUsers("alice", "o", 10)).extracting(User::id).containsExactly("bob");
        assertThat(engine.searchUsers("bob", "o", 10)).extracting(User::id).containsExactly("bob", "carol");
        assertThatThrownBy(() -> engine.searchUsers("alice", " ", 10)).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }
}
