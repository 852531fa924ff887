package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.spi.ChatMetrics;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes. It takes every write queued since its last commit (up to
 * {@code maxBatch}), runs them in one transaction, commits once (one fsync for the lot) and
 * only then completes their futures, in queue order, on this thread.
 *
 * <p>If the shared transaction fails, it is rolled back and each write is retried in a
 * transaction of its own, so one bad write (say, a duplicate message id) fails alone with
 * its own error, and a database that is really down fails each write with
 * {@link ErrorCode#UNAVAILABLE}.
 *
 * <p>A transaction that fails for a passing reason (PostgreSQL: a deadlock or serialization
 * failure against another node's writer) is run again, up to {@value #ATTEMPTS} times. When the
 * connection itself broke (a database restart, a network cut), the writer opens a new one and
 * runs the transaction again if it broke before the commit was sent; until it can reconnect,
 * writes fail with {@code unavailable}.
 *
 * <p>With a {@link SearchIndexer} (SQLite), the thread also fills the full-text index, in
 * transactions of its own, when the queue has been empty for a moment or when the index has
 * fallen far behind; writes always go first otherwise.
 *
 * <p>{@link #close()} stops taking writes, lets the thread finish everything queued before,
 * and fails whatever raced with the close with {@code unavailable}.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    /** Tries of a transaction that fails for a passing reason. */
    static final int ATTEMPTS = 3;

    private final Supplier<Handle> connect;
    private final Dialect dialect;
    private Handle handle;
    /** Whether the last failed transaction failed while committing (it may have committed). */
    private boolean failedAtCommit;
    private final WriteContext ctx;
    private final int maxBatch;
    private final ChatMetrics metrics;
    private final LinkedBlockingQueue<WriteOp<?>> queue = new LinkedBlockingQueue<>();
    private final WriteOp<Void> stop = new WriteOp<>("stop") {
        @Override
        protected Void apply(WriteContext c) {
            return null;
        }
    };
    private final Thread thread;
    /** Background indexing, or null. */
    private final SearchIndexer indexer;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Opens the write connection with {@code connect} and starts the writer thread. The writer
     * owns the connections it opens and closes them; it calls {@code connect} again to replace
     * a broken one.
     *
     * @throws RuntimeException whatever {@code connect} throws, before any thread is started
     */
    public GroupCommitWriter(Supplier<Handle> connect, Dialect dialect, int maxBatch, String threadName) {
        this(connect, dialect, maxBatch, threadName, null, null);
    }

    /**
     * As {@link #GroupCommitWriter(Supplier, Dialect, int, String)}, reporting commits to
     * {@code metrics} (null for none) and filling the full-text index with {@code indexer} (null
     * for none) between writes.
     */
    public GroupCommitWriter(Supplier<Handle> connect, Dialect dialect, int maxBatch, String threadName,
                             ChatMetrics metrics, SearchIndexer indexer) {
        this.connect = connect;
        this.metrics = metrics == null ? ChatMetrics.none() : metrics;
        this.dialect = dialect;
        this.handle = connect.get();
        this.indexer = indexer;
        if (indexer != null) {
            try {
                indexer.open(handle);
            } catch (RuntimeException e) {
                closeHandle();
                throw e;
            }
        }
        this.ctx = new WriteContext(handle, dialect, indexer);
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a write.
     *
     * @return the write's future; failed with {@code unavailable} once the writer is closed
     */
    public <T> CompletableFuture<T> submit(WriteOp<T> op) {
        if (closed) {
            op.fail(StoreErrors.closed());
            return op.future();
        }
        if (Thread.currentThread() == thread) {
            // Called from a completion callback, between two batches: queuing and waiting
            // would wait for ourselves. Run it now in its own transaction.
            commit(List.of(op));
            return op.future();
        }
        queue.add(op);
        // close() may have drained the queue between our check and add; if our write is
        // still queued, nobody will run it.
        if (closed && queue.remove(op)) {
            op.fail(StoreErrors.closed());
        }
        return op.future();
    }

    private void run() {
        List<WriteOp<?>> batch = new ArrayList<>(maxBatch);
        boolean stopping = false;
        try {
            while (!stopping) {
                try {
                    WriteOp<?> first = next();
                    if (first == null) {
                        indexStep(); // nothing written for a moment: index
                        continue;
                    }
                    batch.add(first);
                } catch (InterruptedException e) {
                    // Nobody but close() should stop us, and it uses the stop marker.
                    log.warn("store writer interrupted; it keeps running until the store is closed");
                    continue;
                }
                queue.drainTo(batch, maxBatch - 1);
                stopping = batch.remove(stop);
                process(batch);
                batch.clear();
                if (!stopping && indexer != null && indexer.urgent()) {
                    indexStep(); // far behind under a steady stream of writes
                }
            }
        } finally {
            ctx.close();
            closeHandle();
        }
    }

    /** The next queued write; null when there is index work and no write came for a moment. */
    private WriteOp<?> next() throws InterruptedException {
        if (indexer != null && indexer.pending()) {
            return queue.poll(indexer.idleNanos(), TimeUnit.NANOSECONDS);
        }
        return queue.take();
    }

    private void indexStep() {
        WriteOp<Long> step = indexer.next();
        process(List.of(step));
        if (step.future().isCompletedExceptionally()) {
            indexer.stepFailed();
            step.future().exceptionally(e -> {
                log.warn("indexing new messages for search failed; trying again later", e);
                return null;
            });
        }
    }

    private void closeHandle() {
        if (handle == null) {
            return;
        }
        try {
            handle.close();
        } catch (RuntimeException e) {
            log.warn("closing the store's write connection failed", e);
        }
        handle = null;
    }

    /** Opens a new write connection if the last one was dropped; false when that fails. */
    private boolean connected() {
        if (handle != null) {
            return true;
        }
        try {
            handle = connect.get();
            ctx.use(handle);
            log.info("store writer reconnected to {}", dialect);
            return true;
        } catch (RuntimeException e) {
            log.warn("store writer cannot reconnect to {}: {}", dialect, e.toString());
            return false;
        }
    }

    /** After a failed transaction: drop the connection if it is no longer usable; true if dropped. */
    private boolean dropIfBroken() {
        boolean valid;
        try {
            valid = handle.getConnection().isValid(2);
        } catch (Exception e) {
            valid = false;
        }
        if (!valid) {
            log.warn("store write connection to {} is broken; opening a new one for the next write", dialect);
            ctx.rolledBack();
            closeHandle();
            return true;
        }
        return false;
    }

    private void process(List<WriteOp<?>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            if (!commit(batch) && batch.size() > 1) {
                for (WriteOp<?> op : batch) {
                    commit(List.of(op));
                }
            }
        } catch (Throwable e) { // keep the writer alive whatever happens; fail what is left
            log.error("store writer failed on a batch of {} writes", batch.size(), e);
            ChatException failure = new ChatException(ErrorCode.INTERNAL, "store writer failed", e);
            for (WriteOp<?> op : batch) {
                if (!op.future().isDone()) {
                    op.fail(failure);
                }
            }
        }
    }

    /**
     * Runs the ops in one transaction and completes them after commit; runs it again when it
     * failed for a passing reason.
     *
     * @return true when every op is completed or failed; false when the transaction failed and
     *         was rolled back (a single op is then already failed; several are left for the
     *         caller to retry one by one)
     */
    private boolean commit(List<WriteOp<?>> ops) {
        Exception failure = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (!connected()) {
                failure = null;
                break;
            }
            long started = System.nanoTime();
            failure = tryCommit(ops);
            if (failure == null) {
                metrics.storeCommitted(ops.size(), System.nanoTime() - started);
                ctx.committed();
                for (WriteOp<?> op : ops) {
                    op.complete();
                }
                return true;
            }
            boolean broken = handle != null && dropIfBroken();
            if (broken && failedAtCommit) {
                // The connection broke while committing: the transaction may or may not have been
                // applied. Running it again (or op by op) could apply it twice, so it fails.
                for (WriteOp<?> op : ops) {
                    op.fail(ChatException.unavailable(op.action() + " failed: the database connection broke"
                            + " while committing; the write may or may not be stored", failure));
                }
                return true;
            }
            // A transaction whose connection broke before COMMIT changed nothing: run it again
            // on a new connection.
            if (!broken && !isTransient(failure)) {
                break;
            }
            log.debug("transaction of {} writes failed for a passing reason (attempt {}); running it again",
                    ops.size(), attempt, failure);
        }
        if (ops.size() == 1) {
            WriteOp<?> op = ops.get(0);
            op.fail(failure == null
                    ? ChatException.unavailable(op.action() + " failed: no connection to the database", null)
                    : StoreErrors.translate(op.action(), failure));
        } else if (failure != null) {
            log.warn("group commit of {} writes failed; retrying them one by one", ops.size(), failure);
        }
        return false;
    }

    /** @return null when committed, else the failure (the transaction is rolled back) */
    private Exception tryCommit(List<WriteOp<?>> ops) {
        failedAtCommit = false;
        try {
            handle.begin();
            if (dialect.concurrentWriters()) {
                Set<String> appendsTo = new HashSet<>();
                for (WriteOp<?> op : ops) {
                    if (op.appendsTo() != null) {
                        appendsTo.add(op.appendsTo());
                    }
                }
                ctx.lockConversations(appendsTo);
            }
            for (WriteOp<?> op : ops) {
                op.stage(ctx);
            }
            ctx.flushConversations();
            failedAtCommit = true;
            handle.commit();
            failedAtCommit = false;
            return null;
        } catch (Exception e) {
            rollback();
            ctx.rolledBack();
            return e;
        }
    }

    private boolean isTransient(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && dialect.isTransient(sql)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private void rollback() {
        try {
            if (handle != null && handle.isInTransaction()) {
                handle.rollback();
            }
        } catch (RuntimeException e) {
            log.warn("rollback failed", e);
        }
    }

    /** Finishes every write queued before this call, then stops the thread. Idempotent. */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            closed = true;
            queue.add(stop);
        }
        if (Thread.currentThread() == thread) {
            return; // closed from a callback: the loop ends after this batch
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        WriteOp<?> late;
        while ((late = queue.poll()) != null) {
            if (late != stop) {
                late.fail(StoreErrors.closed());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
