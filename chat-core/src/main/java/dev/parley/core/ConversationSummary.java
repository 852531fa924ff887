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
 * @param mentionsUnread messages mentioning the member above their read cursor (since 0.5)
 */
public record ConversationSummary(Conversation conversation, List<String> memberIds, Message lastMessage,
                                  long unread, long readSeq, long deliveredSeq, long mentionsUnread) {

    /** A summary without mentions. */
    public ConversationSummary(Conversation conversation, List<String> memberIds, Message lastMessage,
                               long unread, long readSeq, long deliveredSeq) {
        this(conversation, memberIds, lastMessage, unread, readSeq, deliveredSeq, 0);
    }

    public ConversationSummary {
        memberIds = List.copyOf(memberIds);
    }
}
