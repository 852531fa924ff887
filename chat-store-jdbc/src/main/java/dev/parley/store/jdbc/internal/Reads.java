package dev.parley.store.jdbc.internal;

import dev.parley.core.Conversation;
import dev.parley.core.ConversationPage;
import dev.parley.core.ConversationSummary;
import dev.parley.core.HistoryPage;
import dev.parley.core.ThreadView;
import dev.parley.core.Member;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.MessageEdit;
import dev.parley.core.PrivacySettings;
import dev.parley.core.ReactionSummary;
import dev.parley.core.RelationState;
import dev.parley.core.User;
import dev.parley.core.spi.SendContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The store's reads, on the reader pool. Each method is one short read transaction or query. */
public final class Reads {
    /**
     * The page of conversations is chosen first (inner query); last message and unread count
     * are computed for those rows only. Unread counting scans the member's unread range in
     * the (conversation_id, seq) primary key, so it costs O(unread) per listed conversation.
     */
    private static final String SUMMARY_SQL = "SELECT p.*,"
            + " (SELECT count(*) FROM messages x WHERE x.conversation_id = p.id AND x.seq > p.read_seq"
            + "   AND x.sender_id <> :user AND x.deleted = 0 AND x.system_type IS NULL"
            + "   AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = :user AND h.message_id = x.id))"
            + "   AS unread,"
            + " (SELECT count(*) FROM message_mentions mm JOIN messages x"
            + "   ON x.conversation_id = mm.conversation_id AND x.seq = mm.seq"
            + "   WHERE mm.user_id = :user AND mm.conversation_id = p.id AND mm.seq > p.read_seq AND x.deleted = 0"
            + "   AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = :user AND h.message_id = x.id))"
            + "   AS mentions_unread,"
            + " lm.id AS lm_id, lm.seq AS lm_seq, lm.sender_id AS lm_sender_id, lm.client_msg_id AS lm_client_msg_id,"
            + " lm.body_text AS lm_body_text, lm.reply_to AS lm_reply_to, lm.created_at AS lm_created_at,"
            + " lm.edited_at AS lm_edited_at, lm.deleted AS lm_deleted, lm.expired AS lm_expired,"
            + " lm.system_type AS lm_system_type, lm.system_user_id AS lm_system_user_id,"
            + " lm.system_role AS lm_system_role, lm.mentions AS lm_mentions,"
            + " lm.thread_root_id AS lm_thread_root_id, lm.thread_reply_count AS lm_thread_reply_count,"
            + " lm.thread_last_seq AS lm_thread_last_seq, lm.thread_last_at AS lm_thread_last_at,"
            + " lm.thread_participants AS lm_thread_participants, lm.attachments AS lm_attachments,"
            + " EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = :user AND h.message_id = lm.id) AS lm_hidden"
            + " FROM (SELECT c.id, c.kind, c.name, c.direct_key, c.created_by, c.created_at, c.last_seq,"
            + "         c.activity_seq, me.read_seq, me.delivered_seq"
            + "       FROM members me JOIN conversations c ON c.id = me.conversation_id"
            + "       WHERE me.user_id = :user AND c.activity_seq < :below"
            + "       ORDER BY c.activity_seq DESC LIMIT :limit) p"
            + " LEFT JOIN messages lm ON lm.conversation_id = p.id AND lm.seq = p.last_seq"
            + " ORDER BY p.activity_seq DESC";

    private final Jdbi jdbi;
    private final Dialect dialect;

