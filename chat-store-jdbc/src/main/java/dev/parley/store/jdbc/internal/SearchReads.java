package dev.parley.store.jdbc.internal;

import dev.parley.core.Message;
import dev.parley.core.SearchHit;
import dev.parley.core.spi.SearchQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Full-text search (FTS5, schema V4) and the expiry sweeper's reads, on the reader pool.
 *
 * <p>User input is never FTS5 syntax: the words (runs of letters and digits) are each quoted
 * as a phrase, so {@code "}, {@code *}, {@code AND}, {@code NEAR(}, parentheses and the like
 * cannot change the query or make it fail. Input without any word matches nothing.
 */
public final class SearchReads {
    /** Snippet markers: plain characters, not markup, so user text cannot inject HTML through them. */
    public static final String MARK_START = "«";
    public static final String MARK_END = "»";
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final int SNIPPET_TOKENS = 16;

    private final Jdbi jdbi;

    public SearchReads(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The FTS5 query for the user's words: each word a quoted phrase, all required; empty when there is none. */
    static String ftsQuery(String text) {
        StringBuilder out = new StringBuilder();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.append(out.length() == 0 ? "" : " ").append('"').append(m.group().replace("\"", "\"\"")).append('"');
        }
        return out.toString();
    }

    public List<SearchHit> search(String viewerId, SearchQuery query) {
        String match = ftsQuery(query.text());
        if (match.isEmpty()) {
            return List.of();
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(Rows.qualified(Rows.MESSAGE_COLUMNS, "m"))
                .append(", snippet(messages_fts, 0, '").append(MARK_START).append("', '").append(MARK_END)
                .append("', '…', ").append(SNIPPET_TOKENS).append(") AS snippet,")
                .append(" bm25(messages_fts) AS score")
                .append(" FROM messages_fts JOIN messages m ON m.search_rowid = messages_fts.rowid")
                .append(" JOIN members me ON me.conversation_id = m.conversation_id AND me.user_id = :viewer")
                .append(" WHERE messages_fts MATCH :match AND m.deleted = 0 AND m.system_type IS NULL")
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
        sql.append(" ORDER BY score, m.created_at DESC, m.id DESC LIMIT :limit OFFSET :offset");
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
            List<Row> rows = q.map((rs, c) -> new Row(Rows.message(rs), rs.getString("snippet"),
                    -rs.getDouble("score"))).list();
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
