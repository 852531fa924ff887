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
 * leaves the store: a constraint violation is the caller's {@link ErrorCode#CONFLICT},
 * any other database failure is {@link ErrorCode#UNAVAILABLE}, anything else is a bug
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
        if (sql != null || e instanceof JdbiException) {
            return ChatException.unavailable(action + " failed: the database is unavailable", e);
        }
        return new ChatException(ErrorCode.INTERNAL, action + " failed", e);
    }

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
