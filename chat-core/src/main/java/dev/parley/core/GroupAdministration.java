package dev.parley.core;

import dev.parley.core.event.ChatEvent.ConversationEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.internal.SendContextCache;
import dev.parley.core.spi.ChatStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The rules of group administration (roles, removal, leaving, settings, mutes, bans and invite
 * links), which {@link ChatEngine} delegates to. Every method checks, in this order: the
 * conversation exists ({@code not_found}), the caller is a member ({@code forbidden}), it is a
 * group ({@code bad_request}), the caller's role ({@code forbidden}), then the target.
 * Each membership change invalidates the engine's send-context cache and is announced with a
 * {@code conversation} event to the current members and to those it removed; each change that
 * changes something is then recorded in the timeline as a system message ({@link SystemInfo}).
 */
final class GroupAdministration {
    static final long MAX_MUTE_SECONDS = 366L * 24 * 3600;
    static final long MAX_INVITE_SECONDS = 366L * 24 * 3600;
    static final int MAX_INVITE_USES = 100_000;
    static final int MAX_DESCRIPTION_CHARS = 500;

    private final ChatStore store;
    private final Clock clock;
    private final ChatLimits limits;
    private final SendContextCache sendContexts;
    private final Consumer<Delivery> publish;
    private final Supplier<String> inviteCodes;
    private final SystemMessages systemMessages;
    private final java.util.function.BiConsumer<String, Conversation> membershipCheck;
    /** Last accepted post per (conversation, user), for slow mode; kept per node. */
    private final ConcurrentHashMap<String, Instant> lastPost = new ConcurrentHashMap<>();
    /** Settings read on every group send; invalidated here, where every settings change is made. */
    private final ConcurrentHashMap<String, GroupSettings> postSettings = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong settingsGeneration = new java.util.concurrent.atomic.AtomicLong();

