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
 *                 ? MembershipPolicy.Verdict.allow() : MembershipPolicy.Verdict.reject("not invited"))
 *         .build();
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface MembershipPolicy {

    /** Whether {@code userId} may be a member of {@code group}. Runs on the engine's caller thread. */
    Verdict check(String userId, Conversation group);

    /** A policy's decision. */
    sealed interface Verdict permits Verdict.Allow, Verdict.Reject, Verdict.Abstain {
        /** The user may be a member. */
        record Allow() implements Verdict {
        }

        /**
         * The user may not: the caller gets {@code forbidden} with {@code reason}.
         *
         * @param reason human-readable reason
         */
        record Reject(String reason) implements Verdict {
        }

        /** No opinion (e.g. the group has no gate). */
        record Abstain() implements Verdict {
        }

        static Verdict allow() {
            return new Allow();
        }

        static Verdict reject(String reason) {
            return new Reject(reason);
        }

        static Verdict abstain() {
            return new Abstain();
        }
    }
}
