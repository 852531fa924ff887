package dev.parley.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.spi.BlobInfo;
import dev.parley.core.spi.BlobRef;
import dev.parley.core.spi.BlobStore;
import dev.parley.core.spi.BlobTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemBlobStoreTest {
    @TempDir
    Path dir;
    FileSystemBlobStore store;

    @BeforeEach
    void open() throws IOException {
        store = FileSystemBlobStore.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    @Test
    void putStoresUnderTheSha256InATwoLevelLayout() throws Exception {
        byte[] bytes = "hello world\n".getBytes(StandardCharsets.UTF_8);
        BlobRef ref = store.put(new ByteArrayInputStream(bytes), 100);

        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(ref).isEqualTo(new BlobRef(sha, bytes.length, true));
        assertThat(dir.resolve(sha.substring(0, 2)).resolve(sha.substring(2, 4)).resolve(sha)).hasBinaryContent(bytes);
        assertThat(store.stat(sha)).get().extracting(BlobInfo::size).isEqualTo((long) bytes.length);
        try (InputStream in = store.open(sha, 0)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
    }

    @Test
    void samebytesAreStoredOnceAndTheSecondPutIsNotCreated() throws Exception {
        Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
        store.close();
        store = FileSystemBlobStore.open(dir, new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        });
        BlobRef first = store.put(new ByteArrayInputStream(new byte[] {1, 2, 3}), 10);
        now[0] = Instant.parse("2026-02-01T00:00:00Z");
        BlobRef second = store.put(new ByteArrayInputStream(new byte[] {1, 2, 3}), 10);

        assertThat(second.id()).isEqualTo(first.id());
        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(store.stat(first.id())).get().extracting(BlobInfo::storedAt).isEqualTo(now[0]);
        try (Stream<BlobInfo> all = store.list()) {
            assertThat(all).extracting(BlobInfo::id).containsExactly(first.id());
        }
    }

    @Test
    void emptyBlobIsStored() throws Exception {
        BlobRef ref = store.put(InputStream.nullInputStream(), 0);
        assertThat(ref.id()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ref.size()).isZero();
    }

    @Test
    void exactlyTheLimitIsAccepted() throws Exception {
        assertThat(store.put(new ByteArrayInputStream(new byte[1000]), 1000).size()).isEqualTo(1000);
    }

    @Test
    void overTheLimitFailsAfterReadingOneByteTooManyAndLeavesNothing() throws Exception {
        CountingStream in = new CountingStream(10_000_000);
        assertThatThrownBy(() -> store.put(in, 100_000))
                .isInstanceOf(BlobTooLargeException.class)
                .satisfies(e -> assertThat(((ChatException) e).code()).isEqualTo(ErrorCode.TOO_LARGE))
                .satisfies(e -> assertThat(((BlobTooLargeException) e).maxBytes()).isEqualTo(100_000));
        assertThat(in.read).isEqualTo(100_001);
        assertNoFilesExceptLock();
    }

    @Test
    void failingInputLeavesNothing() throws Exception {
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 5000) {
                    throw new IOException("client went away");
                }
                return 7;
            }
        };
        assertThatThrownBy(() -> store.put(broken, 1 << 20)).isInstanceOf(IOException.class).hasMessage("client went away");
        assertNoFilesExceptLock();
    }

    @Test
    void maxLongLimitDoesNotOverflow() throws Exception {
        assertThat(store.put(new ByteArrayInputStream(new byte[70_000]), Long.MAX_VALUE).size()).isEqualTo(70_000);
    }

    @Test
    void openAtAnOffsetReadsTheRest() throws Exception {
        BlobRef ref = store.put(new ByteArrayInputStream("0123456789".getBytes(StandardCharsets.US_ASCII)), 10);
        try (InputStream in = store.open(ref.id(), 7)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("789");
        }
        try (InputStream in = store.open(ref.id(), 10)) {
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThatThrownBy(() -> store.open(ref.id(), 11)).isInstanceOf(ChatException.class)
                .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> store.open(ref.id(), -1)).isInstanceOf(ChatException.class);
    }

    @Test
    void unknownIdIsAbsentAndNotFound() throws Exception {
        String unknown = "0".repeat(64);
        assertThat(store.stat(unknown)).isEmpty();
        assertThat(store.delete(unknown)).isFalse();
        assertThatThrownBy(() -> store.open(unknown, 0)).isInstanceOf(ChatException.class)
                .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void invalidIdsAreRefusedBeforeTouchingTheFilesystem() throws Exception {
        Files.writeString(dir.resolve("secret"), "x");
        for (String bad : List.of("../secret", "..%2Fsecret", "A".repeat(64), "0".repeat(63), "0".repeat(65),
                "/" + "0".repeat(63), "0".repeat(63) + "\0", "")) {
            assertThatThrownBy(() -> store.stat(bad)).isInstanceOf(ChatException.class)
                    .extracting(e -> ((ChatException) e).code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThatThrownBy(() -> store.open(bad, 0)).isInstanceOf(ChatException.class);
            assertThatThrownBy(() -> store.delete(bad)).isInstanceOf(ChatException.class);
        }
        assertThatThrownBy(() -> store.stat(null)).isInstanceOf(ChatException.class);
        assertThat(dir.resolve("secret")).exists();
    }

    @Test
    void deleteRemovesTheBlob() throws Exception {
        BlobRef ref = store.put(new ByteArrayInputStream(new byte[] {9}), 1);
        assertThat(store.delete(ref.id())).isTrue();
        assertThat(store.stat(ref.id())).isEmpty();
        assertThat(store.delete(ref.id())).isFalse();
        BlobRef again = store.put(new ByteArrayInputStream(new byte[] {9}), 1);
        assertThat(again.created()).isTrue();
    }

    @Test
    void aStreamOpenedBeforeDeleteReadsToTheEnd() throws Exception {
        BlobRef ref = store.put(new ByteArrayInputStream(new byte[100_000]), 100_000);
        try (InputStream in = store.open(ref.id(), 0)) {
            store.delete(ref.id());
            assertThat(in.readAllBytes()).hasSize(100_000);
        }
    }

    @Test
    void listSkipsStrayFiles() throws Exception {
        BlobRef ref = store.put(new ByteArrayInputStream(new byte[] {1}), 1);
        Files.createDirectories(dir.resolve("zz/yy"));
        Files.writeString(dir.resolve("zz/yy/notes.txt"), "x");
        Files.writeString(dir.resolve("zz/yy/" + ref.id()), "misplaced");
        try (Stream<BlobInfo> all = store.list()) {
            assertThat(all).extracting(BlobInfo::id).containsExactly(ref.id());
        }
    }

    @Test
    void concurrentPutsOfTheSameBytesAgree() throws Exception {
        byte[] bytes = new byte[300_000];
        new java.util.Random(1).nextBytes(bytes);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<BlobRef>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit((Callable<BlobRef>) () -> store.put(new ByteArrayInputStream(bytes), bytes.length)));
            }
            String id = null;
            boolean anyCreated = false;
            for (Future<BlobRef> future : futures) {
                BlobRef ref = future.get();
                id = id == null ? ref.id() : id;
                assertThat(ref.id()).isEqualTo(id);
                anyCreated |= ref.created();
            }
            try (InputStream in = store.open(id, 0)) {
                assertThat(in.readAllBytes()).isEqualTo(bytes);
            }
            assertThat(anyCreated).isTrue();
        } finally {
            pool.shutdown();
        }
        assertThat(Files.list(dir.resolve("tmp"))).isEmpty();
    }

    @Test
    void openRemovesLeftoverTempFilesAndRefusesASecondStore() throws Exception {
        assertThatThrownBy(() -> FileSystemBlobStore.open(dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("already used");
        store.close();
        Files.writeString(dir.resolve("tmp/crashed.part"), "half an upload");
        store = FileSystemBlobStore.open(dir);
        assertThat(Files.list(dir.resolve("tmp"))).isEmpty();
    }

    @Test
    void closedStoreRefusesWork() throws Exception {
        store.close();
        store.close();
        assertThatThrownBy(() -> store.put(InputStream.nullInputStream(), 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void idValidationIsStrict() {
        assertThat(BlobStore.isValidId("ab".repeat(32))).isTrue();
        assertThat(BlobStore.isValidId("AB".repeat(32))).isFalse();
        assertThat(BlobStore.isValidId("gg".repeat(32))).isFalse();
    }

    private void assertNoFilesExceptLock() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).containsExactly(dir.resolve(".lock"));
        }
    }

    /** An endless stream of zeros that counts what was read. */
    private static final class CountingStream extends InputStream {
        private final long length;
        long read;

        CountingStream(long length) {
            this.length = length;
        }

        @Override
        public int read() {
            if (read >= length) {
                return -1;
            }
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (read >= length) {
                return -1;
            }
            int n = (int) Math.min(len, length - read);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            read += n;
            return n;
        }
    }
}
