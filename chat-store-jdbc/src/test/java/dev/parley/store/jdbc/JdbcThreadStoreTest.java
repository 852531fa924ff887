package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.spi.ChatStore;
import dev.parley.tck.ThreadStoreContract;
import dev.parley.core.spi.NewMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcThreadStoreTest extends ThreadStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(dir.resolve("chat.db"));
    }

    @Test
    void summariesAndCursorsSurviveAReopen() {
        Message root = store.append(new NewMessage(data.id("m"), group.id(), "alice", "c-root", new MessageBody("root"),
                null, data.now(), null), r -> { }).join().message();
        Message reply = store.append(new NewMessage(data.id("m"), group.id(), "bob", "c-reply", new MessageBody("r"),
                null, data.now(), null, null, List.of(), root.id()), r -> { }).join().message();
        store.advanceThreadRead(root.id(), "carol", reply.seq());
        store.close();

        store = openStore();
        assertThat(store.findMessage(root.id(), null).orElseThrow().thread().replyCount()).isEqualTo(1);
        assertThat(store.thread(root.id(), "carol").orElseThrow().readSeq()).isEqualTo(reply.seq());
        assertThat(store.threadHistory(root.id(), null, null, 10, null).messages()).containsExactly(reply);
    }
}
