package dev.parley.store.jdbc;

import dev.parley.core.local.InMemoryAccountStore;
import dev.parley.core.spi.AccountStore;

/** The reference implementation passes the same contract as the JDBC store. */
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
