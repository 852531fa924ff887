package dev.parley.store.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.jdbc.Synchronous;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * Opens an SQLite database file the way the store uses it: WAL journal, foreign keys on,
 * a busy timeout, schema migrated by Flyway; one write connection (immediate transactions,
 * the configured {@code synchronous}) and a pool of query-only read connections.
 */
public final class SqliteSetup implements DatabaseSetup {
    /** Page cache of the writer: appends spread over many conversations touch many pages. */
    private static final int WRITER_CACHE_KIB = 32 * 1024;
    /**
     * WAL pages after which a commit copies the log back into the database (SQLite's default is
     * 1,000). The checkpoint runs on the writer thread inside a commit; a page that appends hit
     * many times (a conversation's newest leaf, the conversations table) is copied once per
     * checkpoint, so checkpointing a tenth as often copies far fewer pages per message. The
     * log grows to about 40 MB (4 KiB pages) before it is reused.
     */
    static final int WAL_CHECKPOINT_PAGES = 10_000;

    private final Path file;
    private final Synchronous synchronous;
    private final int busyTimeoutMillis;

    public SqliteSetup(Path file, Synchronous synchronous, int busyTimeoutMillis) {
        this.file = file.toAbsolutePath();
        this.synchronous = synchronous;
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    String url() {
        return "jdbc:sqlite:" + file;
    }

    @Override
    public Dialect dialect() {
        return Dialect.SQLITE;
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public void migrate() {
        Flyway.configure(SqliteSetup.class.getClassLoader())
                .dataSource(writerDataSource())
                .locations(Dialect.SQLITE.migrations())
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /** The one connection that writes. Transactions take the write lock up front (BEGIN IMMEDIATE). */
    @Override
    public Handle openWriter() {
        Handle h = Jdbi.open(writerDataSource());
        // A statement, not SQLiteConfig.Pragma.WAL_AUTOCHECKPOINT: that constant exists only in
        // newer sqlite-jdbc releases, and applications (Spring Boot's dependency management, say)
        // may bring an older one.
        h.execute("PRAGMA wal_autocheckpoint = " + WAL_CHECKPOINT_PAGES);
        return h;
    }

    /** A pool of read connections; {@code PRAGMA query_only} guards against a write sneaking in. */
    @Override
    public HikariDataSource openReaders(int size, String poolName) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMillis);
        config.enforceForeignKeys(true);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(ds);
        hikari.setPoolName(poolName);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        hikari.setConnectionInitSql("PRAGMA query_only = ON");
        hikari.setThreadFactory(DatabaseSetup.threads(poolName));
        return new HikariDataSource(hikari);
    }

    private SQLiteDataSource writerDataSource() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronous == Synchronous.FULL
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(busyTimeoutMillis);
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setCacheSize(-WRITER_CACHE_KIB);
        // Deleted messages are erased, not just flagged: overwrite freed cell content with
        // zeros where that costs no extra I/O (FAST). Old page images can still sit in the
        // WAL until a checkpoint reuses it.
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "FAST");
        // The store never asks for generated keys. With this on (the driver's default), every
        // INSERT also matched a regex and prepared and ran "SELECT last_insert_rowid()".
        config.setGetGeneratedKeys(false);
        // Only the writer thread uses this connection (opened by the thread that starts the
        // writer, then handed to it), so SQLite's own per-connection mutex, taken and released
        // around every API call (each bind, step and column read), only costs time.
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url());
        return ds;
    }
}
