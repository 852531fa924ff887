package dev.parley.core.spi;

import dev.parley.core.Conversation;
import dev.parley.core.Message;

/**
 * Host-application hooks (webhooks, bots, push notifications). Called after the fact, on
 * the engine's threads; keep them quick or hand off. A listener that throws is logged and
 * ignored: it never fails a send.
 */
public interface ChatListener {

    /** A new message was committed. Not called for idempotent retries. */
    default void onMessage(Message message) {
    }

    /** A message was edited; {@code message} is its new state. */
    default void onMessageEdited(Message message) {
    }

    /**
     * A message was deleted for everyone; {@code tombstone} is what is left of it (its text
     * and reactions are gone). Hooks that copied the text elsewhere should erase it there too.
     */
    default void onMessageDeleted(Message tombstone) {
    }

    /**
     * Messages of a conversation expired and were erased from the store (their text, edits,
     * reactions and attachments are gone; tombstones keep their seqs). Hooks that copied them
     * elsewhere (a search index, a webhook's archive, push payloads) should erase them too.
     *
     * @since 0.1.0
     */
    default void onMessagesExpired(String conversationId, java.util.List<ExpiredMessage> expired) {
    }

    /** A conversation was created. */
    default void onConversationCreated(Conversation conversation) {
    }
}
