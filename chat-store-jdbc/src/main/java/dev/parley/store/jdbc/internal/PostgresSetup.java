package dev.parley.store.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.parley.store.jdbc.Synchronous;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Opens a PostgreSQL database the way the store uses it: schema (created if missing) migrated
 * by Flyway, which serializes migrations of several nodes with an advisory lock; one write
 * connection (application name {@code parley-writer <schema>}) with {@code lock_timeout} and, for
 * {@link Synchronous#NORMAL},
 * {@code synchronous_commit = off}; a pool of read-only, repeatable-read connections, so a read
 * of several statements sees one snapshot.
 */
public final class PostgresSetup implements DatabaseSetup {
    private final DataSource dataSource;
    private final String description;
    private final String schema;
    private final Synchronous synchronous;
    private final Duration lockTimeout;

    /**
     * @param schema      the schema to work in, a plain lower-case identifier checked by the
     *                    builder, or null for the connection's default ({@code search_path})
     * @param description where the database is, without credentials
     */
    public PostgresSetup(DataSource dataSource, String description, String schema, Synchronous synchronous,
                         Duration lockTimeout) {
        this.dataSource = dataSource;
        this.description = description;
        this.schema = schema;
        this.synchronous = synchronous;
        this.lockTimeout = lockTimeout;
    }

    @Override
    public Dialect dialect() {
        return Dialect.POSTGRESQL;
    }

    @Override
    public String describe() {
        return schema == null ? description : description + " (schema " + schema + ")";
    }

    @Override
    public void migrate() {
        var config = Flyway.configure(PostgresSetup.class.getClassLoader())
                .dataSource(dataSource)
                .locations(Dialect.POSTGRESQL.migrations())
                .failOnMissingLocations(true);
        if (schema != null) {
            config.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        config.load().migrate();
    }

    @Override
    public Handle openWriter() {
        Connection c = null;
        try {
            c = dataSource.getConnection();
            try (Statement s = c.createStatement()) {
                if (schema != null) {
                    s.execute(searchPath());
                }
                // Lets an operator tell the writer of each store apart in pg_stat_activity.
                s.execute("SET application_name = 'parley-writer" + (schema == null ? "" : " " + schema) + "'");
                // PostgreSQL's 0 means "wait forever"; SQLite's busy timeout 0 means "do not wait".
                s.execute("SET lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
                if (synchronous == Synchronous.NORMAL) {
                    // Like SQLite's NORMAL: a crash of the server may lose the last commits, never corrupts.
                    s.execute("SET synchronous_commit = off");
                }
            }
            c.setAutoCommit(true);
            return Jdbi.open(c);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException("cannot open a write connection to " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public HikariDataSource openReaders(int size, String poolName) {
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(dataSource);
        hikari.setPoolName(poolName);
        hikari.setMaximumPoolSize(size);
        hikari.setMinimumIdle(size);
        hikari.setReadOnly(true);
        hikari.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
        if (schema != null) {
            hikari.setConnectionInitSql(searchPath());
        }
        hikari.setThreadFactory(DatabaseSetup.threads(poolName));
        return new HikariDataSource(hikari);
    }

    /** The schema is a checked plain identifier; quoting keeps it exactly as given. */
    private String searchPath() {
        return "SET search_path TO \"" + schema + "\"";
    }
}
