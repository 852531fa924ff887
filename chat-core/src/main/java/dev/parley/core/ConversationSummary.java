package dev.parley.core;

import java.util.List;

/**
 * A conversation as one member sees it in their list.
 *
 * @param conversation the conversation
 * @param memberIds    ids of all members
 * @param lastMessage  newest message, or {@code null} when empty
 * @param unread       messages from others above the member's read cursor
 * @param readSeq      the member's read cursor
 * @param deliveredSeq the member's delivered cursor
 */
public record ConversationSummary(Conversation conversation, List<String> memberIds, Message lastMessage,
                                  long unread, long readSeq, long deliveredSeq) {
    public ConversationSummary {
        memberIds = List.copyOf(memberIds);
    }
}
