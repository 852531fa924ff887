package dev.parley.store.jdbc.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;

/**
 * The SQL that differs between the databases the store runs on. Everything else (nearly all
 * statements) is shared and written so that both accept it: {@code CASE} instead of the
 * two-argument {@code max}, {@code rowid} columns in PostgreSQL where SQLite has its implicit
 * one, booleans read with {@code getBoolean}, flags stored as 0/1 integers in both.
 */
public abstract class Dialect {
    /** SQLite: one writer at a time by the file lock, FTS5 search. */
    public static final Dialect SQLITE = new Sqlite();
    /** PostgreSQL: row locks for cross-node safety, tsvector search. */
    public static final Dialect POSTGRESQL = new Postgres();

    private Dialect() {
    }

    /** For messages: "SQLite", "PostgreSQL". */
    public abstract String displayName();

    /** Flyway location of the migrations; both folders use the same version numbers. */
    abstract String migrations();

    /**
     * Appended to a {@code SELECT} of rows the transaction goes on to change, so that writers on
     * other nodes wait instead of deciding on the same old state. Empty for SQLite, whose
     * write transactions already exclude each other.
     */
    abstract String lockRows();

    /** Whether writers of other processes run at the same time (so rows must be locked). */
    abstract boolean concurrentWriters();

    /** Whether {@code activity_seq} values come from the database sequence rather than max + 1. */
    abstract boolean activityFromSequence();

    /** {@code user_id} of the members of conversation {@code alias.id}, joined by U+001F. */
    abstract String memberIdsAggregate(String alias);

    /** Case-insensitive match of {@code accounts.username} with the named parameter. */
    abstract String usernameEquals(String param);

    /**
     * The append's insert. Parameters 1-14 are the same in both dialects (see
     * {@link WriteContext}); parameter 15 is the {@code search_rowid} (SQLite) or the search
     * document (PostgreSQL).
     */
    abstract String insertMessageSql();

    /** Whether the store writes {@code messages.search_vector} itself (no triggers). */
    abstract boolean storeWritesSearchVector();

    /**
     * Whether new messages are indexed for search after their commit, by a {@link SearchIndexer}
     * on the writer thread (SQLite, schema V9), rather than in the append itself.
     */
    public boolean indexesInBackground() {
        return !storeWritesSearchVector();
    }

    /** Whether text may contain U+0000. */
    public abstract boolean storesNul();

    /** A failure that goes away when the transaction is simply run again (deadlock, serialization). */
    abstract boolean isTransient(SQLException e);

    // ------------------------------------------------------------------ search

    /** The query text bound as {@code :match}; empty when {@code userText} has no word. */
    abstract String searchMatch(String userText);

    /** The FROM clause of a search; the message row is aliased {@code m}. */
    abstract String searchSource();

    /** The WHERE condition matching {@code :match}. */
    abstract String searchCondition();

    /** Extra select columns: at least {@code hit_rank}, higher is better. */
    abstract String searchColumns();

    /** The snippet of a result row; {@code terms} are the query's folded words. */
    abstract String snippet(ResultSet rs, Set<String> terms) throws SQLException;

    @Override
    public String toString() {
        return displayName();
    }

    private static final class Sqlite extends Dialect {
        @Override
        public String displayName() {
            return "SQLite";
        }

        @Override
        String migrations() {
            return "classpath:db/migration/sqlite";
        }

        @Override
        String lockRows() {
            return "";
        }

        @Override
        boolean concurrentWriters() {
            return false;
        }

        @Override
        boolean activityFromSequence() {
            return false;
        }

        @Override
        String memberIdsAggregate(String alias) {
            return "(SELECT group_concat(m.user_id, char(31)) FROM members m WHERE m.conversation_id = " + alias
                    + ".id)";
        }

        @Override
        String usernameEquals(String param) {
            return "username = :" + param; // the column is COLLATE NOCASE
        }

        @Override
        String insertMessageSql() {
            // search_rowid (parameter 15) keys the full-text index (V4, V9). expires_at (parameter 9)
            // is computed by WriteContext from the conversation's timer it read with last_seq.
            return "INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, body_text,"
                    + " reply_to, created_at, expires_at, system_type, system_user_id, system_role,"
                    + " mentions, thread_root_id, attachments, search_rowid)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (conversation_id, sender_id, client_msg_id) DO NOTHING";
        }

