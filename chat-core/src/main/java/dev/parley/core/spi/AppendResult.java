package dev.parley.core.spi;

import dev.parley.core.Message;

/**
 * Outcome of {@link ChatStore#append}.
 *
 * @param message   the stored message (the original one when {@code duplicate})
 * @param duplicate true when (conversation, sender, clientMsgId) was already stored and
 *                  nothing new was written
 * @param root      for a new thread reply, the thread root with its updated {@link Message#thread()}
 *                  summary (as nobody in particular sees it: no hidden mark, reactions as stored);
 *                  otherwise {@code null} (since 0.6)
 */
public record AppendResult(Message message, boolean duplicate, Message root) {

    /** The result of an append outside any thread. */
    public AppendResult(Message message, boolean duplicate) {
        this(message, duplicate, null);
    }
}
