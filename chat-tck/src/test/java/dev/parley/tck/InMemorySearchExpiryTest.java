package dev.parley.tck;

import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.ChatStore;

/** The reference implementation passes the kit it is the reference for. */
class InMemorySearchExpiryTest extends SearchExpiryContract {
    @Override
    protected ChatStore openStore() {
        return new InMemoryChatStore();
    }
}