    public Reads(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /**
     * Conversation, member ids and the direct-conversation block check in one query: the
     * send path's only read.
     */
    public Optional<SendContext> sendContext(String conversationId, String senderId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT c.id, c.kind, c.name, c.direct_key, c.created_by,"
                        + " c.created_at, c.last_seq, " + dialect.memberIdsAggregate("c") + " AS member_ids,"
                        + " (c.kind = 'direct' AND EXISTS (SELECT 1 FROM members o JOIN relations r"
                        + "   ON (r.user_id = :sender AND r.other_id = o.user_id)"
                        + "   OR (r.user_id = o.user_id AND r.other_id = :sender)"
                        + "   WHERE o.conversation_id = c.id AND o.user_id <> :sender AND r.state = 'blocked'))"
                        + " AS blocked"
                        + " FROM conversations c WHERE c.id = :id")
                .bind("id", conversationId)
                .bind("sender", senderId)
                .map((rs, ctx) -> {
                    String ids = rs.getString("member_ids");
                    return new SendContext(Rows.conversation(rs),
                            ids == null ? List.of() : List.of(ids.split("\u001f")), rs.getBoolean("blocked"));
                })
                .findOne());
    }

    public Optional<User> findUser(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.USER_COLUMNS + " FROM users WHERE id = :id")
                .bind("id", userId)
                .map((rs, c) -> Rows.user(rs))
                .findOne());
    }

    /** Users whose folded name contains the folded {@code query} literally: its LIKE wildcards are escaped. */
    public List<User> searchUsers(String query, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.USER_COLUMNS + " FROM users"
                        + " WHERE name_fold LIKE :pattern ESCAPE '\\' ORDER BY name, id LIMIT :limit")
                .bind("pattern", "%" + likeLiteral(Rows.fold(query)) + "%")
                .bind("limit", limit)
                .map((rs, c) -> Rows.user(rs))
                .list());
    }

    public Optional<RelationState> relation(String userId, String otherId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT state FROM relations WHERE user_id = :u AND other_id = :o")
                .bind("u", userId)
                .bind("o", otherId)
                .map((rs, c) -> Rows.relationState(rs.getString(1)))
                .findOne());
    }

    public List<String> relationsFrom(String userId, RelationState state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT other_id FROM relations"
                        + " WHERE user_id = :u AND state = :state ORDER BY other_id")
                .bind("u", userId)
                .bind("state", Rows.wire(state))
                .mapTo(String.class)
                .list());
    }

    public List<String> relationsTo(String userId, RelationState state) {
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM relations"
                        + " WHERE other_id = :u AND state = :state ORDER BY user_id")
                .bind("u", userId)
                .bind("state", Rows.wire(state))
                .mapTo(String.class)
                .list());
    }

    public PrivacySettings privacy(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.PRIVACY_COLUMNS + " FROM privacy WHERE user_id = :u")
                .bind("u", userId)
                .map((rs, c) -> Rows.privacy(rs))
                .findOne()
                .orElseGet(PrivacySettings::defaults));
    }

    /** Users among {@code userIds} whose privacy row turns read receipts off (no row means on). */
    public Set<String> readReceiptsOff(java.util.Collection<String> userIds) {
        if (userIds.isEmpty()) {
            return Set.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT user_id FROM privacy WHERE read_receipts = 0"
                        + " AND user_id IN (<ids>)")
                .bindList("ids", List.copyOf(userIds))
                .mapTo(String.class)
                .collect(Collectors.toSet()));
    }

    public Optional<Conversation> findConversation(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.CONVERSATION_COLUMNS
                        + " FROM conversations WHERE id = :id")
                .bind("id", conversationId)
                .map((rs, c) -> Rows.conversation(rs))
                .findOne());
    }

    public Optional<Member> findMember(String conversationId, String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.MEMBER_COLUMNS
                        + " FROM members WHERE conversation_id = :c AND user_id = :u")
                .bind("c", conversationId)
                .bind("u", userId)
                .map((rs, c) -> Rows.member(rs))
                .findOne());
    }

    public List<Member> members(String conversationId) {
        // rowid order is insertion order, i.e. join order (a real column in PostgreSQL)
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.MEMBER_COLUMNS
                        + " FROM members WHERE conversation_id = :c ORDER BY rowid")
                .bind("c", conversationId)
                .map((rs, c) -> Rows.member(rs))
                .list());
    }

    /**
     * One query for the messages and one for their reactions, in one read transaction: a page
     * costs two statements whatever its size.
     */
    public HistoryPage history(String conversationId, Long beforeSeq, Long afterSeq, int limit, String viewerId) {
        return page("conversation_id = :key", conversationId, beforeSeq, afterSeq, limit, viewerId);
    }

    /** A thread's replies, paged like {@link #history}. */
    public HistoryPage threadHistory(String rootId, Long beforeSeq, Long afterSeq, int limit, String viewerId) {
        return page("thread_root_id = :key", rootId, beforeSeq, afterSeq, limit, viewerId);
    }

    /** A page of the messages matching {@code where} (which binds {@code :key}), by seq. */
    private HistoryPage page(String where, String key, Long beforeSeq, Long afterSeq, int limit, String viewerId) {
        String sql;
        long bound;
        if (afterSeq != null) {
            sql = " AND seq > :bound ORDER BY seq ASC";
            bound = afterSeq;
        } else {
            sql = " AND seq < :bound ORDER BY seq DESC";
            bound = beforeSeq != null ? beforeSeq : Long.MAX_VALUE;
        }
        return jdbi.inTransaction(h -> {
            List<Message> rows = h.createQuery("SELECT " + Rows.MESSAGE_COLUMNS + ", " + Rows.HIDDEN_COLUMN
                            + " FROM messages WHERE " + where + sql + " LIMIT :limit")
                    .bind("key", key)
                    .bind("bound", bound)
                    .bind("limit", (long) limit + 1)
                    .bind("viewer", viewerId)
                    .map((rs, c) -> Rows.viewedMessage(rs))
                    .list();
            boolean hasMore = rows.size() > limit;
            List<Message> page = new ArrayList<>(hasMore ? rows.subList(0, limit) : rows);
            if (afterSeq == null) {
                Collections.reverse(page);
            }
            return new HistoryPage(withReactions(h, page, viewerId), hasMore);
        });
    }

    /** A root row with the viewer's thread cursor and the replies by others above it that are not deleted or hidden. */
    private static final String THREAD_VIEW_COLUMNS = ", coalesce(tr.read_seq, 0) AS thread_read_seq,"
            + " (SELECT count(*) FROM messages r WHERE r.thread_root_id = messages.id"
            + "   AND r.seq > coalesce(tr.read_seq, 0) AND r.sender_id <> coalesce(:viewer, '') AND r.deleted = 0"
            + "   AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = :viewer AND h.message_id = r.id))"
            + " AS thread_unread"
            + " FROM messages LEFT JOIN thread_reads tr ON tr.root_id = messages.id AND tr.user_id = :viewer";

    public Optional<ThreadView> thread(String rootId, String viewerId) {
        return jdbi.inTransaction(h -> {
            List<ThreadView> found = threadViews(h, h.createQuery("SELECT "
                            + Rows.qualified(Rows.MESSAGE_COLUMNS, "messages") + ", " + Rows.HIDDEN_COLUMN
                            + THREAD_VIEW_COLUMNS + " WHERE messages.id = :id")
                    .bind("id", rootId), viewerId);
            return found.stream().findFirst();
        });
    }

    public List<ThreadView> threads(String conversationId, String viewerId, Long beforeLastReplySeq, int limit) {
        return jdbi.inTransaction(h -> threadViews(h, h.createQuery("SELECT "
                        + Rows.qualified(Rows.MESSAGE_COLUMNS, "messages") + ", " + Rows.HIDDEN_COLUMN
                        + THREAD_VIEW_COLUMNS + " WHERE messages.conversation_id = :c"
                        + " AND messages.thread_last_seq IS NOT NULL AND messages.thread_last_seq < :bound"
                        + " ORDER BY messages.thread_last_seq DESC LIMIT :limit")
                .bind("c", conversationId)
                .bind("bound", beforeLastReplySeq == null ? Long.MAX_VALUE : beforeLastReplySeq)
                .bind("limit", limit), viewerId));
    }

    private List<ThreadView> threadViews(Handle h, org.jdbi.v3.core.statement.Query query, String viewerId) {
        record Row(Message root, long readSeq, long unread) {
        }
        List<Row> rows = query.bind("viewer", viewerId)
                .map((rs, c) -> new Row(Rows.viewedMessage(rs), rs.getLong("thread_read_seq"),
                        rs.getLong("thread_unread")))
                .list();
        List<Message> roots = withReactions(h, rows.stream().map(Row::root).toList(), viewerId);
        List<ThreadView> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(new ThreadView(roots.get(i), rows.get(i).readSeq(), rows.get(i).unread()));
        }
        return out;
    }

    public Optional<Message> findMessage(String messageId, String viewerId) {
        return jdbi.inTransaction(h -> h.createQuery("SELECT " + Rows.MESSAGE_COLUMNS + ", " + Rows.HIDDEN_COLUMN
                        + " FROM messages WHERE id = :id")
                .bind("id", messageId)
                .bind("viewer", viewerId)
                .map((rs, c) -> Rows.viewedMessage(rs))
                .findOne()
                .map(m -> withReactions(h, List.of(m), viewerId).get(0)));
    }

    public List<MessageEdit> edits(String messageId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT body_text, edited_at FROM message_edits"
                        + " WHERE message_id = :id ORDER BY version")
                .bind("id", messageId)
                .map((rs, c) -> new MessageEdit(new MessageBody(rs.getString(1)), Rows.instant(rs.getLong(2))))
                .list());
    }

    public List<Message> pinned(String conversationId, String viewerId) {
        return jdbi.inTransaction(h -> {
            List<Message> messages = h.createQuery("SELECT " + Rows.qualified(Rows.MESSAGE_COLUMNS, "messages")
                            + ", " + Rows.HIDDEN_COLUMN
                            + " FROM pins p JOIN messages ON messages.id = p.message_id"
                            + " WHERE p.conversation_id = :c ORDER BY p.rowid DESC")
                    .bind("c", conversationId)
                    .bind("viewer", viewerId)
                    .map((rs, c) -> Rows.viewedMessage(rs))
                    .list();
            return withReactions(h, messages, viewerId);
        });
    }

    /**
     * The messages with their reaction summaries, read in one query: per (message, emoji) the
     * count, the first {@link ReactionSummary#MAX_USER_IDS} users in reaction order and whether
     * the viewer is among all of them; emoji in order of first use.
     */
    static List<Message> withReactions(Handle h, List<Message> messages, String viewerId) {
        if (messages.isEmpty()) {
            return messages;
        }
        List<ReactionRow> rows = h.createQuery("SELECT message_id, emoji, user_id, cnt, mine FROM ("
                        + " SELECT message_id, emoji, user_id, count(*) OVER w AS cnt,"
                        + "  max(CASE WHEN user_id = :viewer THEN 1 ELSE 0 END) OVER w AS mine,"
                        + "  min(rowid) OVER w AS first_use,"
                        + "  row_number() OVER (PARTITION BY message_id, emoji ORDER BY rowid) AS rn"
                        + " FROM reactions WHERE message_id IN (<ids>)"
                        + " WINDOW w AS (PARTITION BY message_id, emoji)) AS ranked"
                        + " WHERE rn <= :users ORDER BY message_id, first_use, rn")
                .bindList("ids", messages.stream().map(Message::id).distinct().toList())
                .bind("viewer", viewerId)
                .bind("users", ReactionSummary.MAX_USER_IDS)
                .map((rs, c) -> new ReactionRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getInt(5) != 0))
                .list();
        if (rows.isEmpty()) {
            return messages;
        }
        // Rows of one (message, emoji) are adjacent, its users in reaction order.
        Map<String, List<ReactionSummary>> byMessage = new java.util.HashMap<>();
        int i = 0;
        while (i < rows.size()) {
            ReactionRow first = rows.get(i);
            List<String> userIds = new ArrayList<>();
            while (i < rows.size() && rows.get(i).messageId.equals(first.messageId)
                    && rows.get(i).emoji.equals(first.emoji)) {
                userIds.add(rows.get(i).userId);
                i++;
            }
            byMessage.computeIfAbsent(first.messageId, k -> new ArrayList<>())
                    .add(new ReactionSummary(first.emoji, first.count, userIds, first.mine));
        }
        List<Message> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            List<ReactionSummary> summaries = byMessage.get(m.id());
            out.add(summaries == null ? m : m.withReactions(summaries));
        }
        return out;
    }

    private record ReactionRow(String messageId, String emoji, String userId, int count, boolean mine) {
    }

    public ConversationPage conversationsOf(String userId, int limit, String cursor) {
        long below = ConversationCursor.decode(cursor);
        // One read transaction: the summaries and their member lists come from one snapshot.
        return jdbi.inTransaction(h -> {
            List<Row> rows = h.createQuery(SUMMARY_SQL)
                    .bind("user", userId)
                    .bind("below", below)
                    .bind("limit", (long) limit + 1)
                    .map((rs, c) -> {
                        Conversation conversation = Rows.conversation(rs);
                        rs.getString("lm_id");
                        Message last = rs.wasNull() ? null : Rows.message(rs, "lm_", conversation.id());
                        if (last != null && rs.getBoolean("lm_hidden")) {
                            last = last.withHidden(true);
                        }
                        return new Row(conversation, rs.getLong("activity_seq"), last, rs.getLong("unread"),
                                rs.getLong("read_seq"), rs.getLong("delivered_seq"), rs.getLong("mentions_unread"));
                    })
                    .list();
            boolean hasMore = rows.size() > limit;
            List<Row> page = hasMore ? rows.subList(0, limit) : rows;
            Map<String, List<String>> memberIds = memberIds(h, page);
            Map<String, Message> lastMessages = new java.util.HashMap<>();
            withReactions(h, page.stream().map(Row::lastMessage).filter(java.util.Objects::nonNull).toList(), userId)
                    .forEach(m -> lastMessages.put(m.conversationId(), m));
            List<ConversationSummary> summaries = new ArrayList<>(page.size());
            for (Row r : page) {
                summaries.add(new ConversationSummary(r.conversation, memberIds.getOrDefault(r.conversation.id(), List.of()),
                        lastMessages.get(r.conversation.id()), r.unread, r.readSeq, r.deliveredSeq, r.mentionsUnread));
            }
            String next = hasMore ? ConversationCursor.encode(page.get(page.size() - 1).activitySeq) : null;
            return new ConversationPage(summaries, next);
        });
    }

    public Set<String> contactsOf(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT other.user_id FROM members me"
                        + " JOIN members other ON other.conversation_id = me.conversation_id"
                        + " WHERE me.user_id = :u AND other.user_id <> :u ORDER BY other.user_id")
                .bind("u", userId)
                .mapTo(String.class)
                .collect(Collectors.collectingAndThen(Collectors.toCollection(LinkedHashSet::new),
                        Collections::unmodifiableSet)));
    }

    /** Escapes the LIKE wildcards (and the escape character itself) so that {@code text} matches only itself. */
    static String likeLiteral(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '%' || ch == '_' || ch == '\\') {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }

    private static Map<String, List<String>> memberIds(Handle h, List<Row> page) {
        Map<String, List<String>> byConversation = new LinkedHashMap<>();
        if (page.isEmpty()) {
            return byConversation;
        }
        h.createQuery("SELECT conversation_id, user_id FROM members WHERE conversation_id IN (<ids>)"
                        + " ORDER BY conversation_id, rowid")
                .bindList("ids", page.stream().map(r -> r.conversation.id()).toList())
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> byConversation.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return byConversation;
    }

    private record Row(Conversation conversation, long activitySeq, Message lastMessage, long unread, long readSeq,
                       long deliveredSeq, long mentionsUnread) {
    }
}
