package dev.parley.tck;

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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} does: content addressing by SHA-256, deduplication, limits
 * enforced while streaming with nothing left behind, ranged reads, strict ids, deletion.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}, which
 * must return an empty store every time; the contract closes it after each test.
 *
 * @since 0.1.0
 */
public abstract class BlobStoreContract {
    protected BlobStore store;

    /** An empty store. */
    protected abstract BlobStore openStore() throws IOException;

    @BeforeEach
    protected final void openContractStore() throws IOException {
        store = openStore();
    }

    @AfterEach
    protected final void closeContractStore() throws IOException {
        store.close();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private BlobRef put(String text) throws IOException {
        return store.put(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 1_000_000);
    }

    private Set<String> ids() throws IOException {
        try (Stream<BlobInfo> all = store.list()) {
            return all.map(BlobInfo::id).collect(Collectors.toSet());
        }
    }

    @Test
    void aBlobIsStoredUnderTheSha256OfItsBytesAndReadBack() throws Exception {
        byte[] bytes = "hello blob".getBytes(StandardCharsets.UTF_8);
        BlobRef ref = store.put(new ByteArrayInputStream(bytes), bytes.length);

        assertThat(ref.id()).isEqualTo(sha256(bytes));
        assertThat(ref.size()).isEqualTo(bytes.length);
        assertThat(ref.created()).isTrue();
        assertThat(store.stat(ref.id())).hasValueSatisfying(info -> assertThat(info.size()).isEqualTo(bytes.length));
        try (InputStream in = store.open(ref.id(), 0)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(ids()).containsExactly(ref.id());
    }

    @Test
    void theSameBytesAreStoredOnce() throws Exception {
        BlobRef first = put("twice");
        BlobRef second = put("twice");
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.created()).isFalse();
        assertThat(ids()).containsExactly(first.id());
    }

    @Test
    void emptyBlobsAndExactLimitsAreAccepted() throws Exception {
        BlobRef empty = store.put(InputStream.nullInputStream(), 0);
        assertThat(empty.size()).isZero();
        byte[] ten = new byte[10];
        assertThat(store.put(new ByteArrayInputStream(ten), 10).size()).isEqualTo(10);
    }

    @Test
    void overTheLimitFailsAndLeavesNothing() throws Exception {
        byte[] eleven = "eleven byte".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(eleven), 10))
                .isInstanceOfSatisfying(BlobTooLargeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE));
        assertThat(ids()).isEmpty();
        assertThat(store.stat(sha256(eleven))).isEmpty();
    }

    @Test
    void aFailingInputLeavesNothing() throws Exception {
        InputStream broken = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ < 100) {
                    return 'x';
                }
                throw new IOException("client went away");
            }
        };
        assertThatThrownBy(() -> store.put(broken, 1_000)).isInstanceOf(IOException.class);
        assertThat(ids()).isEmpty();
    }

    @Test
    void readsStartAtAnOffset() throws Exception {
        BlobRef ref = put("0123456789");
        try (InputStream in = store.open(ref.id(), 4)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("456789");
        }
        try (InputStream in = store.open(ref.id(), 10)) {
            assertThat(in.readAllBytes()).isEmpty();
        }
        assertThatThrownBy(() -> store.open(ref.id(), 11)).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> store.open(ref.id(), -1)).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void unknownIdsAreAbsentAndInvalidIdsRefused() throws Exception {
        String unknown = "0".repeat(64);
        assertThat(store.stat(unknown)).isEmpty();
        assertThat(store.delete(unknown)).isFalse();
        assertThatThrownBy(() -> store.open(unknown, 0)).isInstanceOfSatisfying(ChatException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        for (String bad : List.of("", "../../etc/passwd", "A".repeat(64), "0".repeat(63), "g".repeat(64),
                "0".repeat(63) + "/")) {
            assertThatThrownBy(() -> store.stat(bad)).as(bad).isInstanceOfSatisfying(ChatException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
            assertThatThrownBy(() -> store.open(bad, 0)).as(bad).isInstanceOf(ChatException.class);
            assertThatThrownBy(() -> store.delete(bad)).as(bad).isInstanceOf(ChatException.class);
        }
    }

    @Test
    void deleteRemovesTheBlob() throws Exception {
        BlobRef kept = put("kept");
        BlobRef gone = put("gone");
        assertThat(store.delete(gone.id())).isTrue();
        assertThat(store.delete(gone.id())).isFalse();
        assertThat(store.stat(gone.id())).isEmpty();
        assertThat(ids()).containsExactly(kept.id());
        assertThat(put("gone").created()).as("stored again after a delete").isTrue();
    }

    @Test
    void concurrentPutsOfTheSameBytesAgree() throws Exception {
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<BlobRef>> puts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                puts.add(pool.submit(() -> store.put(new ByteArrayInputStream(bytes), bytes.length)));
            }
            Set<String> idsSeen = new java.util.HashSet<>();
            for (Future<BlobRef> f : puts) {
                idsSeen.add(f.get().id());
            }
            assertThat(idsSeen).containsExactly(sha256(bytes));
        } finally {
            pool.shutdownNow();
        }
        try (InputStream in = store.open(sha256(bytes), 0)) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThat(ids()).hasSize(1);
    }
}
