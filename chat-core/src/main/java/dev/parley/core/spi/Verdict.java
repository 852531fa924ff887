package dev.parley.core.spi;

/**
 * The decision of a check the engine asks before it acts: a {@link MessageFilter} before a
 * message is committed, a {@link MembershipPolicy} before a user joins a group. The first
 * {@link Reject} wins; {@link Abstain} defers to the other checks.
 *
 * @since 0.1.0
 */
public sealed interface Verdict permits Verdict.Allow, Verdict.Reject, Verdict.Abstain {
    /** Go ahead. */
    record Allow() implements Verdict {
    }

    /**
     * Refuse: the caller gets {@code forbidden} with {@code reason}.
     *
     * @param reason human-readable reason shown to the caller
     */
    record Reject(String reason) implements Verdict {
    }

    /** No opinion (e.g. a group without a token gate). */
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