    GroupAdministration(ChatStore store, Clock clock, ChatLimits limits, SendContextCache sendContexts,
                        Consumer<Delivery> publish, SystemMessages systemMessages,
                        java.util.function.BiConsumer<String, Conversation> membershipCheck) {
        this.store = store;
        this.membershipCheck = membershipCheck;
        this.systemMessages = systemMessages;
        this.clock = clock;
        this.limits = limits;
        this.sendContexts = sendContexts;
        this.publish = publish;
        SecureRandom random = new SecureRandom();
        this.inviteCodes = () -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        };
    }

    /** Appends the system message that records a change (the engine's normal append path). */
    @FunctionalInterface
    interface SystemMessages {
        void append(String conversationId, String actorId, SystemInfo info);
    }

    // ---------------------------------------------------------------- hooks of send and addMember

    /**
     * For a send to a group: {@code whoCanPost}, mutes and slow mode. Owners and admins are
     * exempt from slow mode. Called after the membership check.
     */
    void checkMayPost(String callerId, Conversation conversation) {
        if (conversation.kind() != ConversationKind.GROUP) {
            return;
        }
        String id = conversation.id();
        GroupSettings settings = cachedSettings(id);
        boolean needRole = !settings.whoCanPost().allows(Role.MEMBER) || settings.slowModeSeconds() > 0;
        Role role = needRole ? store.findMember(id, callerId).map(Member::role).orElse(Role.MEMBER) : Role.MEMBER;
        if (!settings.whoCanPost().allows(role)) {
            throw ChatException.forbidden("only owners and admins post in this group");
        }
        Instant now = now();
        store.mutedUntil(id, callerId).filter(now::isBefore).ifPresent(until -> {
            throw ChatException.forbidden("muted until " + until);
        });
        if (settings.slowModeSeconds() > 0 && !role.canManageMembers()) {
            Duration slow = Duration.ofSeconds(settings.slowModeSeconds());
            String key = id + '\u0000' + callerId;
            Instant[] refused = new Instant[1];
            lastPost.compute(key, (k, last) -> {
                if (last != null && now.isBefore(last.plus(slow))) {
                    refused[0] = last.plus(slow);
                    return last;
                }
                return now;
            });
            if (refused[0] != null) {
                throw ChatException.rateLimited("slow mode: one message per " + settings.slowModeSeconds()
                        + " seconds", Duration.between(now, refused[0]).toMillis());
            }
        }
    }

    private GroupSettings cachedSettings(String conversationId) {
        if (!sendContexts.enabled()) {
            return store.groupSettings(conversationId);
        }
        GroupSettings cached = postSettings.get(conversationId);
        if (cached != null) {
            return cached;
        }
        long before = settingsGeneration.get();
        GroupSettings loaded = store.groupSettings(conversationId);
        if (postSettings.size() >= 10_000) {
            postSettings.clear();
        }
        postSettings.put(conversationId, loaded);
        if (settingsGeneration.get() != before) {
            postSettings.remove(conversationId); // a change ran during the load
        }
        return loaded;
    }

    private void settingsChanged(String conversationId) {
        settingsGeneration.incrementAndGet();
        postSettings.remove(conversationId);
    }

    /** For adding {@code userId} to a group: {@code whoCanAdd} and bans. */
    void checkMayAdd(Member caller, String conversationId, String userId) {
        if (!store.groupSettings(conversationId).whoCanAdd().allows(caller.role())) {
            throw ChatException.forbidden("only owners and admins add members");
        }
        if (store.banned(conversationId, userId)) {
            throw ChatException.forbidden(userId + " is banned from this group");
        }
    }

    // ---------------------------------------------------------------- roles

    void setRole(String callerId, String conversationId, String userId, Role role) {
        Group g = group(callerId, conversationId);
        if (g.caller.role() != Role.OWNER) {
            throw ChatException.forbidden("only the owner sets roles");
        }
        if (role == null || role == Role.OWNER) {
            throw ChatException.badRequest("role must be admin or member; use group.transferOwnership");
        }
        Member target = target(g, userId);
        if (target.role() == Role.OWNER) {
            throw ChatException.badRequest("the owner's role changes only by group.transferOwnership");
        }
        if (target.role() == role) {
            return;
        }
        store.setRole(conversationId, userId, role);
        announce(g.conversation, Set.of());
        systemMessages.append(conversationId, callerId, new SystemInfo(SystemInfo.ROLE_CHANGED, userId, role.wire()));
    }

    void transferOwnership(String callerId, String conversationId, String userId) {
        Group g = group(callerId, conversationId);
        if (g.caller.role() != Role.OWNER) {
            throw ChatException.forbidden("only the owner transfers ownership");
        }
        Member target = target(g, userId);
        if (target.userId().equals(callerId)) {
            throw ChatException.badRequest("userId must be another member");
        }
        store.setRole(conversationId, userId, Role.OWNER);
        store.setRole(conversationId, callerId, Role.ADMIN);
        announce(g.conversation, Set.of());
        systemMessages.append(conversationId, callerId, new SystemInfo(SystemInfo.OWNER_CHANGED, userId, null));
    }

    // ---------------------------------------------------------------- removal and leaving

    void removeMember(String callerId, String conversationId, String userId) {
        Group g = group(callerId, conversationId);
        requireField("userId", userId);
        if (userId.equals(callerId)) {
            throw ChatException.badRequest("use group.leave to leave a group");
        }
        Member target = target(g, userId);
        requireOutranks(g.caller, target, "remove");
        store.removeMember(conversationId, userId);
        sendContexts.invalidate(conversationId);
        announce(g.conversation, Set.of(userId));
        systemMessages.append(conversationId, callerId, new SystemInfo(SystemInfo.MEMBER_REMOVED, userId, null));
    }

    /**
     * Leaves a group. The owner must transfer ownership first unless they are the last member;
     * then the group is left without members (archived: it stays stored, nobody can reach it).
     */
    void leave(String callerId, String conversationId) {
        Group g = group(callerId, conversationId);
        if (g.caller.role() == Role.OWNER && store.members(conversationId).size() > 1) {
            throw ChatException.forbidden("the owner must transfer ownership before leaving");
        }
        store.removeMember(conversationId, callerId);
        sendContexts.invalidate(conversationId);
        announce(g.conversation, Set.of(callerId));
        systemMessages.append(conversationId, callerId, new SystemInfo(SystemInfo.MEMBER_LEFT, callerId, null));
    }

    // ---------------------------------------------------------------- settings

    Conversation update(String callerId, String conversationId, String name, String description, String avatar) {
        Group g = group(callerId, conversationId);
        GroupSettings settings = store.groupSettings(conversationId);
        if (!settings.infoEditors().allows(g.caller.role())) {
            throw ChatException.forbidden("only owners and admins edit this group's information");
        }
        if (name == null && description == null && avatar == null) {
            throw ChatException.badRequest("give name, description or avatar");
        }
        String newName = name == null ? g.conversation.name() : checkName(name);
        String newDescription = description == null ? settings.description()
                : description.isBlank() ? null : description.strip();
        if (newDescription != null && newDescription.length() > MAX_DESCRIPTION_CHARS) {
            throw ChatException.tooLarge("description is longer than " + MAX_DESCRIPTION_CHARS + " characters");
        }
        String newAvatar = avatar == null ? settings.avatar() : avatar.isBlank() ? null : avatar.strip();
        if (newAvatar != null && (newAvatar.length() > 500 || !(newAvatar.startsWith("https://")
                || newAvatar.startsWith("http://") || newAvatar.startsWith("eip155:")))) {
            throw ChatException.badRequest("avatar must be an http(s) URL or an eip155: NFT reference of at most 500 characters");
        }
        if (!newName.equals(g.conversation.name())) {
            store.renameConversation(conversationId, newName);
        }
        GroupSettings updated = settings.withInfo(newDescription, newAvatar);
        if (!updated.equals(settings)) {
            store.putGroupSettings(conversationId, updated);
            settingsChanged(conversationId);
        }
        Conversation result = g.conversation.withName(newName).withSettings(updated);
        if (!newName.equals(g.conversation.name()) || !updated.equals(settings)) {
            announce(result, Set.of());
            systemMessages.append(conversationId, callerId, new SystemInfo(SystemInfo.GROUP_UPDATED, null, null));
        }
        return result;
    }

    Conversation setPermissions(String callerId, String conversationId, GroupPermission whoCanPost,
                                GroupPermission whoCanAdd, GroupPermission infoEditors, Integer slowModeSeconds) {
        Group g = group(callerId, conversationId);
        requireManager(g, "change permissions");
        if (slowModeSeconds != null && (slowModeSeconds < 0 || slowModeSeconds > GroupSettings.MAX_SLOW_MODE_SECONDS)) {
            throw ChatException.badRequest("slowModeSeconds must be 0 to " + GroupSettings.MAX_SLOW_MODE_SECONDS);
        }
        GroupSettings settings = store.groupSettings(conversationId);
        GroupSettings updated = settings.withPermissions(
                whoCanPost == null ? settings.whoCanPost() : whoCanPost,
                whoCanAdd == null ? settings.whoCanAdd() : whoCanAdd,
                infoEditors == null ? settings.infoEditors() : infoEditors,
                slowModeSeconds == null ? settings.slowModeSeconds() : slowModeSeconds);
        Conversation result = g.conversation.withSettings(updated);
        if (!updated.equals(settings)) {
            store.putGroupSettings(conversationId, updated);
            settingsChanged(conversationId);
            announce(result, Set.of());
            systemMessages.append(conversationId, callerId, new SystemInfo(SystemInfo.GROUP_UPDATED, null, null));
        }
        return result;
    }

    /** The group with its settings, for a member. */
    Conversation groupInfo(String callerId, String conversationId) {
        Group g = group(callerId, conversationId);
        return g.conversation.withSettings(store.groupSettings(conversationId));
    }

    // ---------------------------------------------------------------- mutes and bans

    /** @return the end of the mute */
    Instant mute(String callerId, String conversationId, String userId, long seconds) {
        Group g = group(callerId, conversationId);
        requireManager(g, "mute members");
        if (seconds < 1 || seconds > MAX_MUTE_SECONDS) {
            throw ChatException.badRequest("seconds must be 1 to " + MAX_MUTE_SECONDS);
        }
        Member target = target(g, userId);
        requireOutranks(g.caller, target, "mute");
        Instant until = now().plusSeconds(seconds);
        store.putMute(conversationId, userId, until);
        return until;
    }

    void unmute(String callerId, String conversationId, String userId) {
        Group g = group(callerId, conversationId);
        requireManager(g, "unmute members");
        requireField("userId", userId);
        if (!store.deleteMute(conversationId, userId)) {
            throw ChatException.notFound(userId + " is not muted");
        }
    }

    /** Removes the user (if a member) and keeps them from being added again or joining. Banning twice is fine. */
    void ban(String callerId, String conversationId, String userId) {
        Group g = group(callerId, conversationId);
        requireManager(g, "ban users");
        requireField("userId", userId);
        if (userId.equals(callerId)) {
            throw ChatException.badRequest("userId must be another user");
        }
        if (store.findUser(userId).isEmpty()) {
            throw ChatException.notFound("user not found: " + userId);
        }
        var target = store.findMember(conversationId, userId);
        target.ifPresent(t -> requireOutranks(g.caller, t, "ban"));
        store.putBan(conversationId, userId, now());
        if (target.isPresent()) {
            store.removeMember(conversationId, userId);
            sendContexts.invalidate(conversationId);
            announce(g.conversation, Set.of(userId));
            systemMessages.append(conversationId, callerId, new SystemInfo(SystemInfo.MEMBER_REMOVED, userId, null));
        }
    }

    void unban(String callerId, String conversationId, String userId) {
        Group g = group(callerId, conversationId);
        requireManager(g, "unban users");
        requireField("userId", userId);
        if (!store.deleteBan(conversationId, userId)) {
            throw ChatException.notFound(userId + " is not banned");
        }
    }

    // ---------------------------------------------------------------- invite links

    GroupInvite createInvite(String callerId, String conversationId, Long expiresInSeconds, Integer maxUses) {
        Group g = group(callerId, conversationId);
        requireManager(g, "create invite links");
        if (expiresInSeconds != null && (expiresInSeconds < 1 || expiresInSeconds > MAX_INVITE_SECONDS)) {
            throw ChatException.badRequest("expiresInSeconds must be 1 to " + MAX_INVITE_SECONDS);
        }
        if (maxUses != null && (maxUses < 1 || maxUses > MAX_INVITE_USES)) {
            throw ChatException.badRequest("maxUses must be 1 to " + MAX_INVITE_USES);
        }
        Instant now = now();
        GroupInvite invite = new GroupInvite(inviteCodes.get(), conversationId, callerId, now,
                expiresInSeconds == null ? null : now.plusSeconds(expiresInSeconds), maxUses, 0, false);
        store.createInvite(invite);
        return invite;
    }

    void revokeInvite(String callerId, String conversationId, String code) {
        Group g = group(callerId, conversationId);
        requireManager(g, "revoke invite links");
        requireField("code", code);
        if (!store.revokeInvite(conversationId, code)) {
            throw ChatException.notFound("no such invite in " + conversationId);
        }
    }

    /**
     * Joins the group of an invite. Unknown, revoked, expired and used-up codes are all
     * {@code not_found} (a code that no longer works is indistinguishable from a wrong one).
     */
    Conversation join(String callerId, String code) {
        requireField("code", code);
        Instant now = now();
        GroupInvite invite = store.findInvite(code).filter(i -> i.usableAt(now))
                .orElseThrow(() -> ChatException.notFound("invite not found or no longer valid"));
        String conversationId = invite.conversationId();
        Conversation conversation = store.findConversation(conversationId)
                .orElseThrow(() -> ChatException.notFound("invite not found or no longer valid"));
        if (store.banned(conversationId, callerId)) {
            throw ChatException.forbidden("you are banned from this group");
        }
        List<Member> members = store.members(conversationId);
        if (members.stream().anyMatch(m -> m.userId().equals(callerId))) {
            throw ChatException.conflict("already a member");
        }
        if (members.size() >= limits.maxGroupMembers()) {
            throw ChatException.tooLarge("a group has at most " + limits.maxGroupMembers() + " members");
        }
        membershipCheck.accept(callerId, conversation); // before the invite is used up
        if (!store.useInvite(code, now)) {
            throw ChatException.notFound("invite not found or no longer valid");
        }
        boolean added = store.addMember(new Member(conversationId, callerId, Role.MEMBER, now, 0, 0));
        sendContexts.invalidate(conversationId);
        if (!added) {
            throw ChatException.conflict("already a member");
        }
        Conversation result = conversation.withSettings(store.groupSettings(conversationId));
        announce(result, Set.of());
        systemMessages.append(conversationId, callerId, new SystemInfo(SystemInfo.MEMBER_JOINED, callerId, null));
        return result;
    }

    // ---------------------------------------------------------------- internals

    private record Group(Conversation conversation, Member caller) {
    }

    private Group group(String callerId, String conversationId) {
        requireField("conversationId", conversationId);
        Conversation conversation = store.findConversation(conversationId)
                .orElseThrow(() -> ChatException.notFound("conversation not found: " + conversationId));
        Member caller = store.findMember(conversationId, callerId)
                .orElseThrow(() -> ChatException.forbidden("not a member of " + conversationId));
        if (conversation.kind() != ConversationKind.GROUP) {
            throw ChatException.badRequest(conversationId + " is not a group");
        }
        return new Group(conversation, caller);
    }

    private Member target(Group g, String userId) {
        requireField("userId", userId);
        return store.findMember(g.conversation.id(), userId)
                .orElseThrow(() -> ChatException.notFound(userId + " is not a member of " + g.conversation.id()));
    }

    private static void requireManager(Group g, String what) {
        if (!g.caller.role().canManageMembers()) {
            throw ChatException.forbidden("only owners and admins " + what);
        }
    }

    /** The owner acts on anyone else; an admin on plain members only. */
    private static void requireOutranks(Member caller, Member target, String what) {
        boolean outranks = switch (caller.role()) {
            case OWNER -> target.role() != Role.OWNER;
            case ADMIN -> target.role() == Role.MEMBER;
            case MEMBER -> false;
        };
        if (!outranks) {
            throw ChatException.forbidden(caller.role() == Role.MEMBER
                    ? "only owners and admins " + what + " members"
                    : "you cannot " + what + " a member with role " + target.role().wire());
        }
    }

    /** A {@code conversation} event, with settings, to the members and to those just removed. */
    private void announce(Conversation conversation, Collection<String> removed) {
        List<String> memberIds = store.members(conversation.id()).stream().map(Member::userId).toList();
        Conversation current = store.findConversation(conversation.id()).orElse(conversation)
                .withSettings(store.groupSettings(conversation.id()));
        Set<String> recipients = new HashSet<>(memberIds);
        recipients.addAll(removed);
        if (!recipients.isEmpty()) {
            publish.accept(new Delivery(recipients, new ConversationEvent(current, memberIds)));
        }
    }

    private String checkName(String name) {
        if (name.isBlank()) {
            throw ChatException.badRequest("name must not be empty");
        }
        String trimmed = name.strip();
        if (trimmed.length() > limits.maxNameChars()) {
            throw ChatException.tooLarge("name is longer than " + limits.maxNameChars() + " characters");
        }
        return trimmed;
    }

    private static void requireField(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ChatException.badRequest(field + " is required");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
