package dev.parley.core.spi;

import dev.parley.core.Conversation;

/**
 * Decides whether a user may be in a group beyond the chat rules (membership, roles, bans,
 * limits), e.g. a token gate. {@code ChatEngine} asks every policy when a user is added to a
 * group ({@code addMember}) or joins it with an invite ({@code join}), after its own checks and
 * before writing; and, for members already in, when the host calls
 * {@code ChatEngine.enforceMembershipPolicies}. The first {@link Verdict.Reject} wins.
 *
 * <p>A policy that throws a {@link dev.parley.core.ChatException} refuses with that exception's
 * code (e.g. {@code unavailable} when it could not check); any other exception is logged and
 * refuses with {@code unavailable}: a policy fails closed.
 *
 * <pre>{@code
 * ChatEngine engine = ChatEngine.builder().store(store)
 *         .membershipPolicy((userId, group) -> allowed(userId, group)
 *                 ? Verdict.allow() : Verdict.reject("not invited"))
 *         .build();
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MembershipPolicy {

    /** Whether {@code userId} may be a member of {@code group}. Runs on the engine's caller thread. */
    Verdict check(String userId, Conversation group);
}
