package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.Attachment;
import dev.parley.core.AttachmentKind;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.GalleryItem;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.SendOptions;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.media.FileSystemBlobStore;
import dev.parley.server.ChatServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Upload and download helpers of the Java client against a real server with a blob store. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FileTransfersTest {
    @TempDir
    Path dir;
    private ChatServer server;
    private FileSystemBlobStore blobs;
    private ChatClient alice;
    private ChatClient bob;
    private ChatClient mallory;
    private Conversation dm;

    @BeforeEach
    void start() throws Exception {
        blobs = FileSystemBlobStore.open(dir.resolve("blobs"));
        server = ChatServer.builder().host("127.0.0.1").port(0).store(new InMemoryChatStore()).blobStore(blobs).start();
        for (String u : List.of("alice", "bob", "mallory")) {
            server.engine().putUser(u, u);
        }
        dm = server.engine().createDirect("alice", "bob");
        alice = client("alice");
        bob = client("bob");
        mallory = client("mallory");
        join(alice.connect());
    }

    private ChatClient client(String user) {
        return ChatClient.builder().uri(server.webSocketUri()).token("dev:" + user).build();
    }

    @AfterEach
    void stop() throws Exception {
        alice.close();
        bob.close();
        mallory.close();
        server.close();
        blobs.close();
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(20, TimeUnit.SECONDS).join();
    }

    private static ErrorCode failure(CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).orTimeout(20, TimeUnit.SECONDS).join();
        Throwable cause = t instanceof CompletionException ? t.getCause() : t;
        return ((ChatException) cause).code();
    }

    private static byte[] png() throws Exception {
        BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    @Test
    void uploadSendDownloadWithProgress() throws Exception {
        Path file = dir.resolve("photo.png");
        Files.write(file, png());
        List<long[]> progress = new CopyOnWriteArrayList<>();

        Attachment photo = join(alice.files().upload(file, (bytes, total) -> progress.add(new long[] {bytes, total})));
        assertThat(photo.kind()).isEqualTo(AttachmentKind.IMAGE);
        assertThat(photo.width()).isEqualTo(400);
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1)).containsExactly(Files.size(file), Files.size(file));

        Message m = join(alice.sendWithOptions(dm.id(), new MessageBody("", List.of(Attachment.ref(photo.id()))), null,
                SendOptions.NONE));
        assertThat(m.body().attachments()).containsExactly(photo);

        Path copy = dir.resolve("copy.png");
        List<Long> downloaded = new CopyOnWriteArrayList<>();
        assertThat(join(bob.files().download(photo.id(), copy, (bytes, total) -> downloaded.add(bytes)))).isEqualTo(copy);
        assertThat(ImageIO.read(copy.toFile()).getHeight()).isEqualTo(300);
        assertThat(downloaded.get(downloaded.size() - 1)).isEqualTo(Files.size(copy));
        try (InputStream preview = join(bob.files().openPreview(photo.id()))) {
            assertThat(ImageIO.read(preview).getWidth()).isLessThanOrEqualTo(320);
        }
        List<GalleryItem> gallery = join(bob.connect().thenCompose(s -> bob.gallery(dm.id(), AttachmentKind.IMAGE, null, 10)));
        assertThat(gallery).extracting(GalleryItem::attachment).containsExactly(photo);
    }

    @Test
    void refusalsArriveAsChatExceptionsWithTheServersCode() throws Exception {
        byte[] image = png();
        Attachment photo = join(alice.files().upload(() -> new ByteArrayInputStream(image), image.length,
                "p.png", null));
        assertThat(failure(mallory.files().open(photo.id(), null))).isEqualTo(ErrorCode.NOT_FOUND);
        byte[] script = "#!/bin/sh\necho pwned\n".getBytes();
        assertThat(failure(alice.files().upload(() -> new ByteArrayInputStream(script), script.length, "x.png", null)))
                .isEqualTo(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
        assertThat(failure(alice.files().openPreview("nosuchfile"))).isEqualTo(ErrorCode.NOT_FOUND);
        ChatClient stranger = ChatClient.builder().uri(URI.create("ws://127.0.0.1:1/ws")).token("dev:x").build();
        try {
            assertThat(failure(stranger.files().open(photo.id(), null))).isEqualTo(ErrorCode.UNAVAILABLE);
        } finally {
            stranger.close();
        }
    }
}
