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
}
