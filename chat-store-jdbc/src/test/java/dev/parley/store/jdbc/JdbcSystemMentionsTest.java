package dev.parley.store.jdbc;

import dev.parley.core.spi.ChatStore;
import dev.parley.tck.SystemMentionsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class JdbcSystemMentionsTest extends SystemMentionsContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(dir.resolve("chat.db"));
    }
}
