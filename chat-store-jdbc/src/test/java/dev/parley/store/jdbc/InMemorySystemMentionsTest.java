package dev.parley.store.jdbc;

import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.ChatStore;

/** The reference implementation passes the same contract as the JDBC store. */
class InMemorySystemMentionsTest extends SystemMentionsContract {
    @Override
    protected ChatStore openStore() {
        return new InMemoryChatStore();
    }
}