        @Override
        boolean storeWritesSearchVector() {
            return false; // the SearchIndexer fills messages_fts; the V9 triggers keep it right
        }

        @Override
        public boolean storesNul() {
            return true;
        }

        @Override
        boolean isTransient(SQLException e) {
            return false;
        }

        /** Each word a quoted FTS5 phrase, all required. */
        @Override
        String searchMatch(String userText) {
            StringBuilder out = new StringBuilder();
            for (String word : SearchText.words(userText)) {
                out.append(out.length() == 0 ? "" : " ").append('"').append(word.replace("\"", "\"\"")).append('"');
            }
            return out.toString();
        }

        @Override
        String searchSource() {
            return "messages_fts JOIN messages m ON m.search_rowid = messages_fts.rowid";
        }

        @Override
        String searchCondition() {
            return "messages_fts MATCH :match";
        }

        @Override
        String searchColumns() {
            return "snippet(messages_fts, 0, '" + SearchText.MARK_START + "', '" + SearchText.MARK_END + "', '"
                    + SearchText.ELLIPSIS + "', " + SearchText.SNIPPET_WORDS + ") AS snippet,"
                    + " -bm25(messages_fts) AS hit_rank";
        }

        @Override
        String snippet(ResultSet rs, Set<String> terms) throws SQLException {
            return rs.getString("snippet");
        }
    }

    private static final class Postgres extends Dialect {
        @Override
        public String displayName() {
            return "PostgreSQL";
        }

        @Override
        String migrations() {
            return "classpath:db/migration/postgresql";
        }

        @Override
        String lockRows() {
            // NO KEY UPDATE: does not block the KEY SHARE locks that inserts referencing the row take.
            return " FOR NO KEY UPDATE";
        }

        @Override
        boolean concurrentWriters() {
            return true;
        }

        @Override
        boolean activityFromSequence() {
            return true;
        }

        @Override
        String memberIdsAggregate(String alias) {
            return "(SELECT string_agg(m.user_id, chr(31) ORDER BY m.rowid) FROM members m WHERE m.conversation_id = "
                    + alias + ".id)";
        }

        @Override
        String usernameEquals(String param) {
            return "lower(username) = lower(:" + param + ")"; // served by the accounts_username index
        }

        @Override
        String insertMessageSql() {
            // Parameter 15 is the folded search document; expires_at (parameter 9) is computed by
            // WriteContext from the conversation's timer it read (and locked) with last_seq.
            return "INSERT INTO messages (conversation_id, seq, id, sender_id, client_msg_id, body_text,"
                    + " reply_to, created_at, expires_at, system_type, system_user_id, system_role,"
                    + " mentions, thread_root_id, attachments, search_vector)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, to_tsvector('simple', ?))"
                    + " ON CONFLICT (conversation_id, sender_id, client_msg_id) DO NOTHING";
        }

        @Override
        boolean storeWritesSearchVector() {
            return true;
        }

        @Override
        public boolean storesNul() {
            return false; // text values cannot contain U+0000 in PostgreSQL
        }

        @Override
        boolean isTransient(SQLException e) {
            String state = e.getSQLState();
            return "40001".equals(state) || "40P01".equals(state); // serialization failure, deadlock
        }

        /** The folded words, space-separated, for {@code plainto_tsquery}: no query syntax at all. */
        @Override
        String searchMatch(String userText) {
            return String.join(" ", SearchText.terms(userText));
        }

        @Override
        String searchSource() {
            return "messages m";
        }

        @Override
        String searchCondition() {
            return "m.search_vector @@ plainto_tsquery('simple', :match)";
        }

        @Override
        String searchColumns() {
            // Normalization 1 divides by 1 + log(length): like bm25, a match in a short text ranks higher.
            return "ts_rank(m.search_vector, plainto_tsquery('simple', :match), 1) AS hit_rank";
        }

        @Override
        String snippet(ResultSet rs, Set<String> terms) throws SQLException {
            return SearchText.snippet(rs.getString("body_text"), terms);
        }
    }
}
