package dev.parley.store.jdbc;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.ThreadStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link ThreadStoreContract} on PostgreSQL. */
class PgThreadStoreTest extends ThreadStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }
}
