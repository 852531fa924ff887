package dev.parley.core;

import java.util.List;
import java.util.Objects;

/**
 * A page of one thread's replies in ascending seq, with the thread it belongs to.
 *
 * @param thread   the root and the reader's thread cursor
 * @param messages the replies of this page, ascending by seq
 * @param hasMore  whether more replies exist beyond this page in the paging direction
 * @since 0.1.0
 */
public record ThreadPage(ThreadView thread, List<Message> messages, boolean hasMore) {
    public ThreadPage {
        Objects.requireNonNull(thread, "thread");
        messages = List.copyOf(messages);
    }
}
