package dev.parley.core.spi;

import dev.parley.core.HistoryPage;
import dev.parley.core.ThreadView;
import java.util.List;
import java.util.Optional;

/**
 * Thread storage: the replies of a root, the roots with replies, and each reader's thread read
 * cursor. A reply is an ordinary message of its conversation (it has a conversation seq and is
 * in {@link ChatStore#history}); {@link NewMessage#threadRootId()} ties it to its root, and the
 * store keeps the root's {@link dev.parley.core.ThreadSummary} as part of the append's
 * transaction. The engine checks membership and rules before calling.
 *
 * @since 0.1.0
 */
public interface ThreadStore {

    /**
     * A page of a thread's replies in ascending seq, paged like {@link ChatStore#history}: with
     * {@code beforeSeq} the newest {@code limit} replies below it, with {@code afterSeq} the
     * oldest above it, with neither the newest {@code limit}.
     *
     * @param viewerId whose {@code me} flags and hidden marks to set, or {@code null}
     */
    HistoryPage threadHistory(String rootId, Long beforeSeq, Long afterSeq, int limit, String viewerId);

    /**
     * A thread as {@code viewerId} sees it: the root (with hidden mark and reactions) and the
     * viewer's thread cursor and unread count. Empty when {@code rootId} names no message.
     * A root without replies is returned too, with a {@code null} summary.
     */
    Optional<ThreadView> thread(String rootId, String viewerId);

    /**
     * The threads of a conversation that have replies, the one with the newest reply first.
     *
     * @param beforeLastReplySeq only threads whose newest reply is below this conversation seq
     *                           (the previous page's last {@code lastReplySeq}), or {@code null}
     */
    List<ThreadView> threads(String conversationId, String viewerId, Long beforeLastReplySeq, int limit);

    /**
     * Moves {@code userId}'s read cursor of the thread forward to {@code seq}.
     *
     * @return true if it moved; false when it was already at or past {@code seq}
     */
    boolean advanceThreadRead(String rootId, String userId, long seq);
}
