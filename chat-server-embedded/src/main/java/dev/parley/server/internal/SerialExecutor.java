package dev.parley.server.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared pool: one lane per socket keeps
 * that socket's commands in order while different sockets run concurrently. A lane gives its
 * thread back after a batch so that one busy socket cannot hold a worker forever.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private static final int BATCH = 32;

    private final Executor pool;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(2); // one per socket: small until used
    private boolean scheduled;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
    }

    /**
     * @throws RejectedExecutionException when the pool refuses work (it was shut down)
     */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            tasks.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        schedule();
    }

    private void schedule() {
        try {
            pool.execute(this::drain);
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                scheduled = false;
                tasks.clear();
            }
            throw e;
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task;
            synchronized (this) {
                task = tasks.poll();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                log.error("task failed on a connection lane", e);
            }
        }
        try {
            schedule();
        } catch (RejectedExecutionException e) {
            log.debug("worker pool shut down; dropped the rest of a connection lane");
        }
    }
}
