package dev.parley.store.jdbc;

/**
 * How hard SQLite syncs a commit to disk (its {@code PRAGMA synchronous}, in WAL mode).
 *
 * @since 0.1.0
 */
public enum Synchronous {
    /**
     * Every commit is synced before {@code append} completes: an acknowledged message survives
     * a power loss. The default.
     */
    FULL,
    /**
     * Commits are synced at checkpoints only: faster, and the database stays consistent, but
     * the last acknowledged messages may be lost on a power loss (not on a process crash).
     */
    NORMAL
}
