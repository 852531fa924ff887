package dev.parley.core.spi;

import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.CursorKind;
import dev.parley.core.HistoryPage;
import dev.parley.core.Member;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.MessageEdit;
import dev.parley.core.PrivacySettings;
import dev.parley.core.RelationState;
import dev.parley.core.User;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Durable storage of users, conversations, members and messages. {@code ChatEngine} has
 * already checked authorization and validated input when it calls a store; a store
 * enforces only the invariants listed here (unique ids, unique direct pairs, gap-free
 * seq, idempotent appends, forward-only cursors, and the limits the engine passes in, which a
 * store applies atomically with the write).
 *
 * <p>Messages returned by reads carry their reaction summaries (at most
 * {@link dev.parley.core.ReactionSummary#MAX_USER_IDS} user ids each). Reads that name a
 * {@code viewerId} also set each summary's {@code me} flag for that user and mark the
 * messages that user hid with {@link Message#hidden()} (content left as stored: the engine
 * decides what the viewer sees); with a {@code null} viewer nothing is marked.
 *
 * <p>Implementations are thread-safe. Errors are {@link dev.parley.core.ChatException}s:
 * {@code unavailable} when the database fails, {@code conflict} for a reused id,
 * {@code not_found} for an unknown conversation in {@code append}/{@code addMember},
 * {@code bad_request} for a malformed cursor.
 */
public interface ChatStore extends AutoCloseable, GroupStore, ThreadStore, UploadStore, ExtensionStore {

    /** Inserts the user, or updates name, avatar and bio if the id exists (its creation time is kept). */
    void putUser(User user);

    Optional<User> findUser(String userId);

    /**
     * Creates a conversation with its members in one transaction. For a direct conversation
     * whose {@code directKey} already exists, nothing is written and the existing one is
     * returned.
     *
     * @return the stored conversation: {@code conversation} itself, or the existing direct one
     */
    Conversation createConversation(Conversation conversation, List<Member> members);

    Optional<Conversation> findConversation(String conversationId);

    Optional<Member> findMember(String conversationId, String userId);

    /**
     * The conversation, its members and the block state between {@code senderId} and the
     * other members, read before a send. Stores should answer it with one query; the default
     * composes the other methods.
     *
     * @return empty when the conversation does not exist
     */
    default Optional<SendContext> sendContext(String conversationId, String senderId) {
        return findConversation(conversationId).map(conversation -> {
            List<String> memberIds = members(conversationId).stream().map(Member::userId).toList();
            boolean blocked = false;
            if (conversation.kind() == dev.parley.core.ConversationKind.DIRECT) {
                for (String other : memberIds) {
                    if (!other.equals(senderId) && (relation(other, senderId).orElse(null) == RelationState.BLOCKED
                            || relation(senderId, other).orElse(null) == RelationState.BLOCKED)) {
                        blocked = true;
                    }
                }
            }
            return new SendContext(conversation, memberIds, blocked);
        });
    }

    /** All members of a conversation, in join order. */
    List<Member> members(String conversationId);

    /**
     * Adds a member to an existing conversation.
     *
     * @return false when the user is already a member (nothing changes)
     */
    boolean addMember(Member member);

    /**
     * Appends a message, assigning the next {@code seq} of its conversation. The future
     * completes only after the message is durably committed. If (conversationId, senderId,
     * clientMsgId) is already stored, nothing is written and the original is returned with
     * {@code duplicate = true}.
     *
     * <p>{@code onCommitted} is called once per successful append, after the commit and
     * before the future completes, on the committing thread, and in seq order within each
     * conversation: the engine publishes events from it so that they leave in seq order.
     * It is also called for a duplicate (with {@code duplicate = true}). It must be quick;
     * an exception it throws is logged and does not fail the append.
     */
    CompletableFuture<AppendResult> append(NewMessage message, Consumer<AppendResult> onCommitted);

    /**
     * A page of messages in ascending seq. With {@code beforeSeq}: the newest {@code limit}
     * messages below it; with {@code afterSeq}: the oldest {@code limit} above it; with
     * neither: the newest {@code limit}. At most one of the two is non-null. Deleted messages
     * are in it (as tombstones), so seqs have no gaps. Stores should read the reactions of a
     * page with one query, not one per message.
     *
     * @param viewerId whose {@code me} flags and hidden marks to set, or {@code null}
     */
    HistoryPage history(String conversationId, Long beforeSeq, Long afterSeq, int limit, String viewerId);

    /** {@link #history(String, Long, Long, int, String)} with no viewer. */
    default HistoryPage history(String conversationId, Long beforeSeq, Long afterSeq, int limit) {
        return history(conversationId, beforeSeq, afterSeq, limit, null);
    }

    /**
     * Moves a member's cursor forward to {@code seq}; a lower value changes nothing. Moving
     * {@link CursorKind#READ} also moves {@link CursorKind#DELIVERED} to at least the same seq.
     *
     * @return true when the cursor moved
     */
    boolean advanceCursor(String conversationId, String userId, CursorKind kind, long seq);

    /**
     * The user's conversations, most recently active first, with last message and unread
     * count: messages from others above the user's read cursor, leaving out messages deleted
     * for everyone and those the user hid. The last message is read with {@code userId} as
     * viewer.
     *
     * @param cursor {@code null} for the first page, else a {@code nextCursor} from this store
     */
    ConversationPage conversationsOf(String userId, int limit, String cursor);

    // ---------------------------------------------------------------- edits, deletion, reactions, pins

    /**
     * A message by id, whatever its conversation, with its reactions.
     *
     * @param viewerId whose {@code me} flags and hidden mark to set, or {@code null}
     */
    Optional<Message> findMessage(String messageId, String viewerId);

    /**
     * Replaces the text of a message that is not deleted and sets its {@code editedAt}; in the
     * same transaction it appends the previous text, with {@code editedAt}, to the message's
     * edit history. Seq, reactions and pin stay.
     *
     * @return false when the message does not exist or is deleted (nothing written)
     */
    boolean editMessage(String messageId, MessageBody body, Instant editedAt);

    /** The edit history of a message, oldest first; empty when never edited, deleted or unknown. */
    List<MessageEdit> edits(String messageId);

    /**
     * Deletes a message for everyone, in one transaction: the text becomes empty, {@code
     * editedAt} is cleared, {@code deleted} is set, and its edit history, reactions and pin are
     * removed from storage. The row, its id and its seq stay (a tombstone).
     *
     * @return false when the message was already deleted or does not exist (nothing written)
     */
    boolean deleteMessage(String messageId);

    /**
     * Hides a message for one user only (delete for me).
     *
     * @return false when that user had hidden it already
     */
    boolean hideMessage(String userId, String messageId, Instant at);

    /**
     * Adds a user's reaction to a message that is not deleted. The limits are checked in the
     * same transaction as the insert, so concurrent reactions cannot pass them.
     *
     * @param maxPerUser  most distinct emoji of one user on the message
     * @param maxPerMessage most distinct emoji on the message
     */
    ReactionResult addReaction(String messageId, String userId, String emoji, Instant at, int maxPerUser,
                               int maxPerMessage);

    /** @return false when the user had no such reaction on the message */
    boolean removeReaction(String messageId, String userId, String emoji);

    /**
     * Pins a message that is not deleted in its conversation; the limit is checked in the same
     * transaction as the insert.
     */
    PinResult pin(String messageId, String userId, Instant at, int maxPins);

    /** @return false when the message was not pinned */
    boolean unpin(String messageId);

    /**
     * The pinned messages of a conversation, most recently pinned first, with reactions.
     *
     * @param viewerId whose {@code me} flags and hidden marks to set, or {@code null}
     */
    List<Message> pinned(String conversationId, String viewerId);

    // ---------------------------------------------------------------- search and expiry (since 0.2)

    /**
     * Full-text search for {@code viewerId}: messages containing every word of
     * {@link SearchQuery#text()} (case-insensitive), only in conversations the viewer is a member
     * of, leaving out messages deleted for everyone (and expired) and those the viewer hid. Most
     * relevant first, then newest first. Messages are read with {@code viewerId} as viewer.
     * Input without any word character matches nothing; no input may fail with an error.
     */
    default List<dev.parley.core.SearchHit> search(String viewerId, SearchQuery query) {
        throw new dev.parley.core.ChatException(dev.parley.core.ErrorCode.UNSUPPORTED,
                "this store does not support search");
    }

    /**
     * Sets a conversation's disappearing-messages timer: messages appended afterwards expire
     * {@code seconds} after they were created (0 turns it off; messages already stored keep
     * their expiry).
     */
    default void setExpiry(String conversationId, long seconds) {
        throw new dev.parley.core.ChatException(dev.parley.core.ErrorCode.UNSUPPORTED,
                "this store does not support message expiry");
    }

    /** A conversation's disappearing-messages timer in seconds, 0 when off. */
    default long expiry(String conversationId) {
        return 0;
    }

    /** Conversations that have messages whose expiry time is at or before {@code now}, at most {@code max}. */
    default List<String> conversationsWithExpired(Instant now, int max) {
        return List.of();
    }

    /**
     * Erases the messages of a conversation whose expiry time is at or before {@code now}, in
     * one transaction: each becomes a tombstone ({@code deleted} and {@code expired}, empty text,
     * no reply) and its edit history, reactions, pin and search entry are removed. Its id and seq
     * stay. At most {@code max} messages.
     *
     * @return the erased messages, in seq order
     */
    default List<ExpiredMessage> expire(String conversationId, Instant now, int max) {
        return List.of();
    }

    /** Ids of every user who shares at least one conversation with {@code userId}, excluding it. */
    Set<String> contactsOf(String userId);

    /**
     * Users whose display name contains {@code query} (case-insensitive), ordered by name
     * then id, at most {@code limit} (at least 1).
     */
    List<User> searchUsers(String query, int limit);

    // ---------------------------------------------------------------- friends, blocks, privacy

    /** The stance of {@code userId} toward {@code otherId}, if any. */
    Optional<RelationState> relation(String userId, String otherId);

    /** Sets the stance of {@code userId} toward {@code otherId}, replacing any previous one. */
    void putRelation(String userId, String otherId, RelationState state);

    /** @return false when there was no stance to delete */
    boolean deleteRelation(String userId, String otherId);

    /** Users toward whom {@code userId} has {@code state} (outgoing rows). */
    List<String> relationsFrom(String userId, RelationState state);

    /** Users who have {@code state} toward {@code userId} (incoming rows). */
    List<String> relationsTo(String userId, RelationState state);

    /** The user's privacy settings, or {@link PrivacySettings#defaults()} when never set. */
    PrivacySettings privacy(String userId);

    void putPrivacy(String userId, PrivacySettings settings);

    /**
     * Which of {@code userIds} turned read receipts off. Read on every read receipt and member
     * list, so stores should answer it with one query; the default asks {@link #privacy} per user.
     */
    default Set<String> readReceiptsOff(java.util.Collection<String> userIds) {
        Set<String> off = new java.util.HashSet<>();
        for (String id : userIds) {
            if (!privacy(id).readReceipts()) {
                off.add(id);
            }
        }
        return off;
    }

    /** Flushes pending writes and releases connections. Idempotent. */
    @Override
    void close();
}
