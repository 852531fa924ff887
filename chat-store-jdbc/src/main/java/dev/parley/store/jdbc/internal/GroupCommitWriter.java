package dev.parley.store.jdbc.internal;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>{@link #close()} stops taking writes, lets the thread finish everything queued before,
 * and fails whatever raced with the close with {@code unavailable}.
 */
public final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final Handle handle;
    private final WriteContext ctx;
    private final int maxBatch;
    private final LinkedBlockingQueue<WriteOp<?>> queue = new LinkedBlockingQueue<>();
    private final WriteOp<Void> stop = new WriteOp<>("stop") {
        @Override
        protected Void apply(WriteContext c) {
            return null;
        }
    };
    private final Thread thread;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Starts the writer thread. The writer owns {@code handle} and closes it when it stops.
     */
    public GroupCommitWriter(Handle handle, int maxBatch, String threadName) {
        this.handle = handle;
        this.ctx = new WriteContext(handle);
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
                    batch.add(queue.take());
                } catch (InterruptedException e) {
                    // Nobody but close() should stop us, and it uses the stop marker.
                    log.warn("store writer interrupted; it keeps running until the store is closed");
                    continue;
                }
                queue.drainTo(batch, maxBatch - 1);
                stopping = batch.remove(stop);
                process(batch);
                batch.clear();
            }
        } finally {
            ctx.close();
            try {
                handle.close();
            } catch (RuntimeException e) {
                log.warn("closing the store's write connection failed", e);
            }
        }
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
     * Runs the ops in one transaction and completes them after commit.
     *
     * @return false when the transaction failed and was rolled back (a single op is then
     *         already failed; several are left for the caller to retry one by one)
     */
    private boolean commit(List<WriteOp<?>> ops) {
        try {
            handle.begin();
            for (WriteOp<?> op : ops) {
                op.stage(ctx);
            }
            ctx.flushConversations();
            handle.commit();
        } catch (Exception e) {
            rollback();
            ctx.rolledBack();
            if (ops.size() == 1) {
                ops.get(0).fail(StoreErrors.translate(ops.get(0).action(), e));
            } else {
                log.warn("group commit of {} writes failed; retrying them one by one", ops.size(), e);
            }
            return false;
        }
        ctx.committed();
        for (WriteOp<?> op : ops) {
            op.complete();
        }
        return true;
    }

    private void rollback() {
        try {
            if (handle.isInTransaction()) {
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
