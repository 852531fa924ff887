package dev.parley.tck;

import dev.parley.core.Conversation;
import dev.parley.core.spi.ChatStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The lifecycle shared by the contracts that start from a group of three: before each test it
 * calls {@link #openStore()} once, keeps the result in {@link #store}, stores the users alice,
 * bob and carol and {@link #group} with the three of them; after each test it closes {@link
 * #store}. So {@code openStore()} must return an empty store every time: a new in-memory
 * instance, or a database that was emptied (a new file, a new or truncated schema). A subclass
 * may call {@code openStore()} again to check what survives a reopen: close the old store first
 * and assign the new one to {@link #store}, which the contract then closes.
 *
 * @since 0.1.0
 */
public abstract class GroupOfThreeContract {
    /** One minute after {@link StoreFixtures#T0}. */
    protected static final Instant T1 = StoreFixtures.T0.plusSeconds(60);
    /** Two minutes after {@link StoreFixtures#T0}. */
    protected static final Instant T2 = StoreFixtures.T0.plusSeconds(120);

    /** Values and the clock of this test. */
    protected final StoreFixtures data = new StoreFixtures();
    /** The store under test, opened before each test. */
    protected ChatStore store;
    /** The group of alice, bob and carol stored before each test. */
    protected Conversation group;

    /** A new, empty store; called before every test (see the lifecycle above). */
    protected abstract ChatStore openStore();

    @BeforeEach
    protected final void openContractStore() {
        store = openStore();
        for (String u : List.of("alice", "bob", "carol")) {
            store.putUser(data.user(u));
        }
        group = data.createGroup(store, "alice", "bob", "carol");
    }

    @AfterEach
    protected final void closeContractStore() {
        store.close();
    }
}
