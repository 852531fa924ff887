package dev.parley.tck;

import dev.parley.core.local.InMemoryAccountStore;
import dev.parley.core.spi.AccountStore;

/** The reference implementation passes the kit it is the reference for. */
class InMemoryAccountStoreTest extends AccountStoreContract {
    @Override
    protected AccountStore openStore() {
        return new InMemoryAccountStore();
    }

    @Override
    protected void createUser(String userId) {
        // accounts in memory do not refer to chat users
    }
}
