package dev.parley.core.spi;

import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.SystemInfo;
import java.time.Instant;
import java.util.List;
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
 * @param system         the change a system message records, or {@code null} for a user's message (since 0.5)
 * @param mentions       validated, deduplicated ids of mentioned members, never {@code null} (since 0.5)
 * @param threadRootId   id of the thread root (a message of the same conversation that is not itself in a
 *                       thread) this message replies in, or {@code null}; the store updates the root's
 *                       {@link dev.parley.core.ThreadSummary} in the same transaction (since 0.6)
 */
public record NewMessage(String id, String conversationId, String senderId, String clientMsgId,
                         MessageBody body, String replyTo, Instant createdAt, Instant expiresAt,
                         SystemInfo system, List<String> mentions, String threadRootId) {

    /** A message outside any thread. */
    public NewMessage(String id, String conversationId, String senderId, String clientMsgId, MessageBody body,
                      String replyTo, Instant createdAt, Instant expiresAt, SystemInfo system, List<String> mentions) {
        this(id, conversationId, senderId, clientMsgId, body, replyTo, createdAt, expiresAt, system, mentions, null);
    }

    /** A user's message without mentions. */
    public NewMessage(String id, String conversationId, String senderId, String clientMsgId, MessageBody body,
                      String replyTo, Instant createdAt, Instant expiresAt) {
        this(id, conversationId, senderId, clientMsgId, body, replyTo, createdAt, expiresAt, null, List.of());
    }

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
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    /** The message as stored at {@code seq}, before any edit or reaction. */
    public Message toMessage(long seq, Instant storedAt) {
        return new Message(id, conversationId, seq, senderId, clientMsgId, body, replyTo, storedAt, null, false,
                List.of(), false, false, system, mentions, threadRootId, null);
    }
}
