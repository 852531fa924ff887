package dev.parley.core;

import java.util.Objects;

/**
 * A thread as one reader sees it: its root (with {@link Message#thread()}) and the reader's
 * thread read cursor.
 *
 * @param root    the root message, as the reader sees it
 * @param readSeq the reader's thread read cursor: replies up to this seq are read (0: none)
 * @param unread  replies by others above {@code readSeq}
 * @since 0.1.0
 */
public record ThreadView(Message root, long readSeq, long unread) {
    public ThreadView {
        Objects.requireNonNull(root, "root");
    }
}
