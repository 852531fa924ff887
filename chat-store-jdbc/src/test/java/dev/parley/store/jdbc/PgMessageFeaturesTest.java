package dev.parley.store.jdbc;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.MessageFeaturesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link MessageFeaturesContract} on PostgreSQL. */
class PgMessageFeaturesTest extends MessageFeaturesContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }
}
