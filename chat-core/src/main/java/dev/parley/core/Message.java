package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored message. {@code seq} starts at 1 in each conversation and grows by exactly one
 * per stored message; clients order by it, never by clock.
 *
 * @param id             time-ordered id
 * @param conversationId the conversation
 * @param seq            position in the conversation
 * @param senderId       the author
 * @param clientMsgId    the sender's idempotency key (1 to 64 characters)
 * @param body           the content
 * @param replyTo        id of the message this one replies to, or {@code null}
 * @param createdAt      commit time
 * @param editedAt       last edit time, or {@code null}
 * @param deleted        whether deleted for everyone (a tombstone)
 */
public record Message(String id, String conversationId, long seq, String senderId, String clientMsgId,
                      MessageBody body, String replyTo, Instant createdAt, Instant editedAt, boolean deleted) {
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1: " + seq);
        }
    }
}
