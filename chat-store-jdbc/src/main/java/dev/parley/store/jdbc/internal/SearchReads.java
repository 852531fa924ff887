package dev.parley.store.jdbc.internal;

import dev.parley.core.Message;
import dev.parley.core.SearchHit;
import dev.parley.core.spi.SearchQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Full-text search and the expiry sweeper's reads, on the reader pool. The search itself is
 * the dialect's: FTS5 with bm25 ranking (SQLite, schema V4), or a {@code tsvector} column with
 * a GIN index and {@code ts_rank} (PostgreSQL); membership, deletion, hiding and the filters
 * are the same SQL for both.
 *
 * <p>User input is never query syntax: only its words (runs of letters and digits) are
 * searched, each required, so {@code "}, {@code *}, {@code AND}, {@code NEAR(}, {@code &},
 * {@code !}, parentheses and the like cannot change the query or make it fail. Input
 * without any word matches nothing.
 */
public final class SearchReads {
    private final Jdbi jdbi;
    private final Dialect dialect;

    public SearchReads(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    public List<SearchHit> search(String viewerId, SearchQuery query) {
        String match = dialect.searchMatch(query.text());
        if (match.isEmpty()) {
            return List.of();
        }
        Set<String> terms = SearchText.terms(query.text());
        StringBuilder sql = new StringBuilder("SELECT ").append(Rows.qualified(Rows.MESSAGE_COLUMNS, "m"))
                .append(", ").append(dialect.searchColumns())
                .append(" FROM ").append(dialect.searchSource())
                .append(" JOIN members me ON me.conversation_id = m.conversation_id AND me.user_id = :viewer")
                .append(" WHERE ").append(dialect.searchCondition())
                .append(" AND m.deleted = 0 AND m.system_type IS NULL")
                .append(" AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = :viewer")
                .append(" AND h.message_id = m.id)");
        if (query.conversationId() != null) {
            sql.append(" AND m.conversation_id = :conversation");
        }
        if (query.senderId() != null) {
            sql.append(" AND m.sender_id = :sender");
        }
        if (query.after() != null) {
            sql.append(" AND m.created_at >= :after");
        }
        if (query.before() != null) {
            sql.append(" AND m.created_at < :before");
        }
        if (query.hasAttachment() != null) {
            sql.append(query.hasAttachment() ? " AND m.attachments IS NOT NULL" : " AND m.attachments IS NULL");
        }
        sql.append(" ORDER BY hit_rank DESC, m.created_at DESC, m.id DESC LIMIT :limit OFFSET :offset");
        return jdbi.inTransaction(h -> {
            Query q = h.createQuery(sql.toString())
                    .bind("viewer", viewerId)
                    .bind("match", match)
                    .bind("limit", query.limit())
                    .bind("offset", query.offset());
            if (query.conversationId() != null) {
                q.bind("conversation", query.conversationId());
            }
            if (query.senderId() != null) {
                q.bind("sender", query.senderId());
            }
            if (query.after() != null) {
                q.bind("after", query.after().toEpochMilli());
            }
            if (query.before() != null) {
                q.bind("before", query.before().toEpochMilli());
            }
            List<Row> rows = q.map((rs, c) -> new Row(Rows.message(rs), dialect.snippet(rs, terms),
                    rs.getDouble("hit_rank"))).list();
            List<Message> messages = Reads.withReactions(h, rows.stream().map(Row::message).toList(), viewerId);
            List<SearchHit> hits = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                hits.add(new SearchHit(messages.get(i), rows.get(i).snippet(), rows.get(i).rank()));
            }
            return hits;
        });
    }

    public long expiry(String conversationId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT expiry_seconds FROM conversations WHERE id = :id")
                .bind("id", conversationId).mapTo(Long.class).findOne().orElse(0L));
    }

    public List<String> conversationsWithExpired(Instant now, int max) {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT conversation_id FROM messages"
                        + " WHERE expires_at IS NOT NULL AND expires_at <= :now LIMIT :max")
                .bind("now", now.toEpochMilli())
                .bind("max", max)
                .mapTo(String.class)
                .list());
    }

    private record Row(Message message, String snippet, double rank) {
    }
}
