package dev.parley.store.jdbc.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;

/** How the store opens its database: migrations, the one write connection, the read pool. */
public interface DatabaseSetup {
    Dialect dialect();

    /** Where the database is, for messages; never includes a password. */
    String describe();

    /** Brings the schema up to date. Safe to run on every open, and from several nodes at once. */
    void migrate();

    /** A new write connection, configured; the caller owns it. */
    Handle openWriter();

    /** A pool of {@code size} read connections. */
    HikariDataSource openReaders(int size, String poolName);

    /** Daemon threads named {@code prefix-n}, for the pools' housekeeping. */
    static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + '-' + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
