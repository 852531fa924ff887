package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.ExtensionStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's {@link ExtensionStoreContract} on SQLite (schema V10). */
class JdbcExtensionStoreTest extends ExtensionStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(dir.resolve("chat.db"));
    }

    @Test
    void valuesAndClaimsSurviveAReopen() {
        store.putConversationExtension(group.id(), "x.gate", "v");
        store.claim("tips:1", "0x1", "alice", data.now());
        store.close();

        store = openStore();
        assertThat(store.conversationExtension(group.id(), "x.gate")).contains("v");
        assertThat(store.claim("tips:1", "0x1", "bob", data.now())).isFalse();
    }
}
