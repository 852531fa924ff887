package dev.parley.core.event;

import dev.parley.core.Conversation;
import dev.parley.core.CursorKind;
import dev.parley.core.Message;
import dev.parley.core.ThreadSummary;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something the server pushes to clients. Each record's components are the event's wire
 * fields; {@link #type()} is its wire {@code type}.
 */
public sealed interface ChatEvent
        permits ChatEvent.MessageEvent, ChatEvent.TypingEvent, ChatEvent.PresenceEvent,
        ChatEvent.ReceiptEvent, ChatEvent.ConversationEvent, ChatEvent.FriendEvent,
        ChatEvent.MessageEditedEvent, ChatEvent.MessageDeletedEvent, ChatEvent.MessageHiddenEvent,
        ChatEvent.ReactionEvent, ChatEvent.PinEvent, ChatEvent.MessageExpiredEvent, ChatEvent.ConversationExpiryEvent,
        ChatEvent.ThreadEvent, ChatEvent.ThreadReadEvent {

    EventType type();

    /** The conversation an event belongs to, or {@code null} (presence). Used to keep per-conversation order. */
    String conversationId();

    /** A new message ({@code "message"}). */
    record MessageEvent(Message message) implements ChatEvent {
        public MessageEvent {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public EventType type() {
            return EventType.MESSAGE;
        }

        @Override
        public String conversationId() {
            return message.conversationId();
        }
    }

    /** A member started or stopped typing ({@code "typing"}). */
    record TypingEvent(String conversationId, String userId, TypingState state) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.TYPING;
        }
    }

    /** A user came online or went offline ({@code "presence"}). */
    record PresenceEvent(String userId, PresenceStatus status, Instant lastSeenAt) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.PRESENCE;
        }

        @Override
        public String conversationId() {
            return null;
        }
    }

    /** A member's delivered or read cursor moved ({@code "receipt"}). */
    record ReceiptEvent(String conversationId, String userId, CursorKind kind, long seq) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.RECEIPT;
        }
    }

    /** A conversation was created or its membership changed ({@code "conversation"}). */
    record ConversationEvent(Conversation conversation, List<String> memberIds) implements ChatEvent {
        public ConversationEvent {
            memberIds = List.copyOf(memberIds);
        }

        @Override
        public EventType type() {
            return EventType.CONVERSATION;
        }

        @Override
        public String conversationId() {
            return conversation.id();
        }
    }

    /**
     * A friendship changed ({@code "friend"}), sent to the other user.
     *
     * @param userId the user who acted
     * @param state  {@code requested}, {@code accepted} or {@code removed}
     */
    record FriendEvent(String userId, FriendChange state) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.FRIEND;
        }

        @Override
        public String conversationId() {
            return null;
        }
    }

    /**
     * A message was edited ({@code "message.edited"}): the message as it is now. Its seq is
     * unchanged; its reaction summaries carry no {@code me} flag.
     */
    record MessageEditedEvent(Message message) implements ChatEvent {
        public MessageEditedEvent {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public EventType type() {
            return EventType.MESSAGE_EDITED;
        }

        @Override
        public String conversationId() {
            return message.conversationId();
        }
    }

    /** A message was deleted for everyone ({@code "message.deleted"}); it is a tombstone now. */
    record MessageDeletedEvent(String conversationId, String messageId, long seq) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.MESSAGE_DELETED;
        }
    }

    /**
     * The receiving user deleted a message for themselves ({@code "message.hidden"}), sent to
     * that user's devices only.
     */
    record MessageHiddenEvent(String conversationId, String messageId, long seq) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.MESSAGE_HIDDEN;
        }
    }

    /**
     * A reaction was added or removed ({@code "reaction"}).
     *
     * @param seq    the message's seq, so clients can tell whether they have the message yet
     * @param userId who reacted
     */
    record ReactionEvent(String conversationId, String messageId, long seq, String userId, String emoji,
                         ReactionAction action) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.REACTION;
        }
    }

    /**
     * A message was pinned or unpinned ({@code "pin"}).
     *
     * @param userId who pinned or unpinned it
     */
    record PinEvent(String conversationId, String messageId, boolean pinned, String userId) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.PIN;
        }
    }

    /**
     * Messages expired and were erased ({@code "message.expired"}): each is a tombstone now
     * ({@code deleted} and {@code expired}). {@code messageIds} and {@code seqs} are parallel
     * lists in seq order.
     *
     * @since 0.1.0
     */
    record MessageExpiredEvent(String conversationId, List<String> messageIds, List<Long> seqs)
            implements ChatEvent {
        public MessageExpiredEvent {
            messageIds = List.copyOf(messageIds);
            seqs = List.copyOf(seqs);
        }

        @Override
        public EventType type() {
            return EventType.MESSAGE_EXPIRED;
        }
    }

    /**
     * A conversation's disappearing-messages timer changed ({@code "conversation.expiry"}).
     *
     * @param seconds the new timer, 0 when turned off
     * @param userId  who changed it
     * @since 0.1.0
     */
    record ConversationExpiryEvent(String conversationId, long seconds, String userId) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.CONVERSATION_EXPIRY;
        }
    }

    /**
     * A thread got a reply ({@code "thread"}): the root's new summary. Sent to the members right
     * after the reply's {@code message} event.
     *
     * @param rootId  the thread root
     * @param rootSeq the root's seq
     * @param thread  the root's summary now
     * @since 0.1.0
     */
    record ThreadEvent(String conversationId, String rootId, long rootSeq, ThreadSummary thread)
            implements ChatEvent {
        public ThreadEvent {
            Objects.requireNonNull(thread, "thread");
        }

        @Override
        public EventType type() {
            return EventType.THREAD;
        }
    }

    /**
     * The receiving user's thread read cursor moved ({@code "thread.read"}), sent to that user's
     * devices only.
     *
     * @since 0.1.0
     */
    record ThreadReadEvent(String conversationId, String rootId, String userId, long seq) implements ChatEvent {
        @Override
        public EventType type() {
            return EventType.THREAD_READ;
        }
    }
}
