package dev.parley.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.event.ChatEvent.ConversationEvent;
import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.local.InMemoryChatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Roles, removal, leaving, settings, mutes, bans and invite links: the rules and their denials. */
class GroupAdministrationTest {
    private static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger msgIds = new AtomicInteger();
    private InMemoryChatStore store;
    private ChatEngine engine;
    /** Owned by alice; carol is an admin, bob and dave are members. */
    private Conversation group;

    @BeforeEach
    void setUp() {
        store = new InMemoryChatStore();
        engine = ChatEngine.builder().store(store).clock(clock).build();
        engine.subscribe(deliveries::add);
        for (String user : List.of("alice", "bob", "carol", "dave", "erin")) {
            engine.putUser(user, user);
        }
        group = engine.createGroup("alice", "Team", List.of("bob", "carol", "dave"));
        engine.setRole("alice", group.id(), "carol", Role.ADMIN);
        deliveries.clear();
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private Message send(String sender) {
        return engine.sendAndWait(sender, group.id(), "c-" + msgIds.incrementAndGet(), new MessageBody("hi"), null);
    }

    private Role role(String userId) {
        return store.findMember(group.id(), userId).orElseThrow().role();
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    private List<ConversationEvent> conversationEventsTo(String userId) {
        return deliveries.stream().filter(d -> d.recipients().contains(userId))
                .map(Delivery::event).filter(ConversationEvent.class::isInstance).map(ConversationEvent.class::cast)
                .toList();
    }

    // ---------------------------------------------------------------- roles

    @Test
    void ownerPromotesAndDemotesAndMembersHearOfIt() {
        engine.setRole("alice", group.id(), "bob", Role.ADMIN);
        assertThat(role("bob")).isEqualTo(Role.ADMIN);
        await().until(() -> !conversationEventsTo("dave").isEmpty());
        engine.setRole("alice", group.id(), "bob", Role.MEMBER);
        assertThat(role("bob")).isEqualTo(Role.MEMBER);
    }

    @Test
    void onlyTheOwnerSetsRolesAndNeverToOwner() {
        assertCode(() -> engine.setRole("carol", group.id(), "bob", Role.ADMIN), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.setRole("alice", group.id(), "bob", Role.OWNER), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.setRole("alice", group.id(), "alice", Role.ADMIN), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.setRole("alice", group.id(), "erin", Role.ADMIN), ErrorCode.NOT_FOUND);
        assertCode(() -> engine.setRole("erin", group.id(), "bob", Role.ADMIN), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.setRole("alice", "nope", "bob", Role.ADMIN), ErrorCode.NOT_FOUND);
    }

    @Test
    void transferringOwnershipMakesTheOldOwnerAnAdmin() {
        engine.transferOwnership("alice", group.id(), "bob");
        assertThat(role("bob")).isEqualTo(Role.OWNER);
        assertThat(role("alice")).isEqualTo(Role.ADMIN);
        assertCode(() -> engine.transferOwnership("alice", group.id(), "dave"), ErrorCode.FORBIDDEN);
    }

    @Test
    void groupCommandsOnADirectConversationAreBadRequests() {
        Conversation dm = engine.createDirect("alice", "bob");
        assertCode(() -> engine.setRole("alice", dm.id(), "bob", Role.ADMIN), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.leaveGroup("alice", dm.id()), ErrorCode.BAD_REQUEST);
    }

    // ---------------------------------------------------------------- removal and leaving

    @Test
    void aRemovedMemberCanNeitherReadNorWriteAndIsTold() {
        send("bob");
        engine.removeMember("carol", group.id(), "bob");

        assertCode(() -> send("bob"), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.history("bob", group.id(), null, null, null), ErrorCode.FORBIDDEN);
        await().until(() -> !conversationEventsTo("bob").isEmpty());
        assertThat(conversationEventsTo("bob").get(0).memberIds()).doesNotContain("bob");
        assertThat(conversationEventsTo("dave")).isNotEmpty();
    }

    @Test
    void anAdminRemovesOnlyPlainMembersAndTheOwnerAnyoneButThemselves() {
        engine.setRole("alice", group.id(), "bob", Role.ADMIN);
        assertCode(() -> engine.removeMember("carol", group.id(), "bob"), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.removeMember("carol", group.id(), "alice"), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.removeMember("dave", group.id(), "bob"), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.removeMember("alice", group.id(), "alice"), ErrorCode.BAD_REQUEST);
        engine.removeMember("alice", group.id(), "bob");
        assertThat(store.findMember(group.id(), "bob")).isEmpty();
    }

    @Test
    void theOwnerLeavesOnlyAfterTransferringUnlessLast() {
        assertCode(() -> engine.leaveGroup("alice", group.id()), ErrorCode.FORBIDDEN);
        engine.leaveGroup("dave", group.id());
        assertCode(() -> send("dave"), ErrorCode.FORBIDDEN);

        Conversation solo = engine.createGroup("erin", "Solo", List.of());
        engine.leaveGroup("erin", solo.id());
        assertThat(store.members(solo.id())).isEmpty();
    }

    // ---------------------------------------------------------------- settings

    @Test
    void infoEditorsDecideWhoRenames() {
        assertCode(() -> engine.updateGroup("bob", group.id(), "Mine", null, null), ErrorCode.FORBIDDEN);
        Conversation updated = engine.updateGroup("carol", group.id(), "Crew", "the crew", "https://x/a.png");
        assertThat(updated.name()).isEqualTo("Crew");
        assertThat(updated.settings().description()).isEqualTo("the crew");
        assertThat(engine.conversation("bob", group.id()).name()).isEqualTo("Crew");

        engine.setGroupPermissions("alice", group.id(), null, null, GroupPermission.ALL, null);
        assertThat(engine.updateGroup("bob", group.id(), null, "", null).settings().description()).isNull();
        assertCode(() -> engine.updateGroup("bob", group.id(), null, null, "ftp://x"), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.updateGroup("bob", group.id(), null, null, null), ErrorCode.BAD_REQUEST);
    }

    @Test
    void whoCanPostAdminsSilencesPlainMembers() {
        assertCode(() -> engine.setGroupPermissions("bob", group.id(), GroupPermission.ADMINS, null, null, null),
                ErrorCode.FORBIDDEN);
        engine.setGroupPermissions("carol", group.id(), GroupPermission.ADMINS, null, null, null);
        assertCode(() -> send("bob"), ErrorCode.FORBIDDEN);
        send("carol");
    }

    @Test
    void aPermissionChangeAppliesToTheNextSendAfterEarlierSends() {
        send("bob"); // the engine now holds this group's post settings
        engine.setGroupPermissions("alice", group.id(), GroupPermission.ADMINS, null, null, null);
        assertCode(() -> send("bob"), ErrorCode.FORBIDDEN);
        engine.setGroupPermissions("alice", group.id(), GroupPermission.ALL, null, null, null);
        send("bob");
    }

    @Test
    void whoCanAddAllLetsMembersAdd() {
        assertCode(() -> engine.addMember("bob", group.id(), "erin"), ErrorCode.FORBIDDEN);
        engine.setGroupPermissions("alice", group.id(), null, GroupPermission.ALL, null, null);
        engine.addMember("bob", group.id(), "erin");
        assertThat(store.findMember(group.id(), "erin")).isPresent();
    }

    @Test
    void slowModeRateLimitsPlainMembersButNotAdmins() {
        engine.setGroupPermissions("alice", group.id(), null, null, null, 30);
        send("bob");
        assertThatThrownBy(() -> send("bob")).isInstanceOfSatisfying(ChatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            assertThat(e.retryAfterMs()).isEqualTo(30_000L);
        });
        send("carol");
        send("carol");
        clock.advance(Duration.ofSeconds(10));
        // a refused post does not reset the clock, and does not clear it either
        assertThatThrownBy(() -> send("bob")).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.retryAfterMs()).isEqualTo(20_000L));
        clock.advance(Duration.ofSeconds(20));
        send("bob");
    }

    @Test
    void slowModeIsLimitedToAnHour() {
        assertCode(() -> engine.setGroupPermissions("alice", group.id(), null, null, null, 3601), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.setGroupPermissions("alice", group.id(), null, null, null, -1), ErrorCode.BAD_REQUEST);
    }

    // ---------------------------------------------------------------- mutes and bans

    @Test
    void aMutedMemberCannotPostUntilTheMuteEnds() {
        Instant until = engine.mute("carol", group.id(), "bob", 60);
        assertThat(until).isEqualTo(T0.plusSeconds(60));
        assertThatThrownBy(() -> send("bob")).isInstanceOfSatisfying(ChatException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.getMessage()).contains("muted until");
        });
        clock.advance(Duration.ofSeconds(60));
        send("bob");
    }

    @Test
    void unmuteLiftsAMuteAndAdminsCannotMuteTheirBetters() {
        engine.mute("carol", group.id(), "bob", 600);
        engine.unmute("carol", group.id(), "bob");
        send("bob");
        assertCode(() -> engine.unmute("carol", group.id(), "bob"), ErrorCode.NOT_FOUND);
        assertCode(() -> engine.mute("carol", group.id(), "alice", 60), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.mute("bob", group.id(), "dave", 60), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.mute("carol", group.id(), "dave", 0), ErrorCode.BAD_REQUEST);
    }

    @Test
    void aBannedUserIsRemovedAndCannotBeAddedBackUntilUnbanned() {
        engine.ban("carol", group.id(), "bob");
        assertCode(() -> send("bob"), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.addMember("alice", group.id(), "bob"), ErrorCode.FORBIDDEN);
        await().until(() -> !conversationEventsTo("bob").isEmpty());

        engine.unban("carol", group.id(), "bob");
        engine.addMember("alice", group.id(), "bob");
        assertCode(() -> engine.unban("carol", group.id(), "bob"), ErrorCode.NOT_FOUND);
    }

    // ---------------------------------------------------------------- invite links

    @Test
    void anInviteLetsAnyoneJoinOnce() {
        GroupInvite invite = engine.createInvite("carol", group.id(), null, 1);
        assertThat(invite.code()).matches("[A-Za-z0-9_-]{22}");
        Conversation joined = engine.join("erin", invite.code());
        assertThat(joined.id()).isEqualTo(group.id());
        assertThat(store.findMember(group.id(), "erin").orElseThrow().role()).isEqualTo(Role.MEMBER);
        assertCode(() -> engine.join("erin", invite.code()), ErrorCode.NOT_FOUND);
    }

    @Test
    void joinIsRefusedForMembersBannedUsersAndDeadCodes() {
        GroupInvite invite = engine.createInvite("alice", group.id(), 60L, null);
        assertCode(() -> engine.join("bob", invite.code()), ErrorCode.CONFLICT);
        engine.ban("alice", group.id(), "erin");
        assertCode(() -> engine.join("erin", invite.code()), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.join("erin", "no-such-code"), ErrorCode.NOT_FOUND);

        engine.unban("alice", group.id(), "erin");
        clock.advance(Duration.ofSeconds(60));
        assertCode(() -> engine.join("erin", invite.code()), ErrorCode.NOT_FOUND);
    }

    @Test
    void aRevokedInviteNoLongerWorks() {
        GroupInvite invite = engine.createInvite("alice", group.id(), null, null);
        assertCode(() -> engine.createInvite("bob", group.id(), null, null), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.revokeInvite("bob", group.id(), invite.code()), ErrorCode.FORBIDDEN);
        engine.revokeInvite("carol", group.id(), invite.code());
        assertCode(() -> engine.revokeInvite("carol", group.id(), invite.code()), ErrorCode.NOT_FOUND);
        assertCode(() -> engine.join("erin", invite.code()), ErrorCode.NOT_FOUND);
    }

    @Test
    void inviteLimitsAreChecked() {
        assertCode(() -> engine.createInvite("alice", group.id(), 0L, null), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.createInvite("alice", group.id(), null, 0), ErrorCode.BAD_REQUEST);
    }

    // ---------------------------------------------------------------- membership changes and the send cache

    /** The recipients of the fan-out of {@code m}, once it has left. */
    private Set<String> recipientsOf(Message m) {
        await().until(() -> deliveries.stream().anyMatch(d -> d.event() instanceof MessageEvent e
                && e.message().id().equals(m.id())));
        return deliveries.stream().filter(d -> d.event() instanceof MessageEvent e && e.message().id().equals(m.id()))
                .findFirst().orElseThrow().recipients();
    }

    private List<SystemInfo> systemInfos() {
        return engine.history("alice", group.id(), null, null, 100).messages().stream()
                .filter(Message::fromSystem).map(Message::system).toList();
    }

    @Test
    void aRemovedMemberLeavesTheSendPathEvenAfterTheGroupWasCached() {
        assertThat(recipientsOf(send("bob"))).contains("dave"); // the group's send context is now cached
        engine.removeMember("alice", group.id(), "dave");
        assertCode(() -> send("dave"), ErrorCode.FORBIDDEN);
        assertThat(recipientsOf(send("bob"))).doesNotContain("dave");
        assertThat(systemInfos()).contains(new SystemInfo(SystemInfo.MEMBER_REMOVED, "dave", null));
    }

    @Test
    void aBannedMemberLeavesTheSendPathAndTheBanIsRecorded() {
        send("bob");
        engine.ban("carol", group.id(), "dave");
        assertCode(() -> send("dave"), ErrorCode.FORBIDDEN);
        assertThat(recipientsOf(send("bob"))).doesNotContain("dave");
        assertThat(conversationEventsTo("dave")).isNotEmpty();
        assertThat(systemInfos()).contains(new SystemInfo(SystemInfo.MEMBER_REMOVED, "dave", null));
    }

    @Test
    void aMemberWhoLeftIsToldAndNoLongerReceives() {
        send("bob");
        engine.leaveGroup("dave", group.id());
        await().until(() -> !conversationEventsTo("dave").isEmpty());
        assertThat(conversationEventsTo("bob")).isNotEmpty();
        assertCode(() -> send("dave"), ErrorCode.FORBIDDEN);
        assertThat(recipientsOf(send("bob"))).doesNotContain("dave");
    }

    @Test
    void aMemberWhoJoinedByInviteSendsAndReceivesAtOnce() {
        send("bob");
        GroupInvite invite = engine.createInvite("alice", group.id(), null, null);
        engine.join("erin", invite.code());
        assertThat(recipientsOf(send("erin"))).contains("bob", "erin");
        assertThat(recipientsOf(send("bob"))).contains("erin");
        assertThat(conversationEventsTo("bob")).anySatisfy(e -> assertThat(e.memberIds()).contains("erin"));
        assertThat(systemInfos()).contains(new SystemInfo(SystemInfo.MEMBER_JOINED, "erin", null));
    }

    @Test
    void transferringOwnershipAndChangingPermissionsAreAnnouncedAndRecorded() {
        engine.transferOwnership("alice", group.id(), "bob");
        await().until(() -> !conversationEventsTo("dave").isEmpty());
        deliveries.clear();
        engine.setGroupPermissions("bob", group.id(), GroupPermission.ADMINS, null, null, null);
        await().until(() -> conversationEventsTo("dave").stream()
                .anyMatch(e -> e.conversation().settings().whoCanPost() == GroupPermission.ADMINS));
        deliveries.clear();
        engine.updateGroup("bob", group.id(), null, "what we do", null);
        await().until(() -> conversationEventsTo("dave").stream()
                .anyMatch(e -> "what we do".equals(e.conversation().settings().description())));
        assertThat(systemInfos()).containsSubsequence(new SystemInfo(SystemInfo.OWNER_CHANGED, "bob", null),
                new SystemInfo(SystemInfo.GROUP_UPDATED, null, null), new SystemInfo(SystemInfo.GROUP_UPDATED, null, null));
    }

    @Test
    void aChangedDescriptionIsStoredAndUsedByTheNextGroupInfo() {
        engine.updateGroup("alice", group.id(), null, "first", null);
        send("bob"); // settings are cached for the send path
        engine.updateGroup("alice", group.id(), null, "second", null);
        assertThat(engine.group("dave", group.id()).settings().description()).isEqualTo("second");
        engine.setGroupPermissions("alice", group.id(), GroupPermission.ADMINS, null, null, null);
        assertCode(() -> send("bob"), ErrorCode.FORBIDDEN);
    }

    // ---------------------------------------------------------------- who may, and missing fields

    @Test
    void plainMembersCannotBanUnbanUnmuteOrRevokeEvenOutsiders() {
        GroupInvite invite = engine.createInvite("alice", group.id(), null, null);
        engine.ban("alice", group.id(), "erin");
        assertCode(() -> engine.ban("dave", group.id(), "erin"), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.unban("dave", group.id(), "erin"), ErrorCode.FORBIDDEN);
        engine.mute("carol", group.id(), "bob", 60);
        assertCode(() -> engine.unmute("dave", group.id(), "bob"), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.revokeInvite("dave", group.id(), invite.code()), ErrorCode.FORBIDDEN);
        engine.unban("carol", group.id(), "erin");
        engine.unmute("carol", group.id(), "bob");
    }

    @Test
    void anAdminCannotBanTheOwnerOrAnotherAdmin() {
        engine.setRole("alice", group.id(), "bob", Role.ADMIN);
        assertCode(() -> engine.ban("carol", group.id(), "alice"), ErrorCode.FORBIDDEN);
        assertCode(() -> engine.ban("carol", group.id(), "bob"), ErrorCode.FORBIDDEN);
        assertThat(role("alice")).isEqualTo(Role.OWNER);
        assertThat(role("bob")).isEqualTo(Role.ADMIN);
    }

    @Test
    void missingIdsAreBadRequests() {
        assertCode(() -> engine.removeMember("alice", group.id(), null), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.setRole("alice", group.id(), null, Role.ADMIN), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.ban("alice", group.id(), null), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.unban("alice", group.id(), null), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.unmute("alice", group.id(), ""), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.revokeInvite("alice", group.id(), null), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.join("erin", null), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.join("erin", ""), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.leaveGroup("bob", null), ErrorCode.BAD_REQUEST);
    }

    // ---------------------------------------------------------------- limits at their edges

    @Test
    void limitsAcceptTheirEdgesAndRefuseOneBeyond() {
        long maxSeconds = GroupAdministration.MAX_INVITE_SECONDS;
        assertThat(engine.createInvite("alice", group.id(), 1L, 1).maxUses()).isEqualTo(1);
        assertThat(engine.createInvite("alice", group.id(), maxSeconds, GroupAdministration.MAX_INVITE_USES).expiresAt())
                .isEqualTo(T0.plusSeconds(maxSeconds));
        assertCode(() -> engine.createInvite("alice", group.id(), maxSeconds + 1, null), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.createInvite("alice", group.id(), null, GroupAdministration.MAX_INVITE_USES + 1),
                ErrorCode.BAD_REQUEST);

        assertThat(engine.mute("alice", group.id(), "bob", 1)).isEqualTo(T0.plusSeconds(1));
        assertThat(engine.mute("alice", group.id(), "bob", GroupAdministration.MAX_MUTE_SECONDS))
                .isEqualTo(T0.plusSeconds(GroupAdministration.MAX_MUTE_SECONDS));
        assertCode(() -> engine.mute("alice", group.id(), "bob", 0), ErrorCode.BAD_REQUEST);
        assertCode(() -> engine.mute("alice", group.id(), "bob", GroupAdministration.MAX_MUTE_SECONDS + 1),
                ErrorCode.BAD_REQUEST);

        int maxSlow = GroupSettings.MAX_SLOW_MODE_SECONDS;
        assertThat(engine.setGroupPermissions("alice", group.id(), null, null, null, maxSlow).settings()
                .slowModeSeconds()).isEqualTo(maxSlow);
        assertThat(engine.setGroupPermissions("alice", group.id(), null, null, null, 0).settings()
                .slowModeSeconds()).isZero();
        assertCode(() -> engine.setGroupPermissions("alice", group.id(), null, null, null, -1), ErrorCode.BAD_REQUEST);

        String description = "d".repeat(GroupAdministration.MAX_DESCRIPTION_CHARS);
        assertThat(engine.updateGroup("alice", group.id(), null, description, null).settings().description())
                .isEqualTo(description);
        assertCode(() -> engine.updateGroup("alice", group.id(), null, description + "d", null), ErrorCode.TOO_LARGE);
        String avatar = "https://" + "a".repeat(492);
        assertThat(engine.updateGroup("alice", group.id(), null, null, avatar).settings().avatar()).isEqualTo(avatar);
        assertCode(() -> engine.updateGroup("alice", group.id(), null, null, avatar + "a"), ErrorCode.BAD_REQUEST);
        String name = "n".repeat(ChatLimits.defaults().maxNameChars());
        assertThat(engine.updateGroup("alice", group.id(), name, null, null).name()).isEqualTo(name);
        assertCode(() -> engine.updateGroup("alice", group.id(), name + "n", null, null), ErrorCode.TOO_LARGE);
    }

    @Test
    void joiningFillsAGroupToItsLimitAndNoFurther() {
        ChatEngine small = ChatEngine.builder().store(new InMemoryChatStore()).clock(clock)
                .limits(ChatLimits.builder().maxGroupMembers(3).build()).build();
        try (small) {
            for (String user : List.of("alice", "bob", "carol", "dave")) {
                small.putUser(user, user);
            }
            Conversation g = small.createGroup("alice", "Small", List.of("bob"));
            GroupInvite invite = small.createInvite("alice", g.id(), null, null);
            small.join("carol", invite.code());
            assertCode(() -> small.join("dave", invite.code()), ErrorCode.TOO_LARGE);
        }
    }

    @Test
    void aMemberTryingAnInviteDoesNotUseItUp() {
        GroupInvite invite = engine.createInvite("alice", group.id(), null, 1);
        assertCode(() -> engine.join("bob", invite.code()), ErrorCode.CONFLICT);
        assertThat(engine.join("erin", invite.code()).id()).isEqualTo(group.id());
    }

    @Test
    void inviteCodesAreUnpredictable() {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            codes.add(engine.createInvite("alice", group.id(), null, null).code());
        }
        assertThat(codes).hasSize(20);
        assertThat(codes).noneMatch(c -> c.equals("AAAAAAAAAAAAAAAAAAAAAA"));
    }
}
