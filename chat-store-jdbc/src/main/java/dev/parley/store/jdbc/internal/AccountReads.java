package dev.parley.store.jdbc.internal;

import dev.parley.core.spi.Account;
import dev.parley.core.spi.AuthSession;
import dev.parley.core.spi.LinkedIdentity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** The account store's reads, on the reader pool. */
public final class AccountReads {
    private final Jdbi jdbi;
    private final Dialect dialect;

    public AccountReads(Jdbi jdbi, Dialect dialect) {
        this.jdbi = jdbi;
        this.dialect = dialect;
    }

    /**
     * Case-insensitive (ASCII letters): SQLite's column is {@code COLLATE NOCASE}, PostgreSQL's
     * unique index is on {@code lower(username)}.
     */
    public Optional<Account> accountByUsername(String username) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts WHERE "
                        + dialect.usernameEquals("u"))
                .bind("u", username)
                .map((rs, c) -> Rows.account(rs))
                .findOne());
    }

    public Optional<Account> account(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts WHERE user_id = :u")
                .bind("u", userId)
                .map((rs, c) -> Rows.account(rs))
                .findOne());
    }

    public List<Account> accounts(int limit, String afterUserId) {
        return jdbi.withHandle(h -> {
            Query query;
            if (afterUserId == null) {
                query = h.createQuery("SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts ORDER BY user_id LIMIT :limit");
            } else {
                query = h.createQuery("SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts WHERE user_id > :after"
                        + " ORDER BY user_id LIMIT :limit").bind("after", afterUserId);
            }
            return query.bind("limit", limit).map((rs, c) -> Rows.account(rs)).list();
        });
    }

    public Optional<AuthSession> sessionByTokenHash(String tokenHash) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions WHERE token_hash = :t")
                .bind("t", tokenHash)
                .map((rs, c) -> Rows.session(rs))
                .findOne());
    }

    /** Newest first; the id breaks ties so the order is stable. */
    public List<AuthSession> sessions(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + Rows.SESSION_COLUMNS + " FROM sessions WHERE user_id = :u"
                        + " ORDER BY created_at DESC, id DESC")
                .bind("u", userId)
                .map((rs, c) -> Rows.session(rs))
                .list());
    }

    public Optional<LinkedIdentity> identity(String kind, String subject) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind, subject, user_id, linked_at FROM linked_identities"
                        + " WHERE kind = :k AND subject = :s")
                .bind("k", kind)
                .bind("s", subject)
                .map((rs, c) -> new LinkedIdentity(rs.getString(1), rs.getString(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4))))
                .findOne());
    }

    /** Oldest link first; kind and subject break ties so the order is stable. */
    public List<LinkedIdentity> identities(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT kind, subject, user_id, linked_at FROM linked_identities"
                        + " WHERE user_id = :u ORDER BY linked_at, kind, subject")
                .bind("u", userId)
                .map((rs, c) -> new LinkedIdentity(rs.getString(1), rs.getString(2), rs.getString(3),
                        Instant.ofEpochMilli(rs.getLong(4))))
                .list());
    }
}
