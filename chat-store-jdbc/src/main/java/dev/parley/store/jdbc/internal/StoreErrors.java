package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jdbi.v3.core.JdbiException;
import org.sqlite.SQLiteException;

/**
 * Turns database failures into {@link ChatException}s so that no JDBC or Jdbi exception
 * leaves the store: a constraint violation is the caller's {@link ErrorCode#CONFLICT}, text the
 * database cannot store (U+0000 in PostgreSQL) is {@link ErrorCode#BAD_REQUEST}, any other
 * database failure is {@link ErrorCode#UNAVAILABLE}, anything else is a bug
 * ({@link ErrorCode#INTERNAL}).
 */
public final class StoreErrors {
    /** SQLite's primary result code for constraint violations (extended codes keep it in the low byte). */
    private static final int SQLITE_CONSTRAINT = 19;

    private StoreErrors() {
    }

    public static ChatException translate(String action, Throwable failure) {
        Throwable e = unwrap(failure);
        if (e instanceof ChatException chat) {
            return chat;
        }
        SQLException sql = findSqlException(e);
        if (sql != null && isConstraintViolation(sql)) {
            return new ChatException(ErrorCode.CONFLICT, action + " violates a constraint: " + sql.getMessage(), e);
        }
        if (sql != null && isUnstorableCharacter(sql)) {
            return new ChatException(ErrorCode.BAD_REQUEST, action + " failed: " + NUL_MESSAGE, e);
        }
        if (sql != null || e instanceof JdbiException) {
            return ChatException.unavailable(action + " failed: the database is unavailable", e);
        }
        return new ChatException(ErrorCode.INTERNAL, action + " failed", e);
    }

    /** Why text with U+0000 is refused where the database cannot store it. */
    public static final String NUL_MESSAGE = "text must not contain the character U+0000 (NUL)";

    public static ChatException closed() {
        return ChatException.unavailable("store is closed", null);
    }

    static boolean isConstraintViolation(SQLException e) {
        if (e instanceof SQLiteException sqlite) {
            return (sqlite.getResultCode().code & 0xff) == SQLITE_CONSTRAINT;
        }
        // Standard SQLSTATE class 23: integrity constraint violation (PostgreSQL and others).
        return e.getSQLState() != null && e.getSQLState().startsWith("23");
    }

    /**
     * SQLSTATE 22021 (character_not_in_repertoire: PostgreSQL's answer to U+0000, an invalid
     * byte sequence for UTF8) and 22P05 (untranslatable_character).
     */
    static boolean isUnstorableCharacter(SQLException e) {
        return "22021".equals(e.getSQLState()) || "22P05".equals(e.getSQLState());
    }

    private static SQLException findSqlException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                return sql;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
