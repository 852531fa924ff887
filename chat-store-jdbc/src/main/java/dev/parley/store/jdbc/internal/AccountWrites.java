package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AuthSession;
import dev.parley.core.spi.LinkedIdentity;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The account store's writes, each a {@link WriteOp} for the {@link GroupCommitWriter}. The
 * single writer runs each op inside its write transaction, so a check followed by a write
 * (or a select followed by a delete) is atomic.
 */
public final class AccountWrites {
    private static final String ACCOUNT_VALUES =
            ":userId, :username, :passwordHash, :admin, :disabled, :createdAt, :totpSecret, :totpEnabled";

    private AccountWrites() {
    }

    public static WriteOp<Void> createAccount(Account account) {
        return new WriteOp<>("createAccount") {
            @Override
            protected Void apply(WriteContext ctx) {
                Handle h = ctx.handle();
                // Checked first (the constraints are the backstop) for a precise error, and so that
                // a conflict fails alone instead of rolling back the batch it shares.
                if (exists(h, "SELECT 1 FROM accounts WHERE " + ctx.dialect().usernameEquals("v"), account.username())) {
                    throw ChatException.conflict("username is taken: " + account.username());
                }
                if (exists(h, "SELECT 1 FROM accounts WHERE user_id = :v", account.userId())) {
                    throw ChatException.conflict("user already has an account: " + account.userId());
                }
                if (!exists(h, "SELECT 1 FROM users WHERE id = :v", account.userId())) {
                    throw ChatException.notFound("user not found: " + account.userId());
                }
                bindAccount(h.createUpdate("INSERT INTO accounts (" + Rows.ACCOUNT_COLUMNS + ") VALUES ("
                        + ACCOUNT_VALUES + ")"), account).execute();
                return null;
            }
        };
    }

    /** Replaces every column but the TOTP step, which only {@link #useTotpStep} moves. */
    public static WriteOp<Void> updateAccount(Account account) {
        return new WriteOp<>("updateAccount") {
            @Override
            protected Void apply(WriteContext ctx) {
                int updated = bindAccount(ctx.handle().createUpdate("UPDATE accounts SET username = :username,"
                        + " password_hash = :passwordHash, admin = :admin, disabled = :disabled,"
                        + " created_at = :createdAt, totp_secret = :totpSecret, totp_enabled = :totpEnabled"
                        + " WHERE user_id = :userId"), account).execute();
                if (updated == 0) {
                    // Nothing was written, so failing here keeps the WriteOp contract.
                    throw ChatException.notFound("no account for " + account.userId());
                }
                return null;
            }
        };
    }

    /** The users row stays: the chat identity outlives its credentials. */
    public static WriteOp<Void> deleteAccount(String userId) {
        return new WriteOp<>("deleteAccount") {
            @Override
            protected Void apply(WriteContext ctx) {
                Handle h = ctx.handle();
                for (String table : List.of("sessions", "recovery_codes", "linked_identities", "accounts")) {
                    h.createUpdate("DELETE FROM " + table + " WHERE user_id = :u").bind("u", userId).execute();
                }
                return null;
            }
        };
    }

