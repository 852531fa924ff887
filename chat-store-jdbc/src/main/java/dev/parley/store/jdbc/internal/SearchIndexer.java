package dev.parley.store.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import org.jdbi.v3.core.Handle;

/**
 * Fills SQLite's full-text index ({@code messages_fts}) behind the appends (schema V9), on the
 * writer thread, in transactions of its own: appends commit without indexing, and the index
 * catches up in steps of up to {@code stepRows} rows (by {@code search_rowid}, above the
 * watermark {@code search_index.indexed_upto}). Indexing a few thousand rows at once costs a
 * fraction of indexing them a group commit at a time (FTS5 writes a segment per transaction and
 * merges them later).
 *
 * <p>Priority: appends first. The writer runs a step when no write has arrived for
 * {@code idle}, or when the index is {@code urgentLag} rows behind even though writes keep
 * coming (so it never falls behind without bound), and then goes back to the queue.
 *
 * <p>Search stays exact: {@link #behind()} tells whether a row committed by this store is not
 * indexed yet, and a search then first runs {@link #catchUp()} through the writer, which indexes
 * everything committed before it. After a crash the tail above the watermark is simply
 * indexed on the next open (the counters are read from the database by {@link #open}).
 *
 * <p>The counters here are hints for scheduling; what is indexed is decided inside each
 * step's transaction from the watermark row, so a stale hint costs an empty step, never a
 * missing or double entry.
 */
public final class SearchIndexer {
    private static final long RETRY_NANOS = Duration.ofSeconds(1).toNanos();

    private final long idleNanos;
    private final long urgentLag;
    private final long stepRows;
    /** Highest search_rowid this store's writer has committed (written on the writer thread only). */
    private volatile long appended;
    /** The watermark as last committed (written on the writer thread only). */
    private volatile long indexed;
    /** After a failed step, no idle step before this time ({@link System#nanoTime()}). */
    private long quietUntil;
    private boolean failed;

    /**
     * @param idle      how long the writer's queue must stay empty before a step runs
     * @param urgentLag rows behind at which a step runs even while writes keep coming
     * @param stepRows  most rows one background step indexes
     */
    public SearchIndexer(Duration idle, long urgentLag, long stepRows) {
        if (idle.isNegative() || urgentLag < 1 || stepRows < 1) {
            throw new IllegalArgumentException("idle >= 0, urgentLag >= 1, stepRows >= 1: " + idle + ", "
                    + urgentLag + ", " + stepRows);
        }
        this.idleNanos = idle.toNanos();
        this.urgentLag = urgentLag;
        this.stepRows = stepRows;
    }

    /** Reads the watermark and the newest row, on the writer's connection before its thread starts. */
    void open(Handle handle) {
        indexed = handle.createQuery("SELECT indexed_upto FROM search_index WHERE id = 1").mapTo(Long.class).one();
        appended = Math.max(indexed,
                handle.createQuery("SELECT coalesce(max(search_rowid), 0) FROM messages").mapTo(Long.class).one());
    }

    /** Whether a row this store committed may be missing from the index. */
    public boolean behind() {
        return appended > indexed;
    }

    /**
     * A write that indexes every row committed before it (or earlier in its own transaction).
     * Run through the writer before a search when {@link #behind()}.
     */
    public WriteOp<Long> catchUp() {
        return step("catchUpSearchIndex", Long.MAX_VALUE);
    }

    long idleNanos() {
        return idleNanos;
    }

    /** Whether there is anything to index now (the writer waits {@link #idleNanos()} for writes first). */
    boolean pending() {
        return behind() && (!failed || System.nanoTime() - quietUntil >= 0);
    }

    /** Whether a step must run even though writes are queued. */
    boolean urgent() {
        return appended - indexed >= urgentLag && !failed;
    }

    /** The next background step. */
    WriteOp<Long> next() {
        return step("indexSearch", stepRows);
    }

    /** After a background step failed: let appends go on, try again a little later. */
    void stepFailed() {
        failed = true;
        quietUntil = System.nanoTime() + RETRY_NANOS;
    }

    /** After a commit that inserted messages up to {@code searchRowid}; writer thread. */
    void appended(long searchRowid) {
        if (searchRowid > appended) {
            appended = searchRowid;
        }
    }

    private WriteOp<Long> step(String action, long maxRows) {
        return new WriteOp<>(action) {
            private long appendedBefore;
            private long top;

            @Override
            protected Long apply(WriteContext ctx) throws SQLException {
                appendedBefore = appended;
                Handle h = ctx.handle();
                long from = h.createQuery("SELECT indexed_upto FROM search_index WHERE id = 1").mapTo(Long.class).one();
                top = h.createQuery("SELECT coalesce(max(search_rowid), 0) FROM messages").mapTo(Long.class).one();
                long to = top - from > maxRows ? from + maxRows : top;
                if (to <= from) {
                    top = from;
                    return from;
                }
                try (PreparedStatement ps = h.getConnection().prepareStatement("INSERT INTO messages_fts (rowid, body_text)"
                        + " SELECT search_rowid, body_text FROM messages WHERE search_rowid > ? AND search_rowid <= ?")) {
                    ps.setLong(1, from);
                    ps.setLong(2, to);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = h.getConnection().prepareStatement(
                        "UPDATE search_index SET indexed_upto = ? WHERE id = 1")) {
                    ps.setLong(1, to);
                    ps.executeUpdate();
                }
                return to;
            }

            @Override
            protected void committed(Long to) {
                failed = false;
                // Caught up with everything this transaction saw: appends committed before it
                // are in; rows only this store's hint knew of (none, normally) are not pending.
                indexed = to == top ? Math.max(to, appendedBefore) : to;
            }
        };
    }
}
