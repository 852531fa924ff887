package dev.parley.store.jdbc;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.SocialStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link SocialStoreContract} on PostgreSQL. */
class PgSocialStoreTest extends SocialStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }
}
