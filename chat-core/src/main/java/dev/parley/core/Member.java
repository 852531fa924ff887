package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A user's membership in a conversation with its per-member cursors. Delivery and read
 * state are cursors, not rows per message: O(members), and they only move forward.
 *
 * @param conversationId the conversation
 * @param userId         the member
 * @param role           owner, admin or member
 * @param joinedAt       when the user joined
 * @param deliveredSeq   highest seq a device of this member acknowledged as delivered
 * @param readSeq        highest seq this member read; never above the conversation's last seq
 */
public record Member(String conversationId, String userId, Role role, Instant joinedAt,
                     long deliveredSeq, long readSeq) {
    public Member {
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(joinedAt, "joinedAt");
    }
}
