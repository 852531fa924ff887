package dev.parley.store.jdbc;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.SystemMentionsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link SystemMentionsContract} on PostgreSQL. */
class PgSystemMentionsTest extends SystemMentionsContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    @Override
    protected ChatStore openStore() {
        return pg.builder().build();
    }
}
