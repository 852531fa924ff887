package dev.parley.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.core.ErrorCode;
import dev.parley.media.FileSystemBlobStore;
import dev.parley.media.MediaException;
import dev.parley.media.MediaPolicy;
import dev.parley.media.MediaSniffer;
import dev.parley.media.MediaType;
import dev.parley.media.MediaUploader;
import dev.parley.media.UploadedMedia;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz targets for what reads uploaded bytes: the type sniffer and the whole upload path
 * (sniff, store, detect, inspect, strip metadata, preview). Uploads are the input an attacker
 * controls completely. Seed corpus: {@code src/test/resources/dev/parley/it/fuzz/MediaFuzzTestInputs/<method>/}
 * (tiny images of every kind, a GPS-tagged WebP, truncated and bomb headers, PDF, OOXML,
 * WAV, ELF, a script, text, empty). See {@code docs/hardening.md}.
 */
class MediaFuzzTest {
    /** Small limits so that the fuzzer explores refusals as well as acceptances quickly. */
    private static final MediaPolicy POLICY = MediaPolicy.builder().maxImagePixels(4_000_000).build();
    private static Path dir;
    private static FileSystemBlobStore blobs;
    private static MediaUploader uploader;

    @BeforeAll
    static void open() throws IOException {
        dir = Files.createTempDirectory("parley-media-fuzz");
        blobs = FileSystemBlobStore.open(dir);
        uploader = new MediaUploader(blobs, POLICY);
    }

    @AfterAll
    static void close() throws IOException {
        blobs.close();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Any prefix, complete or not, has a type; sniffing never throws. */
    @FuzzTest(maxDuration = "2m")
    void sniff(byte[] input) {
        MediaType complete = MediaSniffer.sniff(input, input.length, true);
        MediaType partial = MediaSniffer.sniff(input, input.length, false);
        assertThat(complete).isNotNull();
        assertThat(partial).isNotNull();
    }

    /**
     * Any bytes are either accepted, with blobs that exist and a type that is allowed and not a
     * program, or refused with a {@link MediaException} (never another exception: that would be
     * a 500) — and a refusal leaves no blob behind.
     */
    @FuzzTest(maxDuration = "2m")
    void upload(byte[] input) throws IOException {
        long before = blobCount();
        UploadedMedia media;
        try {
            media = uploader.upload(new ByteArrayInputStream(input), "fuzz.bin");
        } catch (MediaException e) {
            assertThat(e.code()).isIn(ErrorCode.TOO_LARGE, ErrorCode.UNSUPPORTED_MEDIA_TYPE, ErrorCode.BAD_REQUEST);
            assertThat(blobCount()).as("a refused upload leaves nothing").isEqualTo(before);
            return;
        }
        assertThat(media.info().type().executable()).isFalse();
        assertThat(POLICY.allows(media.info().type())).isTrue();
        for (String id : media.blobIds()) {
            assertThat(blobs.stat(id)).as("blob %s", id).isPresent();
        }
        // keep the store small: the next input starts from the same state
        for (String id : media.blobIds()) {
            blobs.delete(id);
        }
    }

    private static long blobCount() {
        try (Stream<dev.parley.core.spi.BlobInfo> all = blobs.list()) {
            return all.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
