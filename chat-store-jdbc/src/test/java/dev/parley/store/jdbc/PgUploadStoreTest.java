package dev.parley.store.jdbc;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.UploadStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link UploadStoreContract} on PostgreSQL. */
class PgUploadStoreTest extends UploadStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }
}
