package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Conversation;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.ExtensionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChatStore} does with {@link ExtensionStore} data: named values per
 * conversation and single-use claims.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}, which
 * must return an empty store every time; the contract closes {@link #store} after each test.
 *
 * @since 0.1.0
 */
public abstract class ExtensionStoreContract {
    protected final StoreFixtures data = new StoreFixtures();
    protected ChatStore store;
    protected Conversation group;

    protected abstract ChatStore openStore();

    @BeforeEach
    protected final void openContractStore() {
        store = openStore();
        for (String u : List.of("alice", "bob")) {
            store.putUser(data.user(u));
        }
        group = data.createGroup(store, "alice", "bob");
    }

    @AfterEach
    protected final void closeContractStore() {
        store.close();
    }

    @Test
    void conversationValuesAreSetReplacedListedAndDeleted() {
        assertThat(store.conversationExtension(group.id(), "x.gate")).isEmpty();

        store.putConversationExtension(group.id(), "x.gate", "{\"min\":1}");
        store.putConversationExtension(group.id(), "x.gate", "{\"min\":2}");
        store.putConversationExtension(group.id(), "x.other", "o");

        assertThat(store.conversationExtension(group.id(), "x.gate")).contains("{\"min\":2}");
        assertThat(store.conversationExtensions("x.gate")).isEqualTo(Map.of(group.id(), "{\"min\":2}"));
        assertThat(store.deleteConversationExtension(group.id(), "x.gate")).isTrue();
        assertThat(store.deleteConversationExtension(group.id(), "x.gate")).isFalse();
        assertThat(store.conversationExtension(group.id(), "x.gate")).isEmpty();
        assertThat(store.conversationExtension(group.id(), "x.other")).contains("o");
    }

    @Test
    void aKeyIsClaimedOncePerNamespaceUntilReleased() {
        assertThat(store.claim("tips:1", "0xabc", "alice", data.now())).isTrue();
        assertThat(store.claim("tips:1", "0xabc", "bob", data.now())).isFalse();
        assertThat(store.claim("tips:5", "0xabc", "bob", data.now())).isTrue();

        assertThat(store.releaseClaim("tips:1", "0xabc")).isTrue();
        assertThat(store.releaseClaim("tips:1", "0xabc")).isFalse();
        assertThat(store.claim("tips:1", "0xabc", "bob", data.now())).isTrue();
    }

    @Test
    void concurrentClaimsOfOneKeyHaveOneWinner() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> claims = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String claimant = "user" + i;
                claims.add(() -> store.claim("tips:1", "0xdef", claimant, data.now()));
            }
            int winners = 0;
            for (Future<Boolean> f : pool.invokeAll(claims)) {
                winners += f.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }
}
