package dev.parley.store.jdbc.internal;

import dev.parley.core.Conversation;
import dev.parley.core.ConversationKind;
import dev.parley.core.Member;
import dev.parley.core.Audience;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.PrivacySettings;
import dev.parley.core.RelationState;
import dev.parley.core.Role;
import dev.parley.core.User;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AuthSession;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;

/** Column lists and row mapping shared by the reads and the writer. Times are epoch millis. */
final class Rows {
    static final String USER_COLUMNS = "id, name, created_at, avatar, bio";
    static final String CONVERSATION_COLUMNS = "id, kind, name, direct_key, created_by, created_at, last_seq";
    static final String MEMBER_COLUMNS = "conversation_id, user_id, role, joined_at, delivered_seq, read_seq";
    static final String MESSAGE_COLUMNS =
            "conversation_id, seq, id, sender_id, client_msg_id, body_text, reply_to, created_at, edited_at, deleted,"
            + " expired, system_type, system_user_id, system_role, mentions, thread_root_id, thread_reply_count,"
            + " thread_last_seq, thread_last_at, thread_participants, attachments";
    /** Whether the viewer bound as {@code :viewer} hid the message of the row (false for a null viewer). */
    static final String HIDDEN_COLUMN = "EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = :viewer"
            + " AND h.message_id = messages.id) AS hidden";
    static final String PRIVACY_COLUMNS = "direct_messages, last_seen, presence, read_receipts";
    static final String ACCOUNT_COLUMNS =
            "user_id, username, password_hash, admin, disabled, created_at, totp_secret, totp_enabled";
    static final String SESSION_COLUMNS =
            "id, user_id, token_hash, created_at, expires_at, last_used_at, client, address";

    private Rows() {
    }

    /** {@code columns} as {@code table.column AS column}, for joins. */
    static String qualified(String columns, String table) {
        StringBuilder out = new StringBuilder();
        for (String column : columns.split(",")) {
            String c = column.strip();
            out.append(out.length() == 0 ? "" : ", ").append(table).append('.').append(c).append(" AS ").append(c);
        }
        return out.toString();
    }

    static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("name"), instant(rs.getLong("created_at")),
                rs.getString("avatar"), rs.getString("bio"));
    }

    static PrivacySettings privacy(ResultSet rs) throws SQLException {
        return new PrivacySettings(audience(rs.getString("direct_messages")), audience(rs.getString("last_seen")),
                audience(rs.getString("presence")), rs.getInt("read_receipts") != 0);
    }

    static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString("user_id"), rs.getString("username"), rs.getString("password_hash"),
                rs.getInt("admin") != 0, rs.getInt("disabled") != 0, instant(rs.getLong("created_at")),
                rs.getString("totp_secret"), rs.getInt("totp_enabled") != 0);
    }

    static AuthSession session(ResultSet rs) throws SQLException {
        return new AuthSession(rs.getString("id"), rs.getString("user_id"), rs.getString("token_hash"),
                instant(rs.getLong("created_at")), instant(rs.getLong("expires_at")),
                instant(rs.getLong("last_used_at")), rs.getString("client"), rs.getString("address"));
    }

    static Conversation conversation(ResultSet rs) throws SQLException {
        return new Conversation(rs.getString("id"), kind(rs.getString("kind")), rs.getString("name"),
                rs.getString("direct_key"), rs.getString("created_by"), instant(rs.getLong("created_at")),
                rs.getLong("last_seq"));
    }

    static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getString("conversation_id"), rs.getString("user_id"), Role.fromWire(rs.getString("role")),
                instant(rs.getLong("joined_at")), rs.getLong("delivered_seq"), rs.getLong("read_seq"));
    }

    static Message message(ResultSet rs) throws SQLException {
        return message(rs, "", rs.getString("conversation_id"));
    }

    /** A message row with its {@link #HIDDEN_COLUMN}. */
    static Message viewedMessage(ResultSet rs) throws SQLException {
        Message m = message(rs);
        return rs.getBoolean("hidden") ? m.withHidden(true) : m;
    }

    /** Maps message columns named {@code prefix + column} (for joins), the conversation id given. */
    static Message message(ResultSet rs, String prefix, String conversationId) throws SQLException {
        long editedAt = rs.getLong(prefix + "edited_at");
        Instant edited = rs.wasNull() ? null : instant(editedAt);
        return new Message(rs.getString(prefix + "id"), conversationId, rs.getLong(prefix + "seq"),
                rs.getString(prefix + "sender_id"), rs.getString(prefix + "client_msg_id"),
                new MessageBody(rs.getString(prefix + "body_text"), AttachmentJson.list(rs.getString(prefix + "attachments"))),
                rs.getString(prefix + "reply_to"),
                instant(rs.getLong(prefix + "created_at")), edited, rs.getInt(prefix + "deleted") != 0,
                java.util.List.of(), false, rs.getInt(prefix + "expired") != 0, system(rs, prefix),
                mentions(rs.getString(prefix + "mentions")), rs.getString(prefix + "thread_root_id"),
                thread(rs, prefix));
    }

    private static dev.parley.core.ThreadSummary thread(ResultSet rs, String prefix) throws SQLException {
        int replies = rs.getInt(prefix + "thread_reply_count");
        if (replies == 0) {
            return null;
        }
        return new dev.parley.core.ThreadSummary(replies, rs.getLong(prefix + "thread_last_seq"),
                instant(rs.getLong(prefix + "thread_last_at")), mentions(rs.getString(prefix + "thread_participants")));
    }

    private static dev.parley.core.SystemInfo system(ResultSet rs, String prefix) throws SQLException {
        String type = rs.getString(prefix + "system_type");
        return type == null ? null : new dev.parley.core.SystemInfo(type, rs.getString(prefix + "system_user_id"),
                rs.getString(prefix + "system_role"));
    }

    private static java.util.List<String> mentions(String stored) {
        return stored == null || stored.isEmpty() ? java.util.List.of() : java.util.List.of(stored.split(" "));
    }

    static ConversationKind kind(String wire) {
        return ConversationKind.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    static Audience audience(String wire) {
        return Audience.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    static RelationState relationState(String wire) {
        return RelationState.valueOf(wire.toUpperCase(Locale.ROOT));
    }

    static String wire(RelationState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** The key {@code searchUsers} matches: the same folding as the in-memory store, whole Unicode. */
    static String fold(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }

    /** The precision the store keeps: what is returned equals what is read back later. */
    static Instant millis(Instant instant) {
        return instant == null ? null : Instant.ofEpochMilli(instant.toEpochMilli());
    }
}
