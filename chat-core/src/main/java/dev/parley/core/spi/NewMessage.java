package dev.parley.core.spi;

import dev.parley.core.MessageBody;
import java.time.Instant;
import java.util.Objects;

/**
 * A message the engine validated and asks the store to append. The store assigns {@code seq}.
 *
 * @param id             id to use if the message is new
 * @param conversationId target conversation (exists; the sender is a member)
 * @param senderId       the author
 * @param clientMsgId    idempotency key: (conversationId, senderId, clientMsgId) is unique
 * @param body           content
 * @param replyTo        message replied to, or {@code null}
 * @param createdAt      timestamp to store if the message is new
 * @param expiresAt      when the sender's time to live ends, or {@code null}; the store keeps the
 *                       earlier of this and {@code createdAt} plus the conversation's expiry timer
 */
public record NewMessage(String id, String conversationId, String senderId, String clientMsgId,
                         MessageBody body, String replyTo, Instant createdAt, Instant expiresAt) {

    /** A message without a time to live of its own. */
    public NewMessage(String id, String conversationId, String senderId, String clientMsgId, MessageBody body,
                      String replyTo, Instant createdAt) {
        this(id, conversationId, senderId, clientMsgId, body, replyTo, createdAt, null);
    }

    /** Validates the components. */
    public NewMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(senderId, "senderId");
        Objects.requireNonNull(clientMsgId, "clientMsgId");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
