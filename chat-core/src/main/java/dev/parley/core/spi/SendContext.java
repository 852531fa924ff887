package dev.parley.core.spi;

import dev.parley.core.Conversation;
import java.util.List;
import java.util.Objects;

/**
 * What the engine reads before every send, in one piece so a store can answer it with one
 * query: the conversation, its member ids, and (for direct conversations) whether the
 * sender and another member block each other.
 *
 * @param conversation the conversation
 * @param memberIds    all members
 * @param blocked      true when the conversation is direct and the sender blocked another
 *                     member or was blocked by one; always false for groups
 */
public record SendContext(Conversation conversation, List<String> memberIds, boolean blocked) {
    public SendContext {
        Objects.requireNonNull(conversation, "conversation");
        memberIds = List.copyOf(memberIds);
    }
}
