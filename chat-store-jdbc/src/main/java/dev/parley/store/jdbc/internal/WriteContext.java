package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.Message;
import dev.parley.core.ThreadSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * What a {@link WriteOp} may use: the writer's handle, the dialect, and the state the single
 * writer keeps for a batch. Confined to the writer thread.
 *
 * <p>Appends do not touch {@code conversations} one by one: the batch remembers each
 * conversation's new {@code last_seq} and writes it once, before commit (and before any
 * other write that reads conversations, see {@link #flushConversations()}). The last seq of
 * a conversation is read from the database once per batch, inside the batch's write
 * transaction: it is right after a reopen, after a rollback, and with a second writer on the
 * same database, without any cache to invalidate. With PostgreSQL that read locks the row
 * ({@code FOR NO KEY UPDATE}) until commit, so a writer of another node appending to the same
 * conversation waits and then reads the seq this batch wrote: no seq is handed out twice or
 * skipped.
 */
public final class WriteContext implements AutoCloseable {
    private final Dialect dialect;
    /** Told which rows a commit added to the full-text index's work (SQLite), or null. */
    private final SearchIndexer indexer;
    private Handle handle;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final List<PreparedStatement> statements = new ArrayList<>();
    /** Last activity_seq handed out in this batch; -1 until read from the database. */
    private long activitySeq = -1;
    /** Last search_rowid handed out in this batch (SQLite); -1 until read from the database. */
    private long searchRowid = -1;
    /** Highest search_rowid of a message this batch inserted; 0 if none. */
    private long insertedSearchRowid;
    private PreparedStatement selectSearchRowid;
    private PreparedStatement selectLastSeq;
    private PreparedStatement insertMessage;
    private PreparedStatement insertMention;
    private PreparedStatement selectByClientKey;
    private PreparedStatement updateConversation;

    WriteContext(Handle handle, Dialect dialect, SearchIndexer indexer) {
        this.handle = handle;
        this.dialect = dialect;
        this.indexer = indexer;
    }

    public Handle handle() {
        return handle;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Switches to a new connection (after the old one broke); statements are prepared anew. */
    void use(Handle newHandle) {
        closeStatements();
        forgetBatch();
        this.handle = newHandle;
    }

    /**
     * Next value of the store-wide activity counter that orders conversation lists. SQLite:
     * read from its index once per batch, like last seqs, so nothing is cached across commits.
     * PostgreSQL: a counter local to the batch that only orders its conversations; the stored
     * values come from the {@code conversation_activity} sequence (see {@link #flushConversations()}),
     * unique across nodes.
     */
    long nextActivity() {
        if (activitySeq < 0) {
            activitySeq = dialect.activityFromSequence() ? 0
                    : handle.createQuery("SELECT coalesce(max(activity_seq), 0) FROM conversations")
                            .mapTo(Long.class).one();
        }
        return ++activitySeq;
    }

    /**
     * Locks the conversations rows of this batch's appends in id order (PostgreSQL), so that
     * two nodes whose batches append to the same conversations in different orders wait for
     * each other instead of deadlocking. Does nothing for SQLite.
     */
    void lockConversations(Collection<String> conversationIds) throws SQLException {
        if (!dialect.concurrentWriters() || conversationIds.isEmpty()) {
            return;
        }
        String[] ids = new TreeSet<>(conversationIds).toArray(String[]::new);
        try (PreparedStatement ps = handle.getConnection().prepareStatement(
                "SELECT id FROM conversations WHERE id = ANY (?) ORDER BY id" + dialect.lockRows())) {
            ps.setArray(1, handle.getConnection().createArrayOf("text", ids));
            ps.executeQuery().close();
        }
    }

    /** Locks one conversation row until commit (PostgreSQL); does nothing for SQLite. */
    void lockConversation(String conversationId) {
        if (dialect.concurrentWriters()) {
            handle.createQuery("SELECT id FROM conversations WHERE id = :id" + dialect.lockRows())
                    .bind("id", conversationId).mapTo(String.class).findOne();
        }
    }

    /**
     * The seq of the newest message of a conversation, including this batch's appends.
     *
     * @throws ChatException not_found when the conversation does not exist
     */
    long lastSeq(String conversationId) throws SQLException {
        return conversation(conversationId).lastSeq;
    }

    /**
     * The batch's state of a conversation: read (with its disappearing-messages timer, and with
     * PostgreSQL locked) on first use in the batch, then kept until the batch ends or
     * {@link #flushConversations()} writes it back.
     */
    private Pending conversation(String conversationId) throws SQLException {
        Pending p = pending.get(conversationId);
        if (p != null) {
            return p;
        }
        PreparedStatement ps = selectLastSeq();
        ps.setString(1, conversationId);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw ChatException.notFound("conversation not found: " + conversationId);
            }
            p = new Pending();
            p.lastSeq = rs.getLong(1);
            p.expirySeconds = rs.getLong(2);
        }
        pending.put(conversationId, p);
        return p;
    }

    /**
     * Tells the batch that a conversation's timer changed in this transaction, so appends later
     * in the batch use the new one.
     */
    void expiryChanged(String conversationId, long seconds) {
        Pending p = pending.get(conversationId);
        if (p != null) {
            p.expirySeconds = seconds;
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
        ps.setString(10, m.system() == null ? null : m.system().type());
        ps.setString(11, m.system() == null ? null : m.system().userId());
        ps.setString(12, m.system() == null ? null : m.system().role());
        ps.setString(13, m.mentions().isEmpty() ? null : String.join(" ", m.mentions()));
        ps.setString(14, m.threadRootId());
        ps.setString(15, AttachmentJson.list(m.body().attachments()));
        long rowid = 0;
        if (dialect.storeWritesSearchVector()) {
            ps.setString(16, SearchText.document(m.body().text()));
        } else {
            rowid = nextSearchRowid();
            ps.setLong(16, rowid);
        }
        if (ps.executeUpdate() != 1) {
            if (rowid != 0) {
                searchRowid--; // unused: the next insert of the batch takes it
            }
            return false;
        }
        insertedSearchRowid = Math.max(insertedSearchRowid, rowid);
        if (m.body().hasAttachments()) {
            insertAttachments(m);
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

    private void insertAttachments(Message m) throws SQLException {
        Connection c = handle.getConnection();
        try (PreparedStatement rows = c.prepareStatement("INSERT INTO message_attachments"
                + " (upload_id, message_id, conversation_id, seq, position, kind) VALUES (?, ?, ?, ?, ?, ?)");
             PreparedStatement attached = c.prepareStatement("UPDATE uploads SET attached = 1 WHERE id = ?")) {
            int position = 0;
            for (dev.parley.core.Attachment a : m.body().attachments()) {
                rows.setString(1, a.id());
                rows.setString(2, m.id());
                rows.setString(3, m.conversationId());
                rows.setLong(4, m.seq());
                rows.setInt(5, position++);
                rows.setString(6, a.kind() == null ? dev.parley.core.AttachmentKind.OTHER.wire() : a.kind().wire());
                rows.addBatch();
                attached.setString(1, a.id());
                attached.addBatch();
            }
            rows.executeBatch();
            attached.executeBatch();
        }
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
        long timer = conversation(m.conversationId()).expirySeconds;
        Long expiresAt = ttlExpiresAt;
        if (timer > 0) {
            long byTimer = m.createdAt().toEpochMilli() + timer * 1000;
            if (expiresAt == null || expiresAt > byTimer) {
                expiresAt = byTimer;
            }
        }
        setLongOrNull(ps, 9, expiresAt);
        return executeInsert(m);
    }

    private static void setLongOrNull(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
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

    /**
     * The thread root {@code rootId}: a message of {@code conversationId} that is not itself a
     * thread reply. Call it before writing anything for the reply (see {@link WriteOp}).
     *
     * @throws ChatException not_found when there is no such root
     */
    Message threadRoot(String conversationId, String rootId) throws SQLException {
        Message root;
        try (PreparedStatement ps = handle.getConnection().prepareStatement("SELECT " + Rows.MESSAGE_COLUMNS
                + " FROM messages WHERE id = ?")) {
            ps.setString(1, rootId);
            try (ResultSet rs = ps.executeQuery()) {
                root = rs.next() ? Rows.message(rs) : null;
            }
        }
        if (root == null || !root.conversationId().equals(conversationId) || root.inThread()) {
            throw ChatException.notFound("thread root not found in " + conversationId + ": " + rootId);
        }
        return root;
    }

    /**
     * Adds a reply by {@code senderId} at {@code seq} to the summary of {@code root} (as
     * {@link #threadRoot} read it in this transaction).
     *
     * @return the root with its new summary (no reactions, no hidden mark)
     */
    Message addThreadReply(Message root, String senderId, long seq, Instant at) throws SQLException {
        ThreadSummary summary = root.thread() == null ? ThreadSummary.firstReply(senderId, seq, at)
                : root.thread().plusReply(senderId, seq, at);
        try (PreparedStatement ps = handle.getConnection().prepareStatement("UPDATE messages SET"
                + " thread_reply_count = ?, thread_last_seq = ?, thread_last_at = ?, thread_participants = ?"
                + " WHERE id = ?")) {
            ps.setInt(1, summary.replyCount());
            ps.setLong(2, summary.lastReplySeq());
            ps.setLong(3, summary.lastReplyAt().toEpochMilli());
            ps.setString(4, String.join(" ", summary.participants()));
            ps.setString(5, root.id());
            ps.executeUpdate();
        }
        return root.withThread(summary);
    }

    /** Records that {@code seq} is now the newest message of the conversation. */
    void messageAppended(String conversationId, long seq, long createdAtMillis) throws SQLException {
        Pending p = conversation(conversationId);
        p.appended = true;
        p.lastSeq = seq;
        p.lastActivity = Math.max(p.lastActivity, createdAtMillis);
        p.activitySeq = nextActivity();
    }

    /**
     * Writes the pending {@code last_seq}/activity of every conversation this batch appended to.
     * PostgreSQL takes the activity values from its sequence, in the batch's activity order.
     */
    void flushConversations() throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Pending>> entries = new ArrayList<>(pending.size());
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            if (e.getValue().appended) {
                entries.add(e);
            }
        }
        pending.clear();
        if (entries.isEmpty()) {
            return;
        }
        PreparedStatement ps = updateConversation();
        entries.sort(Comparator.comparingLong(e -> e.getValue().activitySeq));
        for (Map.Entry<String, Pending> e : entries) {
            Pending p = e.getValue();
            ps.setLong(1, p.lastSeq);
            ps.setLong(2, p.lastActivity);
            ps.setLong(3, p.lastActivity);
            if (dialect.activityFromSequence()) {
                ps.setString(4, e.getKey());
            } else {
                ps.setLong(4, p.activitySeq);
                ps.setString(5, e.getKey());
            }
            ps.addBatch();
        }
        ps.executeBatch();
    }

    /**
     * The {@code search_rowid} of the next message (SQLite): above every stored row and above the
     * full-text watermark, read once per batch inside its transaction like the last seqs, then
     * counted up. (A subquery {@code max(search_rowid) + 1} per insert cost an index descent each.)
     */
    private long nextSearchRowid() throws SQLException {
        if (searchRowid < 0) {
            if (selectSearchRowid == null) {
                selectSearchRowid = prepare("SELECT max(coalesce((SELECT max(search_rowid) FROM messages), 0),"
                        + " coalesce((SELECT indexed_upto FROM search_index WHERE id = 1), 0))");
            }
            try (ResultSet rs = selectSearchRowid.executeQuery()) {
                rs.next();
                searchRowid = rs.getLong(1);
            }
        }
        return ++searchRowid;
    }

    /** After commit. */
    void committed() {
        if (indexer != null && insertedSearchRowid > 0) {
            indexer.appended(insertedSearchRowid);
        }
        forgetBatch();
    }

    /** After rollback: forget the batch, and re-prepare statements in case the failure left them unusable. */
    void rolledBack() {
        forgetBatch();
        closeStatements();
    }

    private void forgetBatch() {
        pending.clear();
        activitySeq = -1;
        searchRowid = -1;
        insertedSearchRowid = 0;
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
        selectSearchRowid = null;
    }

    private PreparedStatement selectLastSeq() throws SQLException {
        if (selectLastSeq == null) {
            selectLastSeq = prepare("SELECT last_seq, expiry_seconds FROM conversations WHERE id = ?"
                    + dialect.lockRows());
        }
        return selectLastSeq;
    }

    private PreparedStatement insertMessage() throws SQLException {
        if (insertMessage == null) {
            insertMessage = prepare(dialect.insertMessageSql());
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
                    + " last_activity = CASE WHEN last_activity > ? THEN last_activity ELSE ? END, activity_seq = "
                    + (dialect.activityFromSequence() ? "nextval('conversation_activity')" : "?") + " WHERE id = ?");
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
        /** Whether this batch appended to the conversation (else it was only read). */
        boolean appended;
        long lastSeq;
        /** The disappearing-messages timer, 0 for none. */
        long expirySeconds;
        long lastActivity = Long.MIN_VALUE;
        long activitySeq;
    }
}
