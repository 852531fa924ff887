package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One write, run by the {@link GroupCommitWriter} inside a transaction it shares with other
 * writes. Its future completes only after that transaction commits.
 *
 * <p>Contract for {@link #apply}: throw {@link ChatException} only <em>before</em> writing
 * anything (the outcome is kept and the batch goes on); any other exception aborts and rolls
 * back the whole batch, after which each write is retried in a transaction of its own. So
 * {@code apply} may run more than once and must not have effects outside the transaction.
 *
 * @param <T> the result
 */
public abstract class WriteOp<T> {
    private static final Logger log = LoggerFactory.getLogger(WriteOp.class);

    private final String action;
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;
    private ChatException failure;

    /** @param action what the write does, for error messages ({@code "append"}) */
    protected WriteOp(String action) {
        this.action = action;
    }

    public final String action() {
        return action;
    }

    protected abstract T apply(WriteContext ctx) throws SQLException;

    /**
     * The conversation this write appends to, or null. The writer locks the conversations of a
     * batch's appends in one sorted pass before running them (PostgreSQL), so that batches of
     * two nodes cannot deadlock on them.
     */
    protected String appendsTo() {
        return null;
    }

    /**
     * Called after commit with a successful outcome, just before the future completes, on the
     * writer thread. An exception is logged and does not change the outcome.
     */
    protected void committed(T result) {
    }

    public final CompletableFuture<T> future() {
        return future;
    }

    final void stage(WriteContext ctx) throws SQLException {
        result = null;
        failure = null;
        try {
            result = apply(ctx);
        } catch (ChatException e) {
            failure = e;
        }
    }

    /** Completes the future with the staged outcome; called after commit. */
    final void complete() {
        if (failure != null) {
            future.completeExceptionally(failure);
            return;
        }
        try {
            committed(result);
        } catch (RuntimeException e) {
            log.warn("{} commit callback failed", action, e);
        }
        future.complete(result);
    }

    final void fail(ChatException e) {
        future.completeExceptionally(e);
    }
}
