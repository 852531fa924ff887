package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Conversation;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.spi.AppendResult;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.NewMessage;
import dev.parley.tck.ChatStoreContract;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's {@link ChatStoreContract} on SQLite, and what only the JDBC store promises. */
class JdbcChatStoreTest extends ChatStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(dir.resolve("chat.db"));
    }

    @Test
    void commitCallbackRunsOnTheWriterThread() {
        Conversation group = data.createGroup(store, "alice");
        List<String> seen = new CopyOnWriteArrayList<>();

        CompletableFuture<AppendResult> f = store.append(data.message(group.id(), "alice", "c-1"),
                r -> seen.add(Thread.currentThread().getName() + ":" + r.message().seq()));

        assertThat(f.join().message().seq()).isEqualTo(1);
        assertThat(seen).containsExactly("parley-store-writer:1");
    }

    @Test
    void timesAreKeptToTheMillisecondAndReturnedAsStored() {
        Conversation group = data.createGroup(store, "alice");
        NewMessage draft = new NewMessage("m-1", group.id(), "alice", "c-1", new MessageBody("hi"), null,
                data.now().plusNanos(123_456));

        Message stored = store.append(draft, r -> { }).join().message();

        assertThat(stored.createdAt()).isEqualTo(data.now());
        assertThat(store.history(group.id(), null, null, 10).messages()).containsExactly(stored);
    }
}
