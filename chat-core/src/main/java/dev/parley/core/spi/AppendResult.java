package dev.parley.core.spi;

import dev.parley.core.Message;

/**
 * Outcome of {@link ChatStore#append}.
 *
 * @param message   the stored message (the original one when {@code duplicate})
 * @param duplicate true when (conversation, sender, clientMsgId) was already stored and
 *                  nothing new was written
 */
public record AppendResult(Message message, boolean duplicate) {
}
