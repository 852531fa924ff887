package dev.parley.core.spi;

import dev.parley.core.Conversation;
import dev.parley.core.MessageBody;

/**
 * Checks a message before it is committed (moderation, spam, policy). Runs on the
 * engine's caller thread; a filter that throws is logged and treated as {@link Verdict.Abstain}.
 */
@FunctionalInterface
public interface MessageFilter {

    Verdict check(Principal sender, Conversation conversation, MessageBody body);

    /** A filter's decision. The first {@link Reject} wins; {@link Abstain} defers to the others. */
    sealed interface Verdict permits Verdict.Allow, Verdict.Reject, Verdict.Abstain {
        /** Let the message through. */
        record Allow() implements Verdict {
        }

        /**
         * Refuse the message. The sender gets {@code forbidden} with {@code reason}.
         *
         * @param reason human-readable reason shown to the sender
         */
        record Reject(String reason) implements Verdict {
        }

        /** No opinion. */
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
