package dev.parley.client.internal;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor. A task that throws
 * is logged and the next one runs. After a batch the drain hands its thread back to the
 * delegate, so one busy lane cannot starve others sharing a small pool. Once the delegate
 * rejects work (it was shut down), queued tasks run on the submitting thread, so that no
 * future is left incomplete.
 */
public final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private static final int BATCH = 256;

    private final Executor delegate;
    private final String name;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean scheduled;

    public SerialExecutor(Executor delegate, String name) {
        this.delegate = delegate;
        this.name = name;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (tasks) {
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
            delegate.execute(this::drain);
        } catch (RejectedExecutionException e) {
            log.debug("{}: executor rejected work; running callbacks on {}", name, Thread.currentThread().getName());
            drainAll();
        }
    }

    private void drainAll() {
        while (true) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    scheduled = false;
                    return;
                }
            }
            runGuarded(next);
        }
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            log.warn("{}: callback threw; ignored", name, t);
        }
    }

    private void drain() {
        for (int i = 0; i < BATCH; i++) {
            Runnable next;
            synchronized (tasks) {
                next = tasks.poll();
                if (next == null) {
                    scheduled = false;
                    return;
                }
            }
            runGuarded(next);
        }
        schedule();
    }
}
