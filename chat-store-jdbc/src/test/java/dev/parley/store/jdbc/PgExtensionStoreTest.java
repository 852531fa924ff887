package dev.parley.store.jdbc;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.ExtensionStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link ExtensionStoreContract} on PostgreSQL (schema V10). */
class PgExtensionStoreTest extends ExtensionStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }
}
