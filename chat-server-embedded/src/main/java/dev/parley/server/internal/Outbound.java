package dev.parley.server.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * One socket's bounded outbound queue with at most one asynchronous write in flight; the next
 * frames are written when the previous write completes. A write takes every frame waiting, up
 * to the writer's batch size, so a socket that fell behind catches up in fewer socket writes
 * (with a batch size of 1, frames go one by one). A full queue means the client reads
 * slower than it is sent to: the queue then reports an overflow (the connection closes with
 * 4503) instead of growing. Thread-safe: frames are offered from any thread; offering only
 * queues, the writes start on the {@code writeExecutor} (so that the store's commit thread,
 * which publishes events, never writes to sockets) and continue on write completions.
 */
public final class Outbound {

    /** Writes text frames, in order, asynchronously, and reports completion once after the last ({@code null} on success). */
    @FunctionalInterface
    public interface FrameWriter {
        void write(List<TextFrame> frames, Consumer<Throwable> completion);
    }

    private record CloseRequest(int code, String reason) {
    }

    private record Source(Iterator<String> frames, Runnable done) {
    }

    private final int max;
    private final int maxBatch;
    private final Executor writeExecutor;
    private final FrameWriter writer;
    private final IntConsumer onOverflow;
    private final BiConsumer<Integer, String> onCloseRequest;
    private final Consumer<Throwable> onWriteFailure;
    /** Small at first (most sockets are idle most of the time); grows as frames wait. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>(2);
    private boolean inFlight;
    private boolean pumpScheduled;
    private boolean held;
    private final ArrayDeque<Source> sources = new ArrayDeque<>(1);
    private boolean closed;

    /**
     * @param max            frames that may wait (those being written not counted)
     * @param maxBatch       most frames handed to {@code writer} at once (at least 1)
     * @param writeExecutor  where writes start after frames are offered (must not block for long)
     * @param writer         the socket's asynchronous writer
     * @param onOverflow     called once, outside the lock, when a frame did not fit, with the number
     *                       of frames dropped (that one and those that were waiting)
     * @param onCloseRequest called when a close queued by {@link #enqueueClose} is reached
     * @param onWriteFailure called when a write fails
     */
    public Outbound(int max, int maxBatch, Executor writeExecutor, FrameWriter writer, IntConsumer onOverflow,
                    BiConsumer<Integer, String> onCloseRequest, Consumer<Throwable> onWriteFailure) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1: " + maxBatch);
        }
        this.max = max;
        this.maxBatch = maxBatch;
        this.writeExecutor = writeExecutor;
        this.writer = writer;
        this.onOverflow = onOverflow;
        this.onCloseRequest = onCloseRequest;
        this.onWriteFailure = onWriteFailure;
    }

    /**
     * Queues a frame.
     *
     * @return false when the queue is closed or overflowed (the frame was dropped)
     */
    public boolean enqueue(String frame) {
        return enqueue(new TextFrame(frame));
    }

    /**
     * Queues a frame that may be shared with other queues (a broadcast, encoded once).
     *
     * @return false when the queue is closed or overflowed (the frame was dropped)
     */
    public boolean enqueue(TextFrame frame) {
        int dropped = 0;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue.size() >= max) {
                closed = true;
                for (Object waiting : queue) {
                    if (waiting instanceof TextFrame) {
                        dropped++;
                    }
                }
                dropped++; // this frame
                queue.clear();
                sources.clear();
            } else {
                queue.add(frame);
                frame = null;
            }
        }
        if (frame != null) {
            onOverflow.accept(dropped);
            return false;
        }
        schedulePump();
        return true;
    }

    /** Queues a close: the frames queued before it are written first. */
    public void enqueueClose(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            queue.add(new CloseRequest(code, reason));
        }
        schedulePump();
    }

    /**
     * Queues many frames with back-pressure: keeps the queue at most half full with them (the
     * rest is left for live traffic) and adds more as writes complete; runs {@code done} once
     * every frame is queued. If the queue closes first, {@code done} never runs.
     */
    public void enqueueAll(Iterator<String> frames, Runnable done) {
        synchronized (this) {
            if (closed) {
                return;
            }
            sources.add(new Source(frames, done));
        }
        schedulePump();
    }

    /** Drops everything queued; later frames are refused. Idempotent. */
    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
            sources.clear();
        }
    }

    public synchronized int size() {
        return queue.size();
    }

    /**
     * Starts no write until {@link #release()}; frames offered meanwhile queue behind those
     * already queued (a write in flight completes). For a reply that must not reach the client
     * before the server is ready for what the client does next: the hello reply before the
     * socket joins the fan-out.
     */
    public void hold() {
        synchronized (this) {
            held = true;
        }
    }

    /** Ends {@link #hold()}: what queued meanwhile is written, starting on the write executor. */
    public void release() {
        synchronized (this) {
            held = false;
        }
        schedulePump();
    }

    private void schedulePump() {
        synchronized (this) {
            if (pumpScheduled || inFlight || held || closed) {
                return; // a scheduled pump or the write completion picks the frame up
            }
            pumpScheduled = true;
        }
        try {
            writeExecutor.execute(this::scheduledPump);
        } catch (RejectedExecutionException e) {
            scheduledPump();
        }
    }

    private void scheduledPump() {
        synchronized (this) {
            pumpScheduled = false;
        }
        pump();
    }

    private void pump() {
        while (true) {
            Object next = null;
            List<TextFrame> batch = null;
            List<Runnable> finished;
            synchronized (this) {
                if (closed) {
                    return;
                }
                finished = topUp();
                if (!inFlight && !held) {
                    next = queue.poll();
                    if (next instanceof CloseRequest) {
                        closed = true;
                        queue.clear();
                        sources.clear();
                    } else if (next != null) {
                        inFlight = true;
                        batch = takeBatch((TextFrame) next);
                    }
                }
            }
            finished.forEach(Runnable::run);
            if (next == null) {
                if (finished.isEmpty()) {
                    return;
                }
                continue; // a finished source may have queued its follow-up
            }
            if (next instanceof CloseRequest close) {
                onCloseRequest.accept(close.code(), close.reason());
                return;
            }
            WriteState state = new WriteState();
            try {
                writer.write(batch, failure -> written(state, failure));
            } catch (RuntimeException e) {
                written(state, e); // the container refused the write (e.g. the socket is closing)
                return;
            }
            synchronized (this) {
                state.returned = true;
                if (!state.completed) {
                    return; // the completion continues the pump
                }
            }
            // Completed inline: loop instead of recursing, so a fast socket cannot overflow the stack.
        }
    }

    /** {@code first} and the frames waiting behind it, up to the batch size and not past a close (holds the lock). */
    private List<TextFrame> takeBatch(TextFrame first) {
        if (maxBatch == 1 || !(queue.peek() instanceof TextFrame)) {
            return List.of(first);
        }
        List<TextFrame> batch = new ArrayList<>(Math.min(maxBatch, queue.size() + 1));
        batch.add(first);
        while (batch.size() < maxBatch && queue.peek() instanceof TextFrame frame) {
            queue.poll();
            batch.add(frame);
        }
        return batch;
    }

    /** Moves frames from back-pressured sources into the queue; returns the sources' completions. */
    private List<Runnable> topUp() {
        List<Runnable> finished = List.of();
        int limit = Math.max(1, max / 2);
        while (!sources.isEmpty()) {
            Source source = sources.peek();
            while (source.frames().hasNext() && queue.size() < limit) {
                queue.add(new TextFrame(source.frames().next()));
            }
            if (source.frames().hasNext()) {
                break;
            }
            sources.poll();
            if (finished.isEmpty()) {
                finished = new ArrayList<>();
            }
            finished.add(source.done());
        }
        return finished;
    }

    private void written(WriteState state, Throwable failure) {
        boolean continuePump;
        synchronized (this) {
            inFlight = false;
            state.completed = true;
            continuePump = state.returned;
        }
        if (failure != null) {
            close();
            onWriteFailure.accept(failure);
            return;
        }
        if (continuePump) {
            pump();
        }
    }

    private static final class WriteState {
        boolean returned;
        boolean completed;
    }
}
