package dev.parley.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Attachment;
import dev.parley.core.AttachmentKind;
import dev.parley.core.ChatEngine;
import dev.parley.core.Conversation;
import dev.parley.core.DeleteScope;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.Upload;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.BlobRef;
import dev.parley.media.FileSystemBlobStore;
import dev.parley.tck.MutableClock;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blobs go when nothing needs them, and never while an upload of the same bytes may be under way. */
class FileCleanupTest {
    private static final Duration GRACE = Duration.ofHours(1);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T10:00:00Z"));
    private ChatEngine engine;
    private FileSystemBlobStore blobs;
    private FileCleanup cleanup;
    private Conversation dm;

    @BeforeEach
    void setUp() throws Exception {
        engine = ChatEngine.builder().store(new InMemoryChatStore()).clock(clock).build();
        engine.putUser("alice", "Alice");
        engine.putUser("bob", "Bob");
        dm = engine.createDirect("alice", "bob");
        blobs = FileSystemBlobStore.open(dir, clock);
        // the timer never fires during the test: passes are run by hand
        cleanup = new FileCleanup(engine, blobs, Duration.ofDays(1), Duration.ofMinutes(30), GRACE);
    }

    @AfterEach
    void tearDown() throws Exception {
        cleanup.close();
        blobs.close();
        engine.close();
    }

    private BlobRef put(String content) throws Exception {
        return blobs.put(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), 1_000);
    }

    private Upload register(BlobRef blob) {
        return engine.registerUpload("alice", blob.id(), null, new Attachment("x", "a.txt", "text/plain",
                AttachmentKind.DOCUMENT, blob.size(), null, null, null, List.of(), null));
    }

    private Message send(Upload upload) {
        return engine.sendAndWait("alice", dm.id(), "c-" + upload.id(), new MessageBody("",
                List.of(Attachment.ref(upload.id()))), null);
    }

    @Test
    void aBlobGoesWhenItsLastMessageIsDeletedAndTheGraceHasPassed() throws Exception {
        BlobRef blob = put("report");
        Message m = send(register(blob));
        clock.advance(GRACE.plusMinutes(1));
        cleanup.run();
        assertThat(blobs.stat(blob.id())).as("still carried by a message").isPresent();

        engine.delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);
        cleanup.run();
        assertThat(blobs.stat(blob.id())).isEmpty();
    }

    @Test
    void aBlobStoredAgainRecentlyIsKeptUntilTheNextSweepAfterTheGrace() throws Exception {
        BlobRef blob = put("same bytes");
        Message m = send(register(blob));
        clock.advance(GRACE.plusMinutes(1));
        engine.delete("alice", dm.id(), m.id(), DeleteScope.EVERYONE);
        put("same bytes"); // someone uploads the same bytes right now; not registered yet
        cleanup.run();
        assertThat(blobs.stat(blob.id())).as("inside the grace").isPresent();

        clock.advance(GRACE.plusMinutes(1));
        cleanup.run();
        assertThat(blobs.stat(blob.id())).as("the sweep finds it unreferenced later").isEmpty();
    }

    @Test
    void theSweepRemovesBlobsNoUploadNamesAndKeepsTheOthers() throws Exception {
        BlobRef orphan = put("upload that crashed before it was registered");
        BlobRef kept = put("kept");
        send(register(kept));
        BlobRef pending = put("uploaded, not sent yet");
        register(pending);

        clock.advance(GRACE.plusMinutes(1));
        cleanup.run();
        assertThat(blobs.stat(orphan.id())).isEmpty();
        assertThat(blobs.stat(kept.id())).isPresent();
        assertThat(blobs.stat(pending.id())).isPresent();

        clock.advance(ChatEngine.UNATTACHED_UPLOAD_TTL);
        cleanup.run();
        assertThat(blobs.stat(pending.id())).as("never sent within the upload TTL").isEmpty();
        assertThat(blobs.stat(kept.id())).isPresent();
    }
}
