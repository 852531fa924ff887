package dev.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.AttachmentKind;
import dev.parley.core.Message;
import dev.parley.core.Upload;
import dev.parley.core.spi.ChatStore;
import dev.parley.tck.UploadStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcUploadStoreTest extends UploadStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ChatStore openStore() {
        return JdbcChatStore.sqlite(dir.resolve("chat.db"));
    }

    @Test
    void uploadsAndAttachmentsSurviveAReopen() {
        Upload u = upload("alice", AttachmentKind.AUDIO);
        Message m = send("alice", "voice", u);
        store.close();

        store = openStore();
        assertThat(store.findUpload(u.id())).contains(u);
        assertThat(store.findMessage(m.id(), null).orElseThrow()).isEqualTo(m);
        assertThat(store.mayDownload("bob", u.id())).isTrue();
    }
}
