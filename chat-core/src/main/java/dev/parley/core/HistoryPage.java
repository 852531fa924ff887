package dev.parley.core;

import java.util.List;

/**
 * A page of messages in ascending seq.
 *
 * @param messages the messages, ascending by seq
 * @param hasMore  whether more messages exist beyond this page in the paging direction
 */
public record HistoryPage(List<Message> messages, boolean hasMore) {
    public HistoryPage {
        messages = List.copyOf(messages);
    }
}
