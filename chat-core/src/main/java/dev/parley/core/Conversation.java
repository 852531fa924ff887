package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A conversation: a direct chat between two users or a named group.
 *
 * @param id        time-ordered id
 * @param kind      direct or group
 * @param name      group name; {@code null} for direct conversations
 * @param directKey for direct conversations the two user ids, sorted and joined by {@code ':'};
 *                  {@code null} for groups. Unique: one direct conversation per pair.
 * @param createdBy the user who created it
 * @param createdAt creation time
 * @param lastSeq   seq of the newest message, 0 when empty
 * @param settings  a group's description, avatar and permissions where the engine adds them
 *                  (replies and events about a group); {@code null} otherwise (left out on the wire)
 */
public record Conversation(String id, ConversationKind kind, String name, String directKey,
                           String createdBy, Instant createdAt, long lastSeq, GroupSettings settings) {
    /** A conversation without group settings, as stores read it. */
    public Conversation(String id, ConversationKind kind, String name, String directKey,
                        String createdBy, Instant createdAt, long lastSeq) {
        this(id, kind, name, directKey, createdBy, createdAt, lastSeq, null);
    }

    public Conversation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        if ((kind == ConversationKind.DIRECT) != (directKey != null)) {
            throw new IllegalArgumentException("directKey is set exactly for direct conversations");
        }
    }

    /** The key that identifies the direct conversation of two users, whatever their order. */
    public static String directKey(String userA, String userB) {
        return userA.compareTo(userB) <= 0 ? userA + ':' + userB : userB + ':' + userA;
    }

    public Conversation withLastSeq(long seq) {
        return new Conversation(id, kind, name, directKey, createdBy, createdAt, seq, settings);
    }

    /** This conversation with {@code newSettings} attached. */
    public Conversation withSettings(GroupSettings newSettings) {
        return new Conversation(id, kind, name, directKey, createdBy, createdAt, lastSeq, newSettings);
    }

    /** This conversation renamed. */
    public Conversation withName(String newName) {
        return new Conversation(id, kind, newName, directKey, createdBy, createdAt, lastSeq, settings);
    }
}
