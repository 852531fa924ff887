package dev.parley.tck;

import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.ChatStore;

/** The reference implementation passes the same contract as the JDBC store. */
class InMemoryExtensionStoreTest extends ExtensionStoreContract {
    @Override
    protected ChatStore openStore() {
        return new InMemoryChatStore();
    }
}
