package dev.parley.core;

import java.util.List;

/**
 * One page of a user's conversations, most recently active first.
 *
 * @param conversations the page
 * @param nextCursor    opaque cursor for the next page, or {@code null} at the end
 */
public record ConversationPage(List<ConversationSummary> conversations, String nextCursor) {
    public ConversationPage {
        conversations = List.copyOf(conversations);
    }
}
