package dev.parley.core;

import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.ConversationEvent;
import dev.parley.core.event.ChatEvent.ConversationExpiryEvent;
import dev.parley.core.event.ChatEvent.MessageExpiredEvent;
import dev.parley.core.event.ChatEvent.FriendEvent;
import dev.parley.core.event.ChatEvent.MessageDeletedEvent;
import dev.parley.core.event.ChatEvent.MessageEditedEvent;
import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.ChatEvent.MessageHiddenEvent;
import dev.parley.core.event.ChatEvent.PinEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ThreadEvent;
import dev.parley.core.event.ChatEvent.ThreadReadEvent;
import dev.parley.core.event.ChatEvent.ReactionEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.ChatEvent.TypingEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.event.FriendChange;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.event.ReactionAction;
import dev.parley.core.event.TypingState;
import dev.parley.core.internal.EmojiRule;
import dev.parley.core.internal.PresenceTracker;
import dev.parley.core.internal.SearchCursor;
import dev.parley.core.internal.SendContextCache;
import dev.parley.core.internal.TypingTracker;
import dev.parley.core.local.InProcessBroker;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.Broker;
import dev.parley.core.spi.ClusterPresence;
import dev.parley.core.spi.ChatListener;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.ExpiredMessage;
import dev.parley.core.spi.MessageFilter;
import dev.parley.core.spi.Verdict;
import dev.parley.core.spi.MembershipPolicy;
import dev.parley.core.spi.NewMessage;
import dev.parley.core.spi.PinResult;
import dev.parley.core.spi.Principal;
import dev.parley.core.spi.ReactionResult;
import dev.parley.core.spi.SearchQuery;
import dev.parley.core.spi.SendContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All chat rules in one place: authorization (membership and roles), validation,
 * sequencing, idempotency, receipts, typing, presence and fan-out decisions. Transports
 * decode a request, call the engine with the authenticated user's id, and encode the answer.
 *
 * <pre>{@code
 * try (ChatEngine engine = ChatEngine.builder().store(store).build()) {
 *     engine.putUser("alice", "Alice");
 *     engine.putUser("bob", "Bob");
 *     Conversation dm = engine.createDirect("alice", "bob");
 *     Message m = engine.send("alice", dm.id(), "c-1", new MessageBody("hi"), null).join();
 * }
 * }</pre>
 *
 * <p>Every method throws {@link ChatException} with the documented {@link ErrorCode} on bad
 * input or a denied operation. Methods that read or write the store block the calling
 * thread: transports call them off their I/O threads. {@link #send} returns once the
 * message is queued; its future completes after the durable commit.
 */
public final class ChatEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatEngine.class);
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");
    private static final int UPDATE_LOCKS = 64;
    private static final int MAX_SEARCH_CHARS = 200;
    private static final int DEFAULT_SEARCH_RESULTS = 20;
    private static final int MAX_SEARCH_RESULTS = 50;
    private static final long MIN_EXPIRY_SECONDS = 5;
    private static final long MAX_EXPIRY_SECONDS = 31_536_000;
    private static final int SWEEP_BATCH = 500;
    private static final int MAX_MENTIONS = 50;
    /** Most attachments one message carries. */
    public static final int MAX_ATTACHMENTS = 10;
    /** How long an upload no message carries is kept, so that a send can still attach it. */
    public static final Duration UNATTACHED_UPLOAD_TTL = Duration.ofHours(24);

    private final ChatStore store;
    private final Broker broker;
    private final boolean ownsBroker;
    private final Clock clock;
    private final IdGenerator ids;
    private final ChatLimits limits;
    private final ChatMetrics metrics;
    private final List<MessageFilter> filters;
    private final List<ChatListener> listeners;
    private final List<MembershipPolicy> membershipPolicies;
    private final ScheduledExecutorService timers;
    private final ExecutorService listenerExecutor;
    private final TypingTracker typing;
    private final PresenceTracker presence;
    /** Presence across nodes when the broker offers it, else {@code null}: this node's tracker decides alone. */
    private final ClusterPresence clusterPresence;
    private final AutoCloseable clusterPresenceWatch;
    private final SendContextCache sendContexts;
    private final GroupAdministration groups;
    /**
     * Striped by conversation: an update of a message (edit, delete, reaction, pin) is written
     * and published under its conversation's lock, so update events leave in commit order.
     */
    private final Object[] updateLocks = new Object[UPDATE_LOCKS];
    private volatile boolean closed;

    private ChatEngine(Builder b) {
        this.store = b.store;
        this.ownsBroker = b.broker == null;
        this.broker = ownsBroker ? new InProcessBroker() : b.broker;
        this.clock = b.clock;
        this.ids = b.ids != null ? b.ids : IdGenerator.ulid(b.clock);
        this.limits = b.limits;
        this.metrics = b.metrics;
        this.filters = List.copyOf(b.filters);
        this.listeners = List.copyOf(b.listeners);
        this.membershipPolicies = List.copyOf(b.membershipPolicies);
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("parley-engine-timer"));
        this.listenerExecutor = listeners.isEmpty() ? null : Executors.newSingleThreadExecutor(daemon("parley-listeners"));
        this.typing = new TypingTracker(timers, limits.typingTimeout(), this::typingExpired);
        this.clusterPresence = broker.clusterPresence().orElse(null);
        this.presence = new PresenceTracker(timers, limits.presenceGrace(), clock, this::localPresenceChanged);
        this.clusterPresenceWatch = clusterPresence == null ? null
                : clusterPresence.watch(event -> publishPresence(event, this::publishLocal));
        this.sendContexts = new SendContextCache(b.sendCacheSize);
        long sweepMillis = limits.expirySweepInterval().toMillis();
        timers.scheduleWithFixedDelay(this::sweepQuietly, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);
        this.groups = new GroupAdministration(store, clock, limits, sendContexts, this::publish, this::appendSystem,
                this::checkMembershipPolicies);
        for (int i = 0; i < updateLocks.length; i++) {
            updateLocks[i] = new Object();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public ChatLimits limits() {
        return limits;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Where this engine reports what it measures ({@link ChatMetrics#none()} unless set on the
     * builder); a transport built on the engine reports to the same place by default.
     *
     * @since 0.1.0
     */
    public ChatMetrics metrics() {
        return metrics;
    }

    public IdGenerator ids() {
        return ids;
    }

    public ChatStore store() {
        return store;
    }

    // ---------------------------------------------------------------- users

    /**
     * Creates the user or renames it. For host applications that bring their own user ids.
     *
     * @param userId 1 to 64 characters of {@code A-Z a-z 0-9 _ . : @ -}
     * @param name   display name, 1 to {@link ChatLimits#maxNameChars()} characters
     */
    public User putUser(String userId, String name) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            throw ChatException.badRequest("userId must be 1 to 64 characters of A-Z a-z 0-9 _ . : @ -");
        }
        String displayName = checkName("name", name);
        User user = store.findUser(userId)
                .map(u -> new User(u.id(), displayName, u.createdAt(), u.avatar(), u.bio()))
                .orElseGet(() -> new User(userId, displayName, now()));
        store.putUser(user);
        return user;
    }

    /** Creates a user with a fresh id. */
    public User createUser(String name) {
        return putUser(ids.next(), name);
    }

    public User user(String userId) {
        return store.findUser(userId).orElseThrow(() -> ChatException.notFound("user not found: " + userId));
    }

    /**
     * Updates the caller's profile. A {@code null} argument keeps the current value; an
     * empty avatar or bio clears it.
     *
     * @param avatar an {@code https://} URL or an ENSIP-12 NFT reference ({@code eip155:…}), at most 500 characters
     * @param bio    at most 500 characters
     */
    public User updateProfile(String callerId, String name, String avatar, String bio) {
        User current = user(callerId);
        String newName = name == null ? current.name() : checkName("name", name);
        String newAvatar = avatar == null ? current.avatar() : avatar.isBlank() ? null : avatar.strip();
        if (newAvatar != null && (newAvatar.length() > 500
                || !(newAvatar.startsWith("https://") || newAvatar.startsWith("http://") || newAvatar.startsWith("eip155:")))) {
            throw ChatException.badRequest("avatar must be an http(s) URL or an eip155: NFT reference of at most 500 characters");
        }
        String newBio = bio == null ? current.bio() : bio.isBlank() ? null : bio.strip();
        if (newBio != null && newBio.length() > 500) {
            throw ChatException.tooLarge("bio is longer than 500 characters");
        }
        User updated = new User(current.id(), newName, current.createdAt(), newAvatar, newBio);
        store.putUser(updated);
        return updated;
    }

    /** Users whose name contains {@code query}; users who blocked the caller are left out. */
    public List<User> searchUsers(String callerId, String query, Integer limit) {
        if (query == null || query.isBlank()) {
            throw ChatException.badRequest("query must not be empty");
        }
        if (query.length() > limits.maxNameChars()) {
            throw ChatException.tooLarge("query is longer than " + limits.maxNameChars() + " characters");
        }
        int n = pageSize(limit);
        Set<String> blockedMe = new HashSet<>(store.relationsTo(callerId, RelationState.BLOCKED));
        return store.searchUsers(query.strip(), n + blockedMe.size()).stream()
                .filter(u -> !blockedMe.contains(u.id())).limit(n).toList();
    }

    /**
     * Whether {@code userId} shows up when {@code callerId} looks for users (search, lookups
     * by username): everyone but users who blocked the caller.
     */
    public boolean findableBy(String callerId, String userId) {
        return userId.equals(callerId) || !blocked(userId, callerId);
    }

    // ---------------------------------------------------------------- friends, blocks, privacy

    /**
     * Asks {@code otherId} to be friends. If they already asked the caller, this accepts.
     * Refused ({@code forbidden}) when either blocked the other; {@code conflict} when
     * already friends or already asked.
     */
    public void requestFriend(String callerId, String otherId) {
        requireOther(callerId, otherId);
        if (blocked(otherId, callerId)) {
            throw ChatException.forbidden("you cannot send a friend request to this user");
        }
        if (blocked(callerId, otherId)) {
            throw ChatException.conflict("unblock the user first");
        }
        Optional<RelationState> mine = store.relation(callerId, otherId);
        if (mine.isPresent()) {
            throw ChatException.conflict(mine.get() == RelationState.FRIENDS ? "already friends" : "already requested");
        }
        if (store.relation(otherId, callerId).orElse(null) == RelationState.REQUESTED) {
            acceptFriend(callerId, otherId);
            return;
        }
        store.putRelation(callerId, otherId, RelationState.REQUESTED);
        publish(new Delivery(Set.of(otherId), new FriendEvent(callerId, FriendChange.REQUESTED)));
    }

    /** Accepts a pending request from {@code requesterId}. */
    public void acceptFriend(String callerId, String requesterId) {
        requireOther(callerId, requesterId);
        if (store.relation(requesterId, callerId).orElse(null) != RelationState.REQUESTED) {
            throw ChatException.notFound("no friend request from " + requesterId);
        }
        store.putRelation(requesterId, callerId, RelationState.FRIENDS);
        store.putRelation(callerId, requesterId, RelationState.FRIENDS);
        publish(new Delivery(Set.of(requesterId), new FriendEvent(callerId, FriendChange.ACCEPTED)));
    }

    /** Declines a pending request from {@code requesterId}; the requester is not told. */
    public void declineFriend(String callerId, String requesterId) {
        requireOther(callerId, requesterId);
        if (store.relation(requesterId, callerId).orElse(null) != RelationState.REQUESTED
                || !store.deleteRelation(requesterId, callerId)) {
            throw ChatException.notFound("no friend request from " + requesterId);
        }
    }

    /** Withdraws the caller's pending request to {@code otherId}. */
    public void cancelFriendRequest(String callerId, String otherId) {
        requireOther(callerId, otherId);
        if (store.relation(callerId, otherId).orElse(null) != RelationState.REQUESTED
                || !store.deleteRelation(callerId, otherId)) {
            throw ChatException.notFound("no friend request to " + otherId);
        }
    }

    /** Ends a friendship. */
    public void removeFriend(String callerId, String otherId) {
        requireOther(callerId, otherId);
        if (store.relation(callerId, otherId).orElse(null) != RelationState.FRIENDS) {
            throw ChatException.notFound("not friends with " + otherId);
        }
        store.deleteRelation(callerId, otherId);
        store.deleteRelation(otherId, callerId);
        publish(new Delivery(Set.of(otherId), new FriendEvent(callerId, FriendChange.REMOVED)));
    }

    /**
     * Blocks {@code otherId}: ends friendship and requests both ways. A blocked user cannot
     * start or write in a direct conversation with the caller, add the caller to groups,
     * befriend the caller, or see the caller's presence. The blocked user is not told.
     */
    public void block(String callerId, String otherId) {
        requireOther(callerId, otherId);
        if (blocked(callerId, otherId)) {
            throw ChatException.conflict("already blocked");
        }
        store.deleteRelation(otherId, callerId);
        store.putRelation(callerId, otherId, RelationState.BLOCKED);
        sendContexts.invalidateAll();
    }

    public void unblock(String callerId, String otherId) {
        requireOther(callerId, otherId);
        if (!blocked(callerId, otherId) || !store.deleteRelation(callerId, otherId)) {
            throw ChatException.notFound("not blocked: " + otherId);
        }
        sendContexts.invalidateAll();
    }

    /** The caller's friends, pending requests both ways, and blocks. */
    public Relations relations(String callerId) {
        return new Relations(store.relationsFrom(callerId, RelationState.FRIENDS),
                store.relationsTo(callerId, RelationState.REQUESTED),
                store.relationsFrom(callerId, RelationState.REQUESTED),
                store.relationsFrom(callerId, RelationState.BLOCKED));
    }

    public PrivacySettings privacy(String callerId) {
        return store.privacy(callerId);
    }

    public PrivacySettings updatePrivacy(String callerId, PrivacySettings settings) {
        if (settings == null) {
            throw ChatException.badRequest("privacy settings are required");
        }
        user(callerId);
        store.putPrivacy(callerId, settings);
        return settings;
    }

    // ---------------------------------------------------------------- conversations

    /**
     * Opens the direct conversation of the caller and {@code otherUserId}; returns the
     * existing one if the pair already has one.
     */
    public Conversation createDirect(String callerId, String otherUserId) {
        requireField("userId", otherUserId);
        if (otherUserId.equals(callerId)) {
            throw ChatException.badRequest("userId must be another user");
        }
        user(otherUserId);
        checkMayMessage(callerId, otherUserId);
        Instant now = now();
        Conversation candidate = new Conversation(ids.next(), ConversationKind.DIRECT, null,
                Conversation.directKey(callerId, otherUserId), callerId, now, 0);
        Conversation stored = store.createConversation(candidate, List.of(
                new Member(candidate.id(), callerId, Role.MEMBER, now, 0, 0),
                new Member(candidate.id(), otherUserId, Role.MEMBER, now, 0, 0)));
        if (stored.id().equals(candidate.id())) {
            announceConversation(stored, List.of(callerId, otherUserId));
        }
        return stored;
    }

    /**
     * Creates a group with the caller as owner and {@code memberIds} as members. The caller
     * may appear in {@code memberIds}; any other duplicate is a {@code bad_request}.
     */
    public Conversation createGroup(String callerId, String name, Collection<String> memberIds) {
        String groupName = checkName("name", name);
        if (memberIds == null) {
            throw ChatException.badRequest("memberIds is required");
        }
        Set<String> others = new LinkedHashSet<>();
        for (String id : memberIds) {
            requireField("memberIds[]", id);
            if (!id.equals(callerId) && !others.add(id)) {
                throw ChatException.badRequest("memberIds lists " + id + " twice");
            }
        }
        if (others.size() + 1 > limits.maxGroupMembers()) {
            throw ChatException.tooLarge("a group has at most " + limits.maxGroupMembers() + " members");
        }
        for (String id : others) {
            user(id);
            if (blocked(id, callerId)) {
                throw ChatException.forbidden(id + " cannot be added by you");
            }
        }
        Instant now = now();
        Conversation group = new Conversation(ids.next(), ConversationKind.GROUP, groupName, null, callerId, now, 0);
        List<Member> members = new ArrayList<>();
        members.add(new Member(group.id(), callerId, Role.OWNER, now, 0, 0));
        others.forEach(id -> members.add(new Member(group.id(), id, Role.MEMBER, now, 0, 0)));
        Conversation stored = store.createConversation(group, members);
        announceConversation(stored, members.stream().map(Member::userId).toList());
        return stored;
    }

    /** Adds {@code userId} to a group. Only owners and admins may; an existing member is a {@code conflict}. */
    public void addMember(String callerId, String conversationId, String userId) {
        Conversation conversation = conversation(conversationId);
        Member caller = requireMember(conversationId, callerId);
        if (conversation.kind() != ConversationKind.GROUP) {
            throw ChatException.badRequest("members can only be added to a group");
        }
        requireField("userId", userId);
        groups.checkMayAdd(caller, conversationId, userId);
        user(userId);
        if (blocked(userId, callerId)) {
            throw ChatException.forbidden(userId + " cannot be added by you");
        }
        List<Member> current = store.members(conversationId);
        if (current.size() >= limits.maxGroupMembers()) {
            throw ChatException.tooLarge("a group has at most " + limits.maxGroupMembers() + " members");
        }
        if (current.stream().noneMatch(m -> m.userId().equals(userId))) {
            checkMembershipPolicies(userId, conversation);
        }
        boolean added = store.addMember(new Member(conversationId, userId, Role.MEMBER, now(), 0, 0));
        sendContexts.invalidate(conversationId);
        if (!added) {
            throw ChatException.conflict(userId + " is already a member");
        }
        announceConversation(conversation, store.members(conversationId).stream().map(Member::userId).toList());
        appendSystem(conversationId, callerId, new SystemInfo(SystemInfo.MEMBER_ADDED, userId, null));
    }

    // ---------------------------------------------------------------- group administration

    /**
     * Makes a member an admin or a plain member. Owner only; the owner's own role changes only
     * by {@link #transferOwnership}. Members get a {@code conversation} event.
     *
     * <pre>{@code
     * engine.setRole("alice", group.id(), "bob", Role.ADMIN);
     * }</pre>
     *
     * @since 0.1.0
     */
    public void setRole(String callerId, String conversationId, String userId, Role role) {
        groups.setRole(callerId, conversationId, userId, role);
    }

    /** Makes another member the owner; the caller (the owner) becomes an admin. */
    public void transferOwnership(String callerId, String conversationId, String userId) {
        groups.transferOwnership(callerId, conversationId, userId);
    }

    /**
     * Removes a member: the owner removes anyone but themselves, an admin plain members only.
     * The removed user can no longer read or write the group.
     */
    public void removeMember(String callerId, String conversationId, String userId) {
        groups.removeMember(callerId, conversationId, userId);
    }

    /**
     * Leaves a group. An owner must transfer ownership first, unless they are the last member:
     * then the group is left without members (archived).
     */
    public void leaveGroup(String callerId, String conversationId) {
        groups.leave(callerId, conversationId);
    }

    /**
     * Changes a group's name, description or avatar ({@code null} keeps, empty clears description
     * and avatar), as the {@code infoEditors} setting allows.
     *
     * @return the group with its settings
     */
    public Conversation updateGroup(String callerId, String conversationId, String name, String description,
                                    String avatar) {
        return groups.update(callerId, conversationId, name, description, avatar);
    }

    /** Changes a group's permissions (owners and admins; {@code null} keeps a value). */
    public Conversation setGroupPermissions(String callerId, String conversationId, GroupPermission whoCanPost,
                                            GroupPermission whoCanAdd, GroupPermission infoEditors,
                                            Integer slowModeSeconds) {
        return groups.setPermissions(callerId, conversationId, whoCanPost, whoCanAdd, infoEditors, slowModeSeconds);
    }

    /** A group the caller belongs to, with its settings. */
    public Conversation group(String callerId, String conversationId) {
        return groups.groupInfo(callerId, conversationId);
    }

    /**
     * Mutes a member for {@code seconds} (owners and admins, on members they outrank): their
     * sends are {@code forbidden} until then.
     *
     * @return when the mute ends
     */
    public Instant mute(String callerId, String conversationId, String userId, long seconds) {
        return groups.mute(callerId, conversationId, userId, seconds);
    }

    /** Ends a mute. */
    public void unmute(String callerId, String conversationId, String userId) {
        groups.unmute(callerId, conversationId, userId);
    }

    /** Removes a user from a group and keeps them from being added again or joining. */
    public void ban(String callerId, String conversationId, String userId) {
        groups.ban(callerId, conversationId, userId);
    }

    /** Lifts a ban. */
    public void unban(String callerId, String conversationId, String userId) {
        groups.unban(callerId, conversationId, userId);
    }

    /**
     * Creates an invite link (owners and admins): a 128-bit random code, optionally expiring
     * and limited in uses.
     */
    public GroupInvite createInvite(String callerId, String conversationId, Long expiresInSeconds,
                                    Integer maxUses) {
        return groups.createInvite(callerId, conversationId, expiresInSeconds, maxUses);
    }

    /** Revokes an invite link (owners and admins). */
    public void revokeInvite(String callerId, String conversationId, String code) {
        groups.revokeInvite(callerId, conversationId, code);
    }

    /**
     * Joins a group with an invite code. Unknown, revoked, expired and used-up codes are
     * {@code not_found}; a banned user is {@code forbidden}; a member {@code conflict}.
     */
    public Conversation join(String callerId, String code) {
        return groups.join(callerId, code);
    }

    /**
     * Asks the {@link MembershipPolicy membership policies} again about every member of a group
     * but its owner, and removes those a policy rejects now (e.g. who sold the tokens a gate
     * requires). Each removal is announced like {@link #removeMember} and recorded as a
     * {@code member.removed} system message whose actor is the group's owner. A member a policy
     * cannot check now (it throws) stays: a chain that is down does not empty a group.
     * For hosts and extensions (a periodic re-check), not for clients.
     *
     * <pre>{@code
     * List<String> removed = engine.enforceMembershipPolicies(group.id());
     * }</pre>
     *
     * @return the removed user ids
     * @throws ChatException {@code not_found} for an unknown conversation, {@code bad_request} for
     *                       one that is not a group
     * @since 0.1.0
     */
    public List<String> enforceMembershipPolicies(String conversationId) {
        requireField("conversationId", conversationId);
        Conversation group = conversation(conversationId);
        if (group.kind() != ConversationKind.GROUP) {
            throw ChatException.badRequest(conversationId + " is not a group");
        }
        if (membershipPolicies.isEmpty()) {
            return List.of();
        }
        List<Member> members = store.members(conversationId);
        String owner = members.stream().filter(m -> m.role() == Role.OWNER).map(Member::userId).findFirst()
                .orElse(null);
        List<String> removed = new ArrayList<>();
        for (Member m : members) {
            if (m.role() == Role.OWNER) {
                continue;
            }
            try {
                checkMembershipPolicies(m.userId(), group);
            } catch (ChatException e) {
                if (e.code() != ErrorCode.FORBIDDEN) {
                    log.warn("membership of {} in {} not re-checked: {}", m.userId(), conversationId, e.getMessage());
                    continue;
                }
                store.removeMember(conversationId, m.userId());
                sendContexts.invalidate(conversationId);
                removed.add(m.userId());
                List<String> memberIds = store.members(conversationId).stream().map(Member::userId).toList();
                Set<String> recipients = new HashSet<>(memberIds);
                recipients.add(m.userId());
                Conversation current = store.findConversation(conversationId).orElse(group)
                        .withSettings(store.groupSettings(conversationId));
                publish(new Delivery(recipients, new ConversationEvent(current, memberIds)));
                appendSystem(conversationId, owner != null ? owner : m.userId(),
                        new SystemInfo(SystemInfo.MEMBER_REMOVED, m.userId(), null));
            }
        }
        return removed;
    }

    /**
     * Runs the membership policies for {@code userId} joining {@code group}: the first reject
     * is {@code forbidden}; a policy's {@link ChatException} passes through; any other failure is
     * {@code unavailable} (fail closed).
     */
    private void checkMembershipPolicies(String userId, Conversation group) {
        for (MembershipPolicy policy : membershipPolicies) {
            Verdict verdict;
            try {
                verdict = policy.check(userId, group);
            } catch (ChatException e) {
                throw e;
            } catch (RuntimeException e) {
                log.warn("membership policy {} failed for {} in {}", policy.getClass().getName(), userId, group.id(), e);
                throw ChatException.unavailable("membership could not be checked; try again later", e);
            }
            if (verdict instanceof Verdict.Reject reject) {
                throw ChatException.forbidden(reject.reason());
            }
        }
    }

    /** The conversation, if the caller is a member. */
    public Conversation conversation(String callerId, String conversationId) {
        Conversation conversation = conversation(conversationId);
        requireMember(conversationId, callerId);
        return conversation;
    }

    /**
     * Members of a conversation the caller belongs to. Read cursors are hidden (reported as
     * 0) for members who turned read receipts off, and all others' are hidden when the
     * caller did.
     */
    public List<Member> members(String callerId, String conversationId) {
        conversation(conversationId);
        List<Member> members = store.members(conversationId);
        if (members.stream().noneMatch(m -> m.userId().equals(callerId))) {
            throw ChatException.forbidden("not a member of " + conversationId);
        }
        Set<String> off = store.readReceiptsOff(members.stream().map(Member::userId).toList());
        boolean callerSees = !off.contains(callerId);
        List<Member> out = new ArrayList<>(members.size());
        for (Member m : members) {
            boolean hide = !m.userId().equals(callerId) && (!callerSees || off.contains(m.userId()));
            out.add(hide ? new Member(m.conversationId(), m.userId(), m.role(), m.joinedAt(), m.deliveredSeq(), 0) : m);
        }
        return out;
    }

    /** The caller's conversations, most recently active first. */
    public ConversationPage conversations(String callerId, Integer limit, String cursor) {
        ConversationPage page = store.conversationsOf(callerId, pageSize(limit), cursor);
        if (page.conversations().stream().noneMatch(s -> s.lastMessage() != null && s.lastMessage().hidden())) {
            return page;
        }
        List<ConversationSummary> summaries = new ArrayList<>(page.conversations().size());
        for (ConversationSummary s : page.conversations()) {
            summaries.add(new ConversationSummary(s.conversation(), s.memberIds(),
                    s.lastMessage() == null ? null : visible(s.lastMessage()), s.unread(), s.readSeq(),
                    s.deliveredSeq(), s.mentionsUnread()));
        }
        return new ConversationPage(summaries, page.nextCursor());
    }

    // ---------------------------------------------------------------- messages

    /**
     * Sends a message. Idempotent on (conversation, caller, {@code clientMsgId}): a retry
     * returns the original message and delivers nothing new. The future completes after
     * the durable commit; members' devices get a {@code message} event.
     *
     * @throws ChatException synchronously for invalid input or a denied send
     */
    public CompletableFuture<Message> send(String callerId, String conversationId, String clientMsgId,
                                           MessageBody body, String replyTo) {
        return send(callerId, conversationId, clientMsgId, body, replyTo, null);
    }

    /**
     * {@link #send(String, String, String, MessageBody, String)} with a time to live: the message
     * expires {@code ttlSeconds} (5 to 31,536,000) after it was sent, or earlier when the
     * conversation's timer ({@link #setExpiry}) is shorter. {@code null}: only the timer applies.
     *
     * @since 0.1.0
     */
    public CompletableFuture<Message> send(String callerId, String conversationId, String clientMsgId,
                                           MessageBody body, String replyTo, Integer ttlSeconds) {
        return send(callerId, conversationId, clientMsgId, body, replyTo, ttlSeconds, null);
    }

    /**
     * {@link #send(String, String, String, MessageBody, String, Integer)} with mentions: ids of
     * members of the conversation (at most {@value #MAX_MENTIONS} after duplicates are removed;
     * a non-member is {@code bad_request}). A mentioned member counts the message in
     * {@code mentionsUnread} until their read cursor passes it.
     *
     * <pre>{@code
     * engine.send("alice", group.id(), "c-1", new MessageBody("@bob look"), null, null, List.of("bob"));
     * }</pre>
     *
     * @since 0.1.0
     */
    public CompletableFuture<Message> send(String callerId, String conversationId, String clientMsgId,
                                           MessageBody body, String replyTo, Integer ttlSeconds,
                                           Collection<String> mentions) {
        return sendWithOptions(callerId, conversationId, clientMsgId, body, new SendOptions(replyTo, ttlSeconds,
                mentions == null ? null : new ArrayList<>(mentions), null));
    }

    /**
     * Sends a message with any of the optional parts in {@code options}: a quoted message, a time
     * to live, mentions (see {@link #send(String, String, String, MessageBody, String, Integer, Collection)})
     * and a thread. A thread reply names its root, a message of the same conversation that is not
     * itself a thread reply, not a system message and not deleted. The reply is an ordinary
     * message of the conversation (it takes the next seq and is in {@link #history}); the root's
     * {@link Message#thread()} summary is updated in the same commit, and members get the
     * {@code message} event and then a {@code thread} event with the new summary.
     *
     * @throws ChatException synchronously for invalid input or a denied send
     * @since 0.1.0
     */
    public CompletableFuture<Message> sendWithOptions(String callerId, String conversationId, String clientMsgId,
                                                      MessageBody body, SendOptions options) {
        Objects.requireNonNull(options, "options");
        String replyTo = options.replyTo();
        String threadRootId = options.threadRootId();
        Integer ttlSeconds = options.ttlSeconds();
        if (ttlSeconds != null) {
            checkExpirySeconds("ttlSeconds", ttlSeconds, false);
        }
        requireField("conversationId", conversationId);
        if (clientMsgId == null || clientMsgId.isEmpty()) {
            throw ChatException.badRequest("clientMsgId is required");
        }
        if (clientMsgId.length() > limits.maxClientMsgIdChars()) {
            throw ChatException.tooLarge("clientMsgId is longer than " + limits.maxClientMsgIdChars() + " characters");
        }
        checkBody(body);
        if (replyTo != null && replyTo.isEmpty()) {
            throw ChatException.badRequest("replyTo must not be empty");
        }
        if (threadRootId != null && threadRootId.isEmpty()) {
            throw ChatException.badRequest("threadRootId must not be empty");
        }
        SendContext context = sendContexts.get(conversationId, callerId,
                        () -> store.sendContext(conversationId, callerId))
                .orElseThrow(() -> ChatException.notFound("conversation not found: " + conversationId));
        Conversation conversation = context.conversation();
        // Immutable, so Delivery keeps it as it is: the store's writer thread, which runs the
        // commit callback below, does not copy it again.
        Set<String> recipients = Set.copyOf(context.memberIds());
        if (!recipients.contains(callerId)) {
            throw ChatException.forbidden("not a member of " + conversationId);
        }
        if (context.blocked()) {
            throw ChatException.forbidden("blocked: you cannot message this user");
        }
        List<String> mentioned = checkMentions(options.mentions(), recipients);
        groups.checkMayPost(callerId, conversation);
        if (threadRootId != null) {
            checkThreadRoot(conversationId, threadRootId);
        }
        body = withUploads(callerId, body);
        runFilters(callerId, conversation, body);
        typing.clear(conversationId, callerId).ifPresent(this::publishTyping);
        Instant sentAt = now();
        NewMessage draft = new NewMessage(ids.next(), conversationId, callerId, clientMsgId, body, replyTo, sentAt,
                ttlSeconds == null ? null : sentAt.plusSeconds(ttlSeconds), null, mentioned, threadRootId);
        // The callback runs on the store's committing thread in seq order, so each
        // conversation's message events leave in seq order.
        return store.append(draft, result -> {
            if (!result.duplicate()) {
                metrics.messageSent();
                publish(new Delivery(recipients, new MessageEvent(result.message())));
                if (result.root() != null && result.root().thread() != null) {
                    publish(new Delivery(recipients, new ThreadEvent(conversationId, result.root().id(),
                            result.root().seq(), result.root().thread())));
                }
                notifyListeners(l -> l.onMessage(result.message()));
            }
        }).thenApply(AppendResult::message);
    }

    /**
     * The body with each attachment reference replaced by what the server detected at upload:
     * at most {@link #MAX_ATTACHMENTS}, no repeats, each an upload of the sender's.
     */
    private MessageBody withUploads(String callerId, MessageBody body) {
        if (!body.hasAttachments()) {
            return body;
        }
        if (body.attachments().size() > MAX_ATTACHMENTS) {
            throw ChatException.tooLarge("a message carries at most " + MAX_ATTACHMENTS + " attachments");
        }
        List<Attachment> resolved = new ArrayList<>(body.attachments().size());
        Set<String> seen = new HashSet<>();
        for (Attachment ref : body.attachments()) {
            if (ref.id() == null || ref.id().isEmpty()) {
                throw ChatException.badRequest("attachments[].id is required");
            }
            if (!seen.add(ref.id())) {
                throw ChatException.badRequest("attachment " + ref.id() + " is listed twice");
            }
            Upload upload = store.findUpload(ref.id())
                    .orElseThrow(() -> ChatException.notFound("upload not found: " + ref.id()));
            if (!upload.ownerId().equals(callerId)) {
                throw ChatException.forbidden("only the uploader may attach upload " + ref.id());
            }
            resolved.add(upload.attachment());
        }
        return new MessageBody(body.text(), resolved);
    }

    /** A thread root must be a user's message of the conversation, not in a thread itself, not deleted. */
    private Message checkThreadRoot(String conversationId, String rootId) {
        Message root = store.findMessage(rootId, null)
                .filter(m -> m.conversationId().equals(conversationId))
                .orElseThrow(() -> ChatException.notFound("thread root not found in " + conversationId + ": " + rootId));
        if (root.inThread()) {
            throw ChatException.badRequest("threadRootId names a reply in a thread; reply to its root "
                    + root.threadRootId());
        }
        if (root.fromSystem()) {
            throw ChatException.badRequest("a system message cannot start a thread");
        }
        if (root.deleted()) {
            throw ChatException.conflict("the thread root is deleted");
        }
        return root;
    }

    private static List<String> checkMentions(Collection<String> mentions, Set<String> memberIds) {
        if (mentions == null || mentions.isEmpty()) {
            return List.of();
        }
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String userId : mentions) {
            if (userId == null || !memberIds.contains(userId)) {
                throw ChatException.badRequest("mentions must be members of the conversation: " + userId);
            }
            unique.add(userId);
        }
        if (unique.size() > MAX_MENTIONS) {
            throw ChatException.tooLarge("a message mentions at most " + MAX_MENTIONS + " members");
        }
        return List.copyOf(unique);
    }

    /**
     * Appends the system message that records a membership or group change by {@code actorId}
     * and pushes it to the current members like any message. Waits for the commit, so the change
     * is in history when the operation returns.
     */
    void appendSystem(String conversationId, String actorId, SystemInfo info) {
        sendContexts.invalidate(conversationId);
        Set<String> recipients = new HashSet<>(store.members(conversationId).stream().map(Member::userId).toList());
        String id = ids.next();
        NewMessage draft = new NewMessage(id, conversationId, actorId, "sys:" + id, new MessageBody(""), null, now(),
                null, info, List.of());
        try {
            store.append(draft, result -> {
                if (!result.duplicate()) {
                    metrics.messageSent();
                    publish(new Delivery(recipients, new MessageEvent(result.message())));
                    notifyListeners(l -> l.onMessage(result.message()));
                }
            }).join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    /** {@link #send} for callers that want to block; unwraps the store's failure. */
    public Message sendAndWait(String callerId, String conversationId, String clientMsgId, MessageBody body,
                               String replyTo) {
        try {
            return send(callerId, conversationId, clientMsgId, body, replyTo).join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    /**
     * A page of history in ascending seq: before {@code beforeSeq}, after {@code afterSeq},
     * or the newest page when both are null.
     */
    public HistoryPage history(String callerId, String conversationId, Long beforeSeq, Long afterSeq,
                               Integer limit) {
        requireField("conversationId", conversationId);
        checkPaging(beforeSeq, afterSeq);
        conversation(callerId, conversationId);
        HistoryPage page = store.history(conversationId, beforeSeq, afterSeq, pageSize(limit), callerId);
        return new HistoryPage(visible(page.messages()), page.hasMore());
    }

    // ---------------------------------------------------------------- edits, deletion, reactions, pins

    /**
     * Edits a message. Only its author may, within {@link ChatLimits#editWindow()} of sending,
     * and not once it is deleted; the body is checked like a send's (filters included). The
     * previous text is kept in the edit history ({@link #edits}). The seq does not change.
     * Members get a {@code message.edited} event; an edit to the same text changes nothing and
     * announces nothing.
     *
     * @return the message as the caller now sees it
     */
    public Message edit(String callerId, String conversationId, String messageId, MessageBody body) {
        if (body == null) {
            throw ChatException.badRequest("body.text must not be empty");
        }
        checkBodyLength(body);
        if (body.hasAttachments()) {
            throw ChatException.badRequest("an edit changes the text only; attachments stay as sent");
        }
        Target target = target(callerId, conversationId, messageId);
        Message message = target.message();
        if (message.fromSystem()) {
            throw ChatException.badRequest("a system message cannot be edited");
        }
        if (!message.senderId().equals(callerId)) {
            throw ChatException.forbidden("only the author may edit a message");
        }
        if (message.deleted()) {
            throw ChatException.conflict("the message is deleted");
        }
        if (target.context().blocked()) {
            throw ChatException.forbidden("blocked: you cannot message this user");
        }
        Instant now = now();
        if (now.isAfter(message.createdAt().plus(limits.editWindow()))) {
            throw ChatException.forbidden("the edit window has passed: a message can be edited for "
                    + describe(limits.editWindow()) + " after it was sent");
        }
        if (message.body().text().equals(body.text())) {
            return visible(message);
        }
        if (body.text().isBlank() && !message.body().hasAttachments()) {
            throw ChatException.badRequest("body.text must not be empty");
        }
        body = new MessageBody(body.text(), message.body().attachments());
        runFilters(callerId, target.context().conversation(), body);
        Message edited = message.edited(body, now);
        synchronized (updateLock(conversationId)) {
            if (!store.editMessage(messageId, body, now)) {
                throw ChatException.conflict("the message is deleted");
            }
            publish(new Delivery(new HashSet<>(target.context().memberIds()),
                    new MessageEditedEvent(forEveryone(edited))));
        }
        notifyListeners(l -> l.onMessageEdited(forEveryone(edited)));
        return visible(edited);
    }

    /** The edit history of a message of a conversation the caller belongs to: earlier texts, oldest first. */
    public List<MessageEdit> edits(String callerId, String conversationId, String messageId) {
        target(callerId, conversationId, messageId);
        return store.edits(messageId);
    }

    /**
     * Deletes a message. {@link DeleteScope#EVERYONE}: its author, or an owner or admin of a
     * group, turns it into a tombstone (same id and seq, empty text, edit history, reactions
     * and pin erased) and members get a {@code message.deleted} event; deleting a tombstone
     * again succeeds and announces nothing. {@link DeleteScope#ME}: any member hides it from
     * their own history (it reads as a stub with {@code hidden}); only the caller's devices get
     * a {@code message.hidden} event, once.
     */
    public void delete(String callerId, String conversationId, String messageId, DeleteScope scope) {
        if (scope == null) {
            throw ChatException.badRequest("scope must be everyone or me");
        }
        Target target = target(callerId, conversationId, messageId);
        Message message = target.message();
        if (scope == DeleteScope.ME) {
            synchronized (updateLock(conversationId)) {
                if (store.hideMessage(callerId, messageId, now())) {
                    publish(new Delivery(Set.of(callerId),
                            new MessageHiddenEvent(conversationId, messageId, message.seq())));
                }
            }
            return;
        }
        if (!message.senderId().equals(callerId) && !moderates(target, callerId)) {
            throw ChatException.forbidden(target.context().conversation().kind() == ConversationKind.GROUP
                    ? "only the author, an owner or an admin may delete this message for everyone"
                    : "only the author may delete this message for everyone");
        }
        if (message.deleted()) {
            return;
        }
        boolean deleted;
        synchronized (updateLock(conversationId)) {
            deleted = store.deleteMessage(messageId);
            if (deleted) {
                publish(new Delivery(new HashSet<>(target.context().memberIds()),
                        new MessageDeletedEvent(conversationId, messageId, message.seq())));
            }
        }
        if (deleted) {
            Message tombstone = forEveryone(message).tombstone();
            notifyListeners(l -> l.onMessageDeleted(tombstone));
        }
    }

    /**
     * Adds the caller's reaction. {@code emoji} must pass the emoji rule (1 to 16 characters of
     * emoji code points, see the protocol docs). Reacting twice with one emoji changes nothing
     * and announces nothing; a deleted message is a {@code conflict}; more than
     * {@link ChatLimits#maxReactionsPerUser()} emoji from the caller or
     * {@link ChatLimits#maxEmojiPerMessage()} on the message is {@code too_large}. Members get a
     * {@code reaction} event.
     */
    public void react(String callerId, String conversationId, String messageId, String emoji) {
        checkEmoji(emoji);
        Target target = target(callerId, conversationId, messageId);
        if (target.message().fromSystem()) {
            throw ChatException.badRequest("a system message cannot be reacted to");
        }
        if (target.message().deleted()) {
            throw ChatException.conflict("the message is deleted");
        }
        if (target.context().blocked()) {
            throw ChatException.forbidden("blocked: you cannot message this user");
        }
        synchronized (updateLock(conversationId)) {
            ReactionResult result = store.addReaction(messageId, callerId, emoji, now(),
                    limits.maxReactionsPerUser(), limits.maxEmojiPerMessage());
            switch (result) {
                case ADDED -> publish(new Delivery(new HashSet<>(target.context().memberIds()), new ReactionEvent(
                        conversationId, messageId, target.message().seq(), callerId, emoji, ReactionAction.ADDED)));
                case UNCHANGED -> {
                }
                case TOO_MANY_FROM_USER -> throw ChatException.tooLarge("you have at most "
                        + limits.maxReactionsPerUser() + " different reactions on one message");
                case TOO_MANY_EMOJI -> throw ChatException.tooLarge("a message has at most "
                        + limits.maxEmojiPerMessage() + " different emoji");
                case MESSAGE_DELETED -> throw ChatException.conflict("the message is deleted");
            }
        }
    }

    /** Removes the caller's reaction; removing one that is not there changes nothing and announces nothing. */
    public void unreact(String callerId, String conversationId, String messageId, String emoji) {
        checkEmoji(emoji);
        Target target = target(callerId, conversationId, messageId);
        if (target.message().deleted()) {
            throw ChatException.conflict("the message is deleted");
        }
        synchronized (updateLock(conversationId)) {
            if (store.removeReaction(messageId, callerId, emoji)) {
                publish(new Delivery(new HashSet<>(target.context().memberIds()), new ReactionEvent(
                        conversationId, messageId, target.message().seq(), callerId, emoji, ReactionAction.REMOVED)));
            }
        }
    }

    /**
     * Pins a message: in a group owners and admins only, in a direct conversation either
     * member. At most {@link ChatLimits#maxPinsPerConversation()} pins ({@code too_large});
     * a deleted message is a {@code conflict}; pinning twice changes nothing. Members get a
     * {@code pin} event.
     */
    public void pin(String callerId, String conversationId, String messageId) {
        Target target = target(callerId, conversationId, messageId);
        requireMayPin(target, callerId);
        if (target.message().deleted()) {
            throw ChatException.conflict("the message is deleted");
        }
        synchronized (updateLock(conversationId)) {
            PinResult result = store.pin(messageId, callerId, now(), limits.maxPinsPerConversation());
            switch (result) {
                case PINNED -> publish(new Delivery(new HashSet<>(target.context().memberIds()),
                        new PinEvent(conversationId, messageId, true, callerId)));
                case UNCHANGED -> {
                }
                case TOO_MANY_PINS -> throw ChatException.tooLarge("a conversation has at most "
                        + limits.maxPinsPerConversation() + " pinned messages");
                case MESSAGE_DELETED -> throw ChatException.conflict("the message is deleted");
            }
        }
    }

    /** Unpins a message (same roles as {@link #pin}); unpinning one that is not pinned changes nothing. */
    public void unpin(String callerId, String conversationId, String messageId) {
        Target target = target(callerId, conversationId, messageId);
        requireMayPin(target, callerId);
        synchronized (updateLock(conversationId)) {
            if (store.unpin(messageId)) {
                publish(new Delivery(new HashSet<>(target.context().memberIds()),
                        new PinEvent(conversationId, messageId, false, callerId)));
            }
        }
    }

    /** The pinned messages of a conversation the caller belongs to, most recently pinned first. */
    public List<Message> pins(String callerId, String conversationId) {
        conversation(callerId, conversationId);
        return visible(store.pinned(conversationId, callerId));
    }

    // ---------------------------------------------------------------- files

    /**
     * Records a file the caller uploaded, as the file server detected it ({@code detected}'s id
     * is ignored: the engine assigns one). The caller may then attach it to messages by id.
     *
     * @param sha256        the blob holding the content
     * @param previewSha256 the blob holding a preview image, or {@code null}
     * @return the upload, with its id
     * @since 0.1.0
     */
    public Upload registerUpload(String callerId, String sha256, String previewSha256, Attachment detected) {
        requireField("callerId", callerId);
        requireField("sha256", sha256);
        Objects.requireNonNull(detected, "detected");
        String id = ids.next();
        Attachment attachment = new Attachment(id, detected.name(), detected.type(), detected.kind(), detected.size(),
                detected.width(), detected.height(), detected.durationMillis(), detected.waveform(), detected.preview());
        Upload upload = new Upload(attachment, callerId, sha256, previewSha256, now());
        store.putUpload(upload);
        return upload;
    }

    /**
     * The upload the caller asks to download, if the caller may: its uploader, or a current
     * member of a conversation where a message that is not deleted carries it. Anything else,
     * an unknown id included, is {@code not_found}, so ids reveal nothing.
     *
     * @since 0.1.0
     */
    public Upload download(String callerId, String uploadId) {
        requireField("uploadId", uploadId);
        Upload upload = store.findUpload(uploadId)
                .orElseThrow(() -> ChatException.notFound("file not found: " + uploadId));
        if (!upload.ownerId().equals(callerId) && !store.mayDownload(callerId, uploadId)) {
            throw ChatException.notFound("file not found: " + uploadId);
        }
        return upload;
    }

    /**
     * A conversation's media gallery: the attachments of one kind, newest message first.
     *
     * @param beforeSeq for the next page: the last item's {@code seq}
     * @since 0.1.0
     */
    public List<GalleryItem> gallery(String callerId, String conversationId, AttachmentKind kind, Long beforeSeq,
                                     Integer limit) {
        Objects.requireNonNull(kind, "kind");
        if (beforeSeq != null && beforeSeq < 1) {
            throw ChatException.badRequest("beforeSeq must be >= 1");
        }
        conversation(callerId, conversationId);
        return store.gallery(conversationId, kind, beforeSeq, pageSize(limit));
    }

    /**
     * A conversation's links gallery: the web links in the text of messages that are not
     * deleted, newest message first. {@code limit} counts messages.
     *
     * @param beforeSeq for the next page: the last item's {@code seq}
     * @since 0.1.0
     */
    public List<LinkItem> links(String callerId, String conversationId, Long beforeSeq, Integer limit) {
        if (beforeSeq != null && beforeSeq < 1) {
            throw ChatException.badRequest("beforeSeq must be >= 1");
        }
        conversation(callerId, conversationId);
        return store.links(conversationId, beforeSeq, pageSize(limit));
    }

    /**
     * Forgets uploads nothing needs any more (attached once and every carrying message deleted
     * or expired, or never attached within {@link #UNATTACHED_UPLOAD_TTL}) and returns the blobs
     * no upload names after that, for the caller to delete from its {@link dev.parley.core.spi.BlobStore}.
     * The file server calls it periodically.
     *
     * @return ids of blobs that are no longer referenced
     * @since 0.1.0
     */
    public Set<String> releaseUploads(int max) {
        List<Upload> releasable = store.releasableUploads(now().minus(UNATTACHED_UPLOAD_TTL), max);
        if (releasable.isEmpty()) {
            return Set.of();
        }
        store.deleteUploads(releasable.stream().map(Upload::id).toList());
        Set<String> unreferenced = new LinkedHashSet<>();
        for (Upload u : releasable) {
            for (String blob : java.util.Arrays.asList(u.sha256(), u.previewSha256())) {
                if (blob != null && !store.blobReferenced(blob)) {
                    unreferenced.add(blob);
                }
            }
        }
        return unreferenced;
    }

    // ---------------------------------------------------------------- threads

    /**
     * A page of a thread's replies in ascending seq (paged like {@link #history}), with the root
     * and the caller's thread read cursor. Any member may read any thread of the conversation.
     *
     * @throws ChatException not_found for an unknown conversation or root (or a root in another
     *                       conversation), bad_request when {@code rootId} is itself a thread reply
     * @since 0.1.0
     */
    public ThreadPage threadHistory(String callerId, String conversationId, String rootId, Long beforeSeq,
                                    Long afterSeq, Integer limit) {
        requireField("rootId", rootId);
        checkPaging(beforeSeq, afterSeq);
        ThreadView thread = threadOf(callerId, conversationId, rootId);
        HistoryPage page = store.threadHistory(rootId, beforeSeq, afterSeq, pageSize(limit), callerId);
        return new ThreadPage(thread, visible(page.messages()), page.hasMore());
    }

    /**
     * The conversation's threads that have replies, newest reply first, each with the caller's
     * thread cursor and unread count.
     *
     * @param beforeLastReplySeq for the next page: the last thread's {@code thread.lastReplySeq}
     * @since 0.1.0
     */
    public List<ThreadView> threads(String callerId, String conversationId, Long beforeLastReplySeq,
                                    Integer limit) {
        if (beforeLastReplySeq != null && beforeLastReplySeq < 1) {
            throw ChatException.badRequest("beforeLastReplySeq must be >= 1");
        }
        conversation(callerId, conversationId);
        List<ThreadView> out = new ArrayList<>();
        for (ThreadView t : store.threads(conversationId, callerId, beforeLastReplySeq, pageSize(limit))) {
            out.add(visible(t));
        }
        return out;
    }

    /**
     * Moves the caller's read cursor of a thread forward to {@code seq} (a conversation seq, at
     * most the thread's newest reply). A lower seq is accepted and ignored. The caller's other
     * devices get a {@code thread.read} event; nobody else is told.
     *
     * @return the caller's thread read cursor after the call
     * @since 0.1.0
     */
    public long markThreadRead(String callerId, String conversationId, String rootId, long seq) {
        requireField("rootId", rootId);
        if (seq < 0) {
            throw ChatException.badRequest("seq must be >= 0");
        }
        ThreadView thread = threadOf(callerId, conversationId, rootId);
        long newest = thread.root().thread() == null ? 0 : thread.root().thread().lastReplySeq();
        if (seq > newest) {
            throw ChatException.badRequest("seq " + seq + " is past the thread's newest reply (" + newest + ")");
        }
        if (store.advanceThreadRead(rootId, callerId, seq)) {
            publish(new Delivery(Set.of(callerId), new ThreadReadEvent(conversationId, rootId, callerId, seq)));
            return seq;
        }
        return thread.readSeq();
    }

    /** Membership, then the root: a message of this conversation that is not a thread reply. */
    private ThreadView threadOf(String callerId, String conversationId, String rootId) {
        conversation(callerId, conversationId);
        ThreadView thread = store.thread(rootId, callerId)
                .filter(t -> t.root().conversationId().equals(conversationId))
                .orElseThrow(() -> ChatException.notFound("thread root not found in " + conversationId + ": " + rootId));
        if (thread.root().inThread()) {
            throw ChatException.badRequest("rootId names a reply in a thread; its root is " + thread.root().threadRootId());
        }
        return visible(thread);
    }

    private static ThreadView visible(ThreadView t) {
        return t.root().hidden() ? new ThreadView(visible(t.root()), t.readSeq(), t.unread()) : t;
    }

    private static void checkPaging(Long beforeSeq, Long afterSeq) {
        if (beforeSeq != null && afterSeq != null) {
            throw ChatException.badRequest("give beforeSeq or afterSeq, not both");
        }
        if (beforeSeq != null && beforeSeq < 1) {
            throw ChatException.badRequest("beforeSeq must be >= 1");
        }
        if (afterSeq != null && afterSeq < 0) {
            throw ChatException.badRequest("afterSeq must be >= 0");
        }
    }

    /**
     * Moves the caller's delivered or read cursor forward and tells the other members. A
     * lower seq than the cursor is accepted and ignored; a seq past the newest message is a
     * {@code bad_request}.
     */
    public void receipt(String callerId, String conversationId, CursorKind kind, long seq) {
        requireField("conversationId", conversationId);
        if (kind == null) {
            throw ChatException.badRequest("kind must be delivered or read");
        }
        if (seq < 0) {
            throw ChatException.badRequest("seq must be >= 0");
        }
        Conversation conversation = conversation(conversationId);
        List<Member> members = store.members(conversationId);
        if (members.stream().noneMatch(m -> m.userId().equals(callerId))) {
            throw ChatException.forbidden("not a member of " + conversationId);
        }
        if (seq > conversation.lastSeq()) {
            throw ChatException.badRequest("seq " + seq + " is past the newest message (" + conversation.lastSeq() + ")");
        }
        if (store.advanceCursor(conversationId, callerId, kind, seq)) {
            Set<String> recipients = othersThan(callerId, members);
            if (kind == CursorKind.READ) {
                Set<String> off = store.readReceiptsOff(members.stream().map(Member::userId).toList());
                if (off.contains(callerId)) {
                    return; // the cursor moves (unread counts), but nobody is told
                }
                recipients.removeAll(off);
            }
            publish(new Delivery(recipients, new ReceiptEvent(conversationId, callerId, kind, seq)));
        }
    }

    /**
     * Typing indicator. Repeated {@code start}s within the throttle window are not re-sent;
     * a {@code start} that is not refreshed turns into {@code stop} after
     * {@link ChatLimits#typingTimeout()}.
     */
    public void typing(String callerId, String conversationId, TypingState state) {
        requireField("conversationId", conversationId);
        if (state == null) {
            throw ChatException.badRequest("state must be start or stop");
        }
        conversation(callerId, conversationId);
        (state == TypingState.START ? typing.start(conversationId, callerId) : typing.clear(conversationId, callerId))
                .ifPresent(this::publishTyping);
    }

    /**
     * What a reconnecting client missed since {@code lastSeen} (conversation id to the last
     * seq it saw). Conversations with more than {@code maxPerConversation} missed messages
     * are listed as truncated instead of replayed.
     */
    public ResumeResult resume(String callerId, Map<String, Long> lastSeen, Integer maxPerConversation) {
        if (lastSeen == null) {
            throw ChatException.badRequest("conversations is required");
        }
        int max = maxPerConversation == null ? limits.maxResumePerConversation() : maxPerConversation;
        if (max < 1 || max > limits.maxResumePerConversation()) {
            throw ChatException.badRequest("maxPerConversation must be 1 to " + limits.maxResumePerConversation());
        }
        List<Message> missed = new ArrayList<>();
        List<String> truncated = new ArrayList<>();
        List<String> forbidden = new ArrayList<>();
        for (Map.Entry<String, Long> e : lastSeen.entrySet()) {
            String conversationId = e.getKey();
            long after = e.getValue() == null ? 0 : e.getValue();
            if (after < 0) {
                throw ChatException.badRequest("conversations." + conversationId + " must be >= 0");
            }
            if (store.findMember(conversationId, callerId).isEmpty()) {
                forbidden.add(conversationId);
                continue;
            }
            List<Message> page = new ArrayList<>();
            long cursor = after;
            boolean more = true;
            while (more && page.size() <= max) {
                HistoryPage p = store.history(conversationId, null, cursor, limits.maxPageSize(), callerId);
                page.addAll(visible(p.messages()));
                more = p.hasMore();
                if (!p.messages().isEmpty()) {
                    cursor = p.messages().get(p.messages().size() - 1).seq();
                }
            }
            if (page.size() > max) {
                truncated.add(conversationId);
            } else {
                missed.addAll(page);
            }
        }
        return new ResumeResult(missed, truncated, forbidden);
    }

    // ---------------------------------------------------------------- search and expiry

    /**
     * Full-text search over the conversations the caller is a member of, most relevant first.
     * Messages deleted for everyone, expired ones and those the caller hid are left out. The
     * query is plain words (every one must occur); no character of it has a syntax meaning.
     * A blank query is a {@code bad_request}, one over 200 characters {@code too_large}; a
     * {@code conversationId} must name a conversation the caller belongs to.
     *
     * @since 0.1.0
     */
    public SearchPage search(String callerId, SearchRequest request) {
        if (request == null || request.query() == null || request.query().isBlank()) {
            throw ChatException.badRequest("query must not be empty");
        }
        if (request.query().length() > MAX_SEARCH_CHARS) {
            throw ChatException.tooLarge("query is longer than " + MAX_SEARCH_CHARS + " characters");
        }
        int limit = request.limit() == null ? DEFAULT_SEARCH_RESULTS : request.limit();
        if (limit < 1 || limit > MAX_SEARCH_RESULTS) {
            throw ChatException.badRequest("limit must be 1 to " + MAX_SEARCH_RESULTS);
        }
        int offset = SearchCursor.decode(request.cursor());
        if (request.conversationId() != null) {
            conversation(callerId, request.conversationId());
        }
        List<SearchHit> hits = store.search(callerId, new SearchQuery(request.query().strip(),
                request.conversationId(), request.senderId(), request.after(), request.before(), limit + 1, offset,
                request.hasAttachment()));
        boolean more = hits.size() > limit && offset + limit < SearchCursor.MAX_OFFSET;
        List<SearchHit> page = hits.size() > limit ? hits.subList(0, limit) : hits;
        return new SearchPage(page, more ? SearchCursor.encode(offset + limit) : null);
    }

    /**
     * Sets a conversation's disappearing-messages timer: messages sent afterwards expire
     * {@code seconds} (5 to 31,536,000) after they were sent; 0 turns it off. Messages already
     * sent keep their expiry. In a group only owners and admins may; in a direct conversation
     * either member. Members get a {@code conversation.expiry} event.
     *
     * @since 0.1.0
     */
    public void setExpiry(String callerId, String conversationId, long seconds) {
        checkExpirySeconds("seconds", seconds, true);
        Conversation conversation = conversation(conversationId);
        Member caller = requireMember(conversationId, callerId);
        if (conversation.kind() == ConversationKind.GROUP && !caller.role().canModerate()) {
            throw ChatException.forbidden("only owners and admins set the expiry timer of a group");
        }
        synchronized (updateLock(conversationId)) {
            store.setExpiry(conversationId, seconds);
            publish(new Delivery(new HashSet<>(store.members(conversationId).stream().map(Member::userId).toList()),
                    new ConversationExpiryEvent(conversationId, seconds, callerId)));
        }
    }

    /** A conversation's disappearing-messages timer in seconds (0: off), for a member. */
    public long expiry(String callerId, String conversationId) {
        conversation(callerId, conversationId);
        return store.expiry(conversationId);
    }

    /**
     * Erases every message whose expiry time has come (by the engine's clock) and tells each
     * conversation's members with a {@code message.expired} event. The engine runs this every
     * {@link ChatLimits#expirySweepInterval()}; tests call it after moving the clock.
     *
     * @return how many messages were erased
     * @since 0.1.0
     */
    public int sweepExpired() {
        Instant now = now();
        int total = 0;
        List<String> due;
        do {
            due = store.conversationsWithExpired(now, SWEEP_BATCH);
            for (String conversationId : due) {
                total += expireIn(conversationId, now);
            }
        } while (due.size() == SWEEP_BATCH);
        return total;
    }

    private int expireIn(String conversationId, Instant now) {
        int total = 0;
        List<ExpiredMessage> gone;
        do {
            synchronized (updateLock(conversationId)) {
                gone = store.expire(conversationId, now, SWEEP_BATCH);
                if (!gone.isEmpty()) {
                    publish(new Delivery(new HashSet<>(store.members(conversationId).stream().map(Member::userId)
                            .toList()), new MessageExpiredEvent(conversationId,
                            gone.stream().map(ExpiredMessage::messageId).toList(),
                            gone.stream().map(ExpiredMessage::seq).toList())));
                }
            }
            if (!gone.isEmpty()) {
                List<ExpiredMessage> expired = gone;
                notifyListeners(l -> l.onMessagesExpired(conversationId, expired));
            }
            total += gone.size();
        } while (gone.size() == SWEEP_BATCH);
        return total;
    }

    private void sweepQuietly() {
        try {
            sweepExpired();
        } catch (ChatException e) {
            log.debug("expiry sweep skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            // The next sweep retries; an expired message stays unreadable only once erased.
            log.warn("expiry sweep failed", e);
        }
    }

    private static void checkExpirySeconds(String field, long seconds, boolean zeroAllowed) {
        if ((seconds == 0 && zeroAllowed) || (seconds >= MIN_EXPIRY_SECONDS && seconds <= MAX_EXPIRY_SECONDS)) {
            return;
        }
        throw ChatException.badRequest(field + " must be " + (zeroAllowed ? "0 (off) or " : "") + MIN_EXPIRY_SECONDS
                + " to " + MAX_EXPIRY_SECONDS);
    }

    // ---------------------------------------------------------------- presence

    /**
     * A device of {@code userId} connected. The first device makes the user online for its
     * contacts; a reconnect within the grace period announces nothing.
     */
    public void deviceConnected(String userId) {
        presence.connected(userId);
    }

    /** A device of {@code userId} disconnected; offline is announced after the grace period. */
    public void deviceDisconnected(String userId) {
        presence.disconnected(userId);
    }

    /** Current presence of the given users, limited to the caller's contacts and the caller. */
    public List<PresenceEvent> presence(String callerId, Collection<String> userIds) {
        if (userIds == null) {
            throw ChatException.badRequest("userIds is required");
        }
        if (userIds.size() > limits.maxPageSize()) {
            throw ChatException.tooLarge("at most " + limits.maxPageSize() + " userIds per query");
        }
        Set<String> related = new HashSet<>(store.contactsOf(callerId));
        related.addAll(store.relationsFrom(callerId, RelationState.FRIENDS));
        List<PresenceEvent> out = new ArrayList<>();
        for (String id : new LinkedHashSet<>(userIds)) {
            if (id.equals(callerId)) {
                out.add(currentPresence(id));
            } else if (related.contains(id)) {
                PresenceVisibility v = presenceVisibility(id, callerId);
                if (v.presence()) {
                    PresenceEvent p = currentPresence(id);
                    out.add(v.lastSeen() ? p : new PresenceEvent(p.userId(), p.status(), null));
                }
            }
        }
        return out;
    }

    private PresenceEvent currentPresence(String userId) {
        if (clusterPresence != null) {
            try {
                return clusterPresence.current(userId);
            } catch (RuntimeException e) {
                log.warn("cluster presence failed for {}; answering from this node", userId, e);
            }
        }
        return presence.current(userId);
    }

    /**
     * This node's tracker saw the user's first device arrive or its last one leave (after the
     * grace period). Alone, the node announces it; in a cluster the broker decides whether it
     * is a cluster-level transition and reports that back to every node (constructor).
     */
    private void localPresenceChanged(PresenceEvent event) {
        if (clusterPresence == null) {
            publishPresence(event, this::publish);
            return;
        }
        try {
            if (event.status() == PresenceStatus.ONLINE) {
                clusterPresence.localOnline(event.userId());
            } else {
                clusterPresence.localOffline(event.userId(), event.lastSeenAt());
            }
        } catch (RuntimeException e) {
            log.warn("cluster presence update for {} failed", event.userId(), e);
        }
    }

    // ---------------------------------------------------------------- fan-out

    /**
     * Registers a callback for when the broker may have lost deliveries to this node (see
     * {@link Broker#onDeliveriesMissed}); the transport makes its clients catch up from the store.
     *
     * @return a handle whose {@code close()} removes the callback
     * @since 0.1.0
     */
    public AutoCloseable onDeliveriesMissed(Runnable callback) {
        return broker.onDeliveriesMissed(callback);
    }

    /**
     * Subscribes to every delivery of this deployment (for a node's connection registry).
     *
     * @return a handle whose {@code close()} ends the subscription
     */
    public AutoCloseable subscribe(Consumer<Delivery> subscriber) {
        return broker.subscribe(subscriber);
    }

    /** Authenticated principal for a user id, for transports that authenticate elsewhere. */
    public Principal principal(String userId) {
        User user = user(userId);
        return new Principal(user.id(), user.name());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        timers.shutdownNow();
        if (listenerExecutor != null) {
            listenerExecutor.shutdown();
            try {
                listenerExecutor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (clusterPresenceWatch != null) {
            try {
                clusterPresenceWatch.close();
            } catch (Exception e) {
                log.warn("stopping the cluster presence watch failed", e);
            }
        }
        if (ownsBroker) {
            broker.close();
        }
    }

    /** The {@link ChatException} inside a future's failure, or an {@code internal} one. */
    public static ChatException unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ChatException ce) {
            return ce;
        }
        return new ChatException(ErrorCode.INTERNAL, "internal error", cause);
    }

    // ---------------------------------------------------------------- internals

    private Conversation conversation(String conversationId) {
        requireField("conversationId", conversationId);
        return store.findConversation(conversationId)
                .orElseThrow(() -> ChatException.notFound("conversation not found: " + conversationId));
    }

    private Member requireMember(String conversationId, String userId) {
        return store.findMember(conversationId, userId)
                .orElseThrow(() -> ChatException.forbidden("not a member of " + conversationId));
    }

    /** A message of a conversation, as an update command addresses it, with what the checks need. */
    private record Target(SendContext context, Message message) {
    }

    /**
     * The conversation (not_found), the caller's membership (forbidden) and the message, which
     * must belong to that conversation (not_found otherwise), read as the caller sees it.
     */
    private Target target(String callerId, String conversationId, String messageId) {
        requireField("conversationId", conversationId);
        requireField("messageId", messageId);
        SendContext context = sendContexts.get(conversationId, callerId,
                        () -> store.sendContext(conversationId, callerId))
                .orElseThrow(() -> ChatException.notFound("conversation not found: " + conversationId));
        if (!context.memberIds().contains(callerId)) {
            throw ChatException.forbidden("not a member of " + conversationId);
        }
        Message message = store.findMessage(messageId, callerId)
                .filter(m -> m.conversationId().equals(conversationId))
                .orElseThrow(() -> ChatException.notFound("message not found in " + conversationId + ": " + messageId));
        return new Target(context, message);
    }

    /** Whether the caller is an owner or admin of the target's group. */
    private boolean moderates(Target target, String callerId) {
        return target.context().conversation().kind() == ConversationKind.GROUP
                && store.findMember(target.context().conversation().id(), callerId)
                .map(m -> m.role().canModerate()).orElse(false);
    }

    private void requireMayPin(Target target, String callerId) {
        if (target.context().conversation().kind() == ConversationKind.GROUP && !moderates(target, callerId)) {
            throw ChatException.forbidden("only owners and admins pin messages in a group");
        }
    }

    private Object updateLock(String conversationId) {
        return updateLocks[Math.floorMod(conversationId.hashCode(), updateLocks.length)];
    }

    /** What a reader sees of a message the store marked as hidden for them: a stub. */
    private static Message visible(Message m) {
        return m.hidden() ? m.hiddenStub() : m;
    }

    private static List<Message> visible(List<Message> messages) {
        if (messages.stream().noneMatch(Message::hidden)) {
            return messages;
        }
        List<Message> out = new ArrayList<>(messages.size());
        messages.forEach(m -> out.add(visible(m)));
        return out;
    }

    /** A message as every member may see it, for events: no reader's {@code me} flags or hidden mark. */
    private static Message forEveryone(Message m) {
        if (!m.hidden() && m.reactions().stream().noneMatch(ReactionSummary::me)) {
            return m;
        }
        return m.withHidden(false).withReactions(m.reactions().stream().map(ReactionSummary::anonymous).toList());
    }

    private void checkBody(MessageBody body) {
        if (body == null || (body.text().isBlank() && !body.hasAttachments())) {
            throw ChatException.badRequest("body.text must not be empty");
        }
        checkBodyLength(body);
    }

    private void checkBodyLength(MessageBody body) {
        if (body.text().length() > limits.maxBodyChars()) {
            throw ChatException.tooLarge("body.text is longer than " + limits.maxBodyChars() + " characters");
        }
    }

    private static void checkEmoji(String emoji) {
        requireField("emoji", emoji);
        if (emoji.length() > EmojiRule.MAX_CHARS) {
            throw ChatException.tooLarge("emoji is longer than " + EmojiRule.MAX_CHARS + " characters");
        }
        if (!EmojiRule.isEmoji(emoji)) {
            throw ChatException.badRequest("emoji must be made of emoji characters only");
        }
    }

    /** "48 hours", "15 minutes", "30 seconds". */
    private static String describe(Duration d) {
        if (d.toSeconds() % 3600 == 0 && d.toHours() > 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        if (d.toSeconds() % 60 == 0 && d.toMinutes() > 0) {
            return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
        }
        return d.toSeconds() + (d.toSeconds() == 1 ? " second" : " seconds");
    }

    private void runFilters(String callerId, Conversation conversation, MessageBody body) {
        if (filters.isEmpty()) {
            return;
        }
        Principal sender = principal(callerId);
        for (MessageFilter filter : filters) {
            Verdict verdict;
            try {
                verdict = filter.check(sender, conversation, body);
            } catch (RuntimeException e) {
                log.warn("message filter {} failed; treated as abstain", filter.getClass().getName(), e);
                continue;
            }
            if (verdict instanceof Verdict.Reject reject) {
                throw ChatException.forbidden("rejected: " + reject.reason());
            }
        }
    }

    private void announceConversation(Conversation conversation, List<String> memberIds) {
        publish(new Delivery(new HashSet<>(memberIds), new ConversationEvent(conversation, memberIds)));
        notifyListeners(l -> l.onConversationCreated(conversation));
    }

    private void typingExpired(String conversationId, String userId) {
        publishTyping(new TypingEvent(conversationId, userId, TypingState.STOP));
    }

    private void publishTyping(TypingEvent event) {
        try {
            List<Member> members = store.members(event.conversationId());
            publish(new Delivery(othersThan(event.userId(), members), event));
        } catch (ChatException e) {
            log.debug("typing event for {} dropped: {}", event.conversationId(), e.getMessage());
        }
    }

    private void publishPresence(PresenceEvent event, Consumer<Delivery> sink) {
        try {
            Set<String> audience = new HashSet<>(store.contactsOf(event.userId()));
            audience.addAll(store.relationsFrom(event.userId(), RelationState.FRIENDS));
            Set<String> full = new HashSet<>();
            Set<String> withoutLastSeen = new HashSet<>();
            for (String viewer : audience) {
                PresenceVisibility v = presenceVisibility(event.userId(), viewer);
                if (v.presence()) {
                    (v.lastSeen() || event.lastSeenAt() == null ? full : withoutLastSeen).add(viewer);
                }
            }
            sink.accept(new Delivery(full, event));
            sink.accept(new Delivery(withoutLastSeen, new PresenceEvent(event.userId(), event.status(), null)));
        } catch (ChatException e) {
            log.debug("presence event for {} dropped: {}", event.userId(), e.getMessage());
        }
    }

    private record PresenceVisibility(boolean presence, boolean lastSeen) {
    }

    /** What {@code viewer} may see of {@code subject}'s presence. */
    private PresenceVisibility presenceVisibility(String subject, String viewer) {
        if (blocked(subject, viewer)) {
            return new PresenceVisibility(false, false);
        }
        PrivacySettings settings = store.privacy(subject);
        boolean friends = store.relation(subject, viewer).orElse(null) == RelationState.FRIENDS;
        return new PresenceVisibility(allows(settings.presence(), friends), allows(settings.lastSeen(), friends));
    }

    private static boolean allows(Audience audience, boolean friends) {
        return audience == Audience.EVERYONE || (audience == Audience.FRIENDS && friends);
    }

    private boolean blocked(String blocker, String blockee) {
        return store.relation(blocker, blockee).orElse(null) == RelationState.BLOCKED;
    }

    /** Whether the caller may start a direct conversation with {@code otherId}. */
    private void checkMayMessage(String callerId, String otherId) {
        if (blocked(otherId, callerId) || blocked(callerId, otherId)) {
            throw ChatException.forbidden("blocked: you cannot message this user");
        }
        Audience audience = store.privacy(otherId).directMessages();
        boolean friends = store.relation(otherId, callerId).orElse(null) == RelationState.FRIENDS;
        if (!allows(audience, friends)) {
            throw ChatException.forbidden("this user accepts direct messages only from "
                    + (audience == Audience.FRIENDS ? "friends" : "nobody"));
        }
    }

    private void requireOther(String callerId, String otherId) {
        requireField("userId", otherId);
        if (otherId.equals(callerId)) {
            throw ChatException.badRequest("userId must be another user");
        }
        user(otherId);
    }

    private void publish(Delivery delivery) {
        if (delivery.recipients().isEmpty()) {
            return;
        }
        try {
            broker.publish(delivery);
        } catch (RuntimeException e) {
            // Fan-out is at-most-once; the store stays the log clients repair gaps from.
            log.warn("broker failed to publish {}", delivery.event().type(), e);
        }
    }

    /** A delivery for this node's sockets only: each node announces cluster presence itself. */
    private void publishLocal(Delivery delivery) {
        if (delivery.recipients().isEmpty()) {
            return;
        }
        try {
            broker.publishLocal(delivery);
        } catch (RuntimeException e) {
            log.warn("broker failed to deliver {} locally", delivery.event().type(), e);
        }
    }

    private void notifyListeners(Consumer<ChatListener> call) {
        if (listenerExecutor == null) {
            return;
        }
        for (ChatListener listener : listeners) {
            try {
                listenerExecutor.execute(() -> {
                    try {
                        call.accept(listener);
                    } catch (RuntimeException e) {
                        log.warn("chat listener {} failed", listener.getClass().getName(), e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                log.debug("engine closed; listener call dropped");
            }
        }
    }

    private static Set<String> othersThan(String userId, List<Member> members) {
        Set<String> out = new HashSet<>();
        for (Member m : members) {
            if (!m.userId().equals(userId)) {
                out.add(m.userId());
            }
        }
        return out;
    }

    private int pageSize(Integer limit) {
        if (limit == null) {
            return limits.defaultPageSize();
        }
        if (limit < 1 || limit > limits.maxPageSize()) {
            throw ChatException.badRequest("limit must be 1 to " + limits.maxPageSize());
        }
        return limit;
    }

    private String checkName(String field, String name) {
        if (name == null || name.isBlank()) {
            throw ChatException.badRequest(field + " must not be empty");
        }
        String trimmed = name.strip();
        if (trimmed.length() > limits.maxNameChars()) {
            throw ChatException.tooLarge(field + " is longer than " + limits.maxNameChars() + " characters");
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

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Builds a {@link ChatEngine}. Only the store is required; setting an option twice fails.
     */
    public static final class Builder {
        private ChatStore store;
        private Broker broker;
        private Clock clock = Clock.systemUTC();
        private IdGenerator ids;
        private ChatLimits limits = ChatLimits.defaults();
        private ChatMetrics metrics = ChatMetrics.none();
        private final List<MessageFilter> filters = new ArrayList<>();
        private final List<ChatListener> listeners = new ArrayList<>();
        private final List<MembershipPolicy> membershipPolicies = new ArrayList<>();
        private final Set<String> set = new HashSet<>();
        private int sendCacheSize = 10_000;

        private Builder() {
        }

        /** The store (required). The engine does not close it. */
        public Builder store(ChatStore store) {
            once("store");
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The broker; default an in-process broker that the engine owns and closes. */
        public Builder broker(Broker broker) {
            once("broker");
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        public Builder clock(Clock clock) {
            once("clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder ids(IdGenerator ids) {
            once("ids");
            this.ids = Objects.requireNonNull(ids, "ids");
            return this;
        }

        public Builder limits(ChatLimits limits) {
            once("limits");
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * How many conversations' send contexts (members, block state) the engine keeps
         * (default 10,000; 0 disables). The engine invalidates them on every membership or
         * block change it makes; a process that changes membership in the store behind the
         * engine's back must disable the cache.
         */
        public Builder sendCacheSize(int entries) {
            once("sendCacheSize");
            if (entries < 0) {
                throw new IllegalArgumentException("sendCacheSize must be >= 0");
            }
            this.sendCacheSize = entries;
            return this;
        }

        /**
         * Where the engine reports committed messages, and the default for the transports built
         * on it; default {@link ChatMetrics#none()}.
         *
         * @since 0.1.0
         */
        public Builder metrics(ChatMetrics metrics) {
            once("metrics");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Adds a message filter; filters run in the order added. */
        public Builder filter(MessageFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * Adds a membership policy (e.g. a token gate), asked when a user is added to or joins a
         * group; policies run in the order added.
         *
         * @since 0.1.0
         */
        public Builder membershipPolicy(MembershipPolicy policy) {
            membershipPolicies.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** Adds a host-application listener; called in order on one listener thread. */
        public Builder listener(ChatListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public ChatEngine build() {
            if (store == null) {
                throw new IllegalStateException("store is required");
            }
            return new ChatEngine(this);
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " is already set");
            }
        }
    }
}
