package dev.parley.store.jdbc;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.GroupStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link GroupStoreContract} on PostgreSQL. */
class PgGroupStoreTest extends GroupStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }
}