    public static WriteOp<Boolean> useTotpStep(String userId, long step) {
        return new WriteOp<>("useTotpStep") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("UPDATE accounts SET totp_last_step = :step"
                                + " WHERE user_id = :u AND (totp_last_step IS NULL OR totp_last_step < :step)")
                        .bind("step", step)
                        .bind("u", userId)
                        .execute() == 1;
            }
        };
    }

    public static WriteOp<Void> replaceRecoveryCodes(String userId, List<String> codeHashes) {
        List<String> codes = List.copyOf(codeHashes);
        return new WriteOp<>("replaceRecoveryCodes") {
            @Override
            protected Void apply(WriteContext ctx) {
                Handle h = ctx.handle();
                h.createUpdate("DELETE FROM recovery_codes WHERE user_id = :u").bind("u", userId).execute();
                if (!codes.isEmpty()) {
                    PreparedBatch batch = h.prepareBatch("INSERT INTO recovery_codes (user_id, code_hash)"
                            + " VALUES (:u, :code) ON CONFLICT (user_id, code_hash) DO NOTHING");
                    for (String code : codes) {
                        batch.bind("u", userId).bind("code", code).add();
                    }
                    batch.execute();
                }
                return null;
            }
        };
    }

    public static WriteOp<Boolean> useRecoveryCode(String userId, String codeHash) {
        return new WriteOp<>("useRecoveryCode") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("DELETE FROM recovery_codes WHERE user_id = :u AND code_hash = :code")
                        .bind("u", userId)
                        .bind("code", codeHash)
                        .execute() == 1;
            }
        };
    }

    public static WriteOp<Void> createSession(AuthSession session) {
        return new WriteOp<>("createSession") {
            @Override
            protected Void apply(WriteContext ctx) {
                ctx.handle().createUpdate("INSERT INTO sessions (" + Rows.SESSION_COLUMNS + ") VALUES (:id, :userId,"
                                + " :tokenHash, :createdAt, :expiresAt, :lastUsedAt, :client, :address)")
                        .bind("id", session.id())
                        .bind("userId", session.userId())
                        .bind("tokenHash", session.tokenHash())
                        .bind("createdAt", session.createdAt().toEpochMilli())
                        .bind("expiresAt", session.expiresAt().toEpochMilli())
                        .bind("lastUsedAt", session.lastUsedAt().toEpochMilli())
                        .bind("client", session.client())
                        .bind("address", session.address())
                        .execute();
                return null;
            }
        };
    }

    public static WriteOp<Boolean> deleteSession(String userId, String sessionId) {
        return new WriteOp<>("deleteSession") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("DELETE FROM sessions WHERE id = :id AND user_id = :u")
                        .bind("id", sessionId)
                        .bind("u", userId)
                        .execute() == 1;
            }
        };
    }

    /** @return the deleted ids, newest session first */
    public static WriteOp<List<String>> deleteSessions(String userId) {
        return new WriteOp<>("deleteSessions") {
            @Override
            protected List<String> apply(WriteContext ctx) {
                Handle h = ctx.handle();
                List<String> ids = h.createQuery("SELECT id FROM sessions WHERE user_id = :u"
                                + " ORDER BY created_at DESC, id DESC")
                        .bind("u", userId)
                        .mapTo(String.class)
                        .list();
                h.createUpdate("DELETE FROM sessions WHERE user_id = :u").bind("u", userId).execute();
                return List.copyOf(ids);
            }
        };
    }

    public static WriteOp<Void> touchSession(String sessionId, Instant lastUsedAt) {
        return new WriteOp<>("touchSession") {
            @Override
            protected Void apply(WriteContext ctx) {
                ctx.handle().createUpdate("UPDATE sessions SET last_used_at = :t WHERE id = :id")
                        .bind("t", lastUsedAt.toEpochMilli())
                        .bind("id", sessionId)
                        .execute();
                return null;
            }
        };
    }

    public static WriteOp<Void> linkIdentity(LinkedIdentity identity) {
        return new WriteOp<>("linkIdentity") {
            @Override
            protected Void apply(WriteContext ctx) {
                Handle h = ctx.handle();
                boolean linked = h.createQuery("SELECT 1 FROM linked_identities WHERE kind = :k AND subject = :s")
                        .bind("k", identity.kind())
                        .bind("s", identity.subject())
                        .mapTo(Integer.class)
                        .findOne()
                        .isPresent();
                if (linked) {
                    throw ChatException.conflict("identity is already linked: " + identity.subject());
                }
                if (!exists(h, "SELECT 1 FROM accounts WHERE user_id = :v", identity.userId())) {
                    throw ChatException.notFound("no account for " + identity.userId());
                }
                h.createUpdate("INSERT INTO linked_identities (kind, subject, user_id, linked_at)"
                                + " VALUES (:k, :s, :u, :t)")
                        .bind("k", identity.kind())
                        .bind("s", identity.subject())
                        .bind("u", identity.userId())
                        .bind("t", identity.linkedAt().toEpochMilli())
                        .execute();
                return null;
            }
        };
    }

    public static WriteOp<Boolean> unlinkIdentity(String userId, String kind, String subject) {
        return new WriteOp<>("unlinkIdentity") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                return ctx.handle().createUpdate("DELETE FROM linked_identities"
                                + " WHERE kind = :k AND subject = :s AND user_id = :u")
                        .bind("k", kind)
                        .bind("s", subject)
                        .bind("u", userId)
                        .execute() == 1;
            }
        };
    }

    /** Counts unexpired nonces only when the cap may be reached, then drops expired ones first. */
    public static WriteOp<Boolean> createNonce(String nonceHash, Instant expiresAt, Instant now, int maxOutstanding) {
        return new WriteOp<>("createNonce") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                Handle h = ctx.handle();
                if (exists(h, "SELECT 1 FROM auth_nonces WHERE nonce_hash = :v", nonceHash)) {
                    throw ChatException.conflict("nonce is already held");
                }
                if (count(h) >= maxOutstanding) {
                    h.createUpdate("DELETE FROM auth_nonces WHERE expires_at <= :now")
                            .bind("now", now.toEpochMilli())
                            .execute();
                    if (count(h) >= maxOutstanding) {
                        return false;
                    }
                }
                h.createUpdate("INSERT INTO auth_nonces (nonce_hash, expires_at) VALUES (:h, :e)")
                        .bind("h", nonceHash)
                        .bind("e", expiresAt.toEpochMilli())
                        .execute();
                return true;
            }

            private long count(Handle h) {
                return h.createQuery("SELECT COUNT(*) FROM auth_nonces").mapTo(Long.class).one();
            }
        };
    }

    /** The conditional delete decides: of concurrent consumers (on any node) one deletes the row. */
    public static WriteOp<Boolean> consumeNonce(String nonceHash, Instant now) {
        return new WriteOp<>("consumeNonce") {
            @Override
            protected Boolean apply(WriteContext ctx) {
                Handle h = ctx.handle();
                boolean live = h.createUpdate("DELETE FROM auth_nonces WHERE nonce_hash = :h AND expires_at > :now")
                        .bind("h", nonceHash)
                        .bind("now", now.toEpochMilli())
                        .execute() == 1;
                if (!live) {
                    h.createUpdate("DELETE FROM auth_nonces WHERE nonce_hash = :h").bind("h", nonceHash).execute();
                }
                return live;
            }
        };
    }

    private static <S extends SqlStatement<S>> S bindAccount(S statement, Account a) {
        return statement.bind("userId", a.userId())
                .bind("username", a.username())
                .bind("passwordHash", a.passwordHash())
                .bind("admin", a.admin() ? 1 : 0)
                .bind("disabled", a.disabled() ? 1 : 0)
                .bind("createdAt", a.createdAt().toEpochMilli())
                .bind("totpSecret", a.totpSecret())
                .bind("totpEnabled", a.totpEnabled() ? 1 : 0);
    }

    private static boolean exists(Handle h, String sql, String value) {
        return h.createQuery(sql).bind("v", value).mapTo(Integer.class).findOne().isPresent();
    }
}
