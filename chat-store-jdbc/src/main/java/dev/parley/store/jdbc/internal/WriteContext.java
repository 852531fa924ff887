package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.Message;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * What a {@link WriteOp} may use: the writer's handle, and the state the single writer keeps
 * for a batch. Confined to the writer thread.
 *
 * <p>Appends do not touch {@code conversations} one by one: the batch remembers each
 * conversation's new {@code last_seq} and writes it once, before commit (and before any
 * other write that reads conversations, see {@link #flushConversations()}). The last seq of
 * a conversation is read from the database once per batch, inside the batch's write
 * transaction: it is right after a reopen, after a rollback, and even with a second writer
 * on the same file, without any cache to invalidate.
 */
public final class WriteContext implements AutoCloseable {
    private final Handle handle;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final List<PreparedStatement> statements = new ArrayList<>();
    /** Last activity_seq handed out in this batch; -1 until read from the database. */
    private long activitySeq = -1;
    private PreparedStatement selectLastSeq;
    private PreparedStatement insertMessage;
    private PreparedStatement insertMention;
    private PreparedStatement selectByClientKey;
    private PreparedStatement updateConversation;

    WriteContext(Handle handle) {
        this.handle = handle;
    }

    public Handle handle() {
        return handle;
    }

    /**
     * Next value of the store-wide activity counter that orders conversation lists. Read
     * from its index once per batch, like last seqs, so nothing is cached across commits.
     */
    long nextActivity() {
        if (activitySeq < 0) {
            activitySeq = handle.createQuery("SELECT coalesce(max(activity_seq), 0) FROM conversations")
                    .mapTo(Long.class).one();
        }
        return ++activitySeq;
    }

    /**
     * The seq of the newest message of a conversation, including this batch's appends.
     *
     * @throws ChatException not_found when the conversation does not exist
     */
    long lastSeq(String conversationId) throws SQLException {
        Pending p = pending.get(conversationId);
        if (p != null) {
            return p.lastSeq;
        }
        PreparedStatement ps = selectLastSeq();
        ps.setString(1, conversationId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw ChatException.notFound("conversation not found: " + conversationId);
            }
            return rs.getLong(1);
        }
    }

    /**
     * Inserts the message unless (conversation, sender, clientMsgId) exists.
     *
     * @return false when it exists (nothing written)
     */
    boolean insertMessage(Message m) throws SQLException {
        return insertMessage(m, null);
    }

    private boolean executeInsert(Message m) throws SQLException {
        PreparedStatement ps = insertMessage();
        ps.setString(1, m.conversationId());
        ps.setLong(2, m.seq());
        ps.setString(3, m.id());
        ps.setString(4, m.senderId());
        ps.setString(5, m.clientMsgId());
        ps.setString(6, m.body().text());
        ps.setString(7, m.replyTo());
        ps.setLong(8, m.createdAt().toEpochMilli());
        ps.setString(15, m.system() == null ? null : m.system().type());
        ps.setString(16, m.system() == null ? null : m.system().userId());
        ps.setString(17, m.system() == null ? null : m.system().role());
        ps.setString(18, m.mentions().isEmpty() ? null : String.join(" ", m.mentions()));
        if (ps.executeUpdate() != 1) {
            return false;
        }
        if (!m.mentions().isEmpty()) {
            PreparedStatement mentions = insertMention();
            for (String userId : m.mentions()) {
                mentions.setString(1, userId);
                mentions.setString(2, m.conversationId());
                mentions.setLong(3, m.seq());
                mentions.setString(4, m.id());
                mentions.addBatch();
            }
            mentions.executeBatch();
        }
        return true;
    }

    private PreparedStatement insertMention() throws SQLException {
        if (insertMention == null) {
            insertMention = prepare("INSERT INTO message_mentions (user_id, conversation_id, seq, message_id)"
                    + " VALUES (?, ?, ?, ?)");
        }
        return insertMention;
    }

    /**
     * {@link #insertMessage(Message)} with the sender's expiry time ({@code null} for none); the
     * stored expiry is the earlier of it and the conversation's timer, read in this transaction.
     */
    boolean insertMessage(Message m, Long ttlExpiresAt) throws SQLException {
        PreparedStatement ps = insertMessage();
        long createdAt = m.createdAt().toEpochMilli();
        ps.setObject(9, ttlExpiresAt);
        ps.setObject(10, ttlExpiresAt);
        ps.setLong(11, createdAt);
        ps.setLong(12, createdAt);
        ps.setObject(13, ttlExpiresAt);
        ps.setString(14, m.conversationId());
        return executeInsert(m);
    }

    Optional<Message> findByClientKey(String conversationId, String senderId, String clientMsgId) throws SQLException {
        PreparedStatement ps = selectByClientKey();
        ps.setString(1, conversationId);
        ps.setString(2, senderId);
        ps.setString(3, clientMsgId);
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(Rows.message(rs)) : Optional.empty();
        }
    }

    /** Records that {@code seq} is now the newest message of the conversation. */
    void messageAppended(String conversationId, long seq, long createdAtMillis) {
        Pending p = pending.computeIfAbsent(conversationId, id -> new Pending());
        p.lastSeq = seq;
        p.lastActivity = Math.max(p.lastActivity, createdAtMillis);
        p.activitySeq = nextActivity();
    }

    /** Writes the pending {@code last_seq}/activity of every conversation this batch appended to. */
    void flushConversations() throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        PreparedStatement ps = updateConversation();
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            ps.setLong(1, p.lastSeq);
            ps.setLong(2, p.lastActivity);
            ps.setLong(3, p.activitySeq);
            ps.setString(4, e.getKey());
            ps.addBatch();
        }
        ps.executeBatch();
        pending.clear();
    }

    /** After commit. */
    void committed() {
        pending.clear();
        activitySeq = -1;
    }

    /** After rollback: forget the batch, and re-prepare statements in case the failure left them unusable. */
    void rolledBack() {
        pending.clear();
        activitySeq = -1;
        closeStatements();
    }

    @Override
    public void close() {
        closeStatements();
    }

    private void closeStatements() {
        for (PreparedStatement ps : statements) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // closing a statement of a connection we are about to drop or re-prepare
            }
        }
        statements.clear();
        selectLastSeq = null;
        insertMessage = null;
        insertMention = null;
        selectByClientKey = null;
        updateConversation = null;
    }

    private PreparedStatement selectLastSeq() throws SQLException {
        if (selectLastSeq == null) {
            selectLastSeq = prepare("SELECT last_seq FROM conversations WHERE id = ?");
        }
        return selectLastSeq;
    }

    private PreparedStatement insertMessage() throws SQLException {
        if (insertMessage == null) {
            // search_rowid keys the full-text index (V4); expires_at is the earlier of the sender's
            // ttl (parameter 9) and created_at plus the conversation's timer.
            insertMessage = prepare("INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, body_text,"
                    + " reply_to, created_at, search_rowid, expires_at, system_type, system_user_id, system_role,"
                    + " mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                    + " (SELECT coalesce(max(search_rowid), 0) + 1 FROM messages),"
                    + " (SELECT CASE WHEN c.expiry_seconds > 0 AND (? IS NULL OR ? > ? + c.expiry_seconds * 1000)"
                    + "   THEN ? + c.expiry_seconds * 1000 ELSE ? END FROM conversations c WHERE c.id = ?),"
                    + " ?, ?, ?, ?)"
                    + " ON CONFLICT (conversation_id, sender_id, client_msg_id) DO NOTHING");
        }
        return insertMessage;
    }

    private PreparedStatement selectByClientKey() throws SQLException {
        if (selectByClientKey == null) {
            selectByClientKey = prepare("SELECT " + Rows.MESSAGE_COLUMNS + " FROM messages"
                    + " WHERE conversation_id = ? AND sender_id = ? AND client_msg_id = ?");
        }
        return selectByClientKey;
    }

    private PreparedStatement updateConversation() throws SQLException {
        if (updateConversation == null) {
            updateConversation = prepare("UPDATE conversations SET last_seq = ?,"
                    + " last_activity = max(last_activity, ?), activity_seq = ? WHERE id = ?");
        }
        return updateConversation;
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        Connection connection = handle.getConnection();
        PreparedStatement ps = connection.prepareStatement(sql);
        statements.add(ps);
        return ps;
    }

    private static final class Pending {
        long lastSeq;
        long lastActivity = Long.MIN_VALUE;
        long activitySeq;
    }
}
