package dev.parley.core.spi;

import dev.parley.core.GroupInvite;
import dev.parley.core.GroupSettings;
import dev.parley.core.Role;
import java.time.Instant;
import java.util.Optional;

/**
 * The part of {@link ChatStore} that keeps group administration: roles, removals, settings,
 * mutes, bans and invite links. As everywhere in the store, the engine has checked who may do
 * what; the store only keeps the state.
 *
 * @since 0.1.0
 */
public interface GroupStore {

    /** @return false when the user is not a member (nothing changes) */
    boolean setRole(String conversationId, String userId, Role role);

    /** Removes a member (their cursors go with them). @return false when not a member */
    boolean removeMember(String conversationId, String userId);

    /** Sets a group's name. */
    void renameConversation(String conversationId, String name);

    /** The group's settings, or {@link GroupSettings#defaults()} when never set. */
    GroupSettings groupSettings(String conversationId);

    void putGroupSettings(String conversationId, GroupSettings settings);

    /** Mutes a member until {@code until}, replacing an earlier mute. */
    void putMute(String conversationId, String userId, Instant until);

    /** @return false when there was no mute */
    boolean deleteMute(String conversationId, String userId);

    /** The end of the member's mute, if one was set (it may lie in the past). */
    Optional<Instant> mutedUntil(String conversationId, String userId);

    /** @return false when already banned */
    boolean putBan(String conversationId, String userId, Instant at);

    /** @return false when not banned */
    boolean deleteBan(String conversationId, String userId);

    boolean banned(String conversationId, String userId);

    /** Stores a new invite; a reused code is a {@code conflict}. */
    void createInvite(GroupInvite invite);

    Optional<GroupInvite> findInvite(String code);

    /** @return false when the group has no such invite or it was revoked already */
    boolean revokeInvite(String conversationId, String code);

    /**
     * Counts one use of an invite if it is {@linkplain GroupInvite#usableAt usable} at
     * {@code now}, checked and counted atomically so concurrent joins cannot pass {@code maxUses}.
     *
     * @return false when the invite is unknown, revoked, expired or used up (nothing changes)
     */
    boolean useInvite(String code, Instant now);
}
