package dev.parley.store.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.jdbc.Synchronous;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens an SQLite database file the way the store uses it: WAL journal, foreign keys on,
 * a busy timeout, schema migrated by Flyway; one write connection (immediate transactions,
 * the configured {@code synchronous}) and a pool of query-only read connections.
 */
public final class SqliteSetup {
    /** Flyway location of the SQLite dialect; a PostgreSQL dialect goes to {@code db/migration/postgresql}. */
    static final String MIGRATIONS = "classpath:db/migration/sqlite";
    /** Page cache of the writer: appends spread over many conversations touch many pages. */
    private static final int WRITER_CACHE_KIB = 32 * 1024;

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

    /** Brings the schema up to date. Safe to run on every open. */
    public void migrate() {
        Flyway.configure(SqliteSetup.class.getClassLoader())
                .dataSource(writerDataSource())
                .locations(MIGRATIONS)
                .failOnMissingLocations(true)
                .load()
                .migrate();
    }

    /** The one connection that writes. Transactions take the write lock up front (BEGIN IMMEDIATE). */
    public Handle openWriter() {
        return Jdbi.open(writerDataSource());
    }

    /** A pool of read connections; {@code PRAGMA query_only} guards against a write sneaking in. */
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
        hikari.setThreadFactory(threads(poolName));
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
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url());
        return ds;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + '-' + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
