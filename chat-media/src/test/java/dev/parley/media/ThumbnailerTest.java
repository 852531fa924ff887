package dev.parley.media;

import static dev.parley.media.MediaFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.spi.BlobRef;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailerTest {
    @TempDir
    Path dir;
    FileSystemBlobStore blobs;
    MediaInspector inspector = new MediaInspector(MediaPolicy.defaults());
    Thumbnailer thumbnailer = new Thumbnailer(MediaPolicy.defaults());

    @BeforeEach
    void open() throws IOException {
        blobs = FileSystemBlobStore.open(dir);
    }

    @AfterEach
    void close() throws IOException {
        blobs.close();
    }

    private Optional<Thumbnailer.Rendered> render(byte[] bytes) throws IOException {
        BlobRef ref = blobs.put(new ByteArrayInputStream(bytes), Long.MAX_VALUE);
        return thumbnailer.render(blobs, inspector.inspect(blobs, ref.id()));
    }

    private static BufferedImage decode(Thumbnailer.Rendered rendered) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(rendered.bytes()));
    }

    @Test
    void largeImageIsSubsampledToThePreviewEdge() throws IOException {
        Thumbnailer.Rendered preview = render(jpeg(6000, 4000)).orElseThrow();
        assertThat(preview.type()).isEqualTo(MediaType.JPEG);
        assertThat(preview.width()).isEqualTo(320);
        assertThat(preview.height()).isEqualTo(213);
        BufferedImage image = decode(preview);
        assertThat(image.getWidth()).isEqualTo(320);
        assertThat(image.getRGB(40, 100) & 0xFF0000).as("left half red").isGreaterThan(0xC00000);
        assertThat(image.getRGB(280, 100) & 0xFF).as("right half blue").isGreaterThan(0xC0);
    }

    @Test
    void smallImageIsNotEnlarged() throws IOException {
        Thumbnailer.Rendered preview = render(png(100, 60)).orElseThrow();
        assertThat(preview.width()).isEqualTo(100);
        assertThat(preview.height()).isEqualTo(60);
    }

    @Test
    void exifOrientationTurnsThePreviewUpright() throws IOException {
        // stored 400x200, left half red; orientation 6 = turn 90° clockwise to view
        Thumbnailer.Rendered preview = render(jpegWithMetadata(400, 200, 6)).orElseThrow();
        assertThat(preview.width()).isEqualTo(160);
        assertThat(preview.height()).isEqualTo(320);
        BufferedImage image = decode(preview);
        assertThat(image.getRGB(80, 40) & 0xFF0000).as("stored left (red) is now the top").isGreaterThan(0xC00000);
        assertThat(image.getRGB(80, 280) & 0xFF).as("stored right (blue) is now the bottom").isGreaterThan(0xC0);
    }

    @Test
    void everyOrientationGivesTheRightShape() {
        BufferedImage image = picture(40, 20, false);
        for (int orientation = 1; orientation <= 8; orientation++) {
            BufferedImage turned = Thumbnailer.orient(image, orientation);
            assertThat(List.of(turned.getWidth(), turned.getHeight())).as("orientation " + orientation)
                    .isEqualTo(orientation >= 5 ? List.of(20, 40) : List.of(40, 20));
        }
        // 3 = upside down: the red left half ends on the right
        assertThat(Thumbnailer.orient(image, 3).getRGB(35, 10) & 0xFF0000).isEqualTo(0xFF0000);
        // 8 = turn counter-clockwise: the red left half ends at the bottom
        assertThat(Thumbnailer.orient(image, 8).getRGB(10, 35) & 0xFF0000).isEqualTo(0xFF0000);
    }

    @Test
    void webpDecodesThroughTwelveMonkeys() throws IOException {
        assertThat(Thumbnailer.supports(MediaType.WEBP)).isTrue();
        assertThat(render(resource("lossy.webp")).orElseThrow().width()).isEqualTo(64);
        assertThat(render(resource("lossless.webp")).orElseThrow().height()).isEqualTo(48);
    }

    @Test
    void webpOverSixteenMegapixelsHasNoPreview() throws IOException {
        // A VP8X header claiming 5000x5000 (25 MP: within the policy, over the WebP preview cap).
        java.nio.ByteBuffer webp = java.nio.ByteBuffer.allocate(30).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        webp.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(22)
                .put("WEBPVP8X".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(10).putInt(0);
        webp.put((byte) 0x87).put((byte) 0x13).put((byte) 0).put((byte) 0x87).put((byte) 0x13).put((byte) 0);
        assertThat(render(webp.array())).isEmpty();
    }

    @Test
    void corruptButCompleteImageHasNoPreview() throws IOException {
        byte[] png = png(50, 50);
        byte[] broken = png.clone();
        for (int i = 45; i < broken.length - 20; i++) {
            broken[i] = (byte) 0xAA; // IDAT data garbled, structure intact
        }
        assertThat(render(broken)).isEmpty();
    }

    @Test
    void bombIsRefusedBeforeDecoding() throws IOException {
        BlobRef ref = blobs.put(new ByteArrayInputStream(pngHeader(30_000, 30_000)), Long.MAX_VALUE);
        MediaInfo lying = new MediaInfo(ref.id(), MediaType.PNG, ref.size(), 10, 10, null, false, null, null, null);
        assertThatThrownBy(() -> thumbnailer.render(blobs, lying)).isInstanceOf(MediaException.class)
                .extracting(e -> ((MediaException) e).reason()).isEqualTo(MediaException.Reason.DIMENSIONS_TOO_LARGE);
    }

    @Test
    void documentsHaveNoPreview() throws IOException {
        assertThat(render(pdf(1))).isEmpty();
    }
}
