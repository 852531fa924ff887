package dev.parley.media;

import static dev.parley.media.MediaFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class MetadataStripperTest {

    private static byte[] strip(MediaType type, byte[] bytes) throws IOException {
        try (InputStream in = MetadataStripper.strip(type, () -> new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    private static void assertSamePixels(byte[] a, byte[] b) throws IOException {
        BufferedImage x = ImageIO.read(new ByteArrayInputStream(a));
        BufferedImage y = ImageIO.read(new ByteArrayInputStream(b));
        assertThat(y.getWidth()).isEqualTo(x.getWidth());
        assertThat(y.getHeight()).isEqualTo(x.getHeight());
        for (int i = 0; i < x.getWidth(); i += 7) {
            for (int j = 0; j < x.getHeight(); j += 7) {
                assertThat(y.getRGB(i, j)).isEqualTo(x.getRGB(i, j));
            }
        }
    }

    @Test
    void jpegLosesGpsXmpIptcCommentAndTrailerButKeepsPixelsAndIcc() throws IOException {
        byte[] original = jpegWithMetadata(120, 80, 1);
        byte[] clean = strip(MediaType.JPEG, original);

        for (String secret : new String[] {"GPS-SECRET", "GPS-XMP-SECRET", "IPTC-SECRET", "COMMENT-SECRET", "TRAILER-WITH-GPS", "Exif"}) {
            assertThat(contains(original, secret)).isTrue();
            assertThat(contains(clean, secret)).as(secret).isFalse();
        }
        assertThat(contains(clean, "ICC_PROFILE")).isTrue();
        assertThat(contains(clean, "JFIF")).isTrue();
        assertSamePixels(original, clean);
        byte[] plain = jpeg(120, 80);
        assertThat(strip(MediaType.JPEG, plain)).as("nothing to strip: identical bytes").isEqualTo(plain);
    }

    @Test
    void jpegKeepsOnlyTheOrientationOfItsExif() throws IOException {
        byte[] clean = strip(MediaType.JPEG, jpegWithMetadata(50, 40, 8));
        assertThat(contains(clean, "Exif")).isTrue();
        assertThat(contains(clean, "GPS-SECRET")).isFalse();
        assertThat(dev.parley.media.internal.ImageHeaders.read(dev.parley.media.internal.RandomReader.of(clean, clean.length),
                MediaType.JPEG).orientation()).isEqualTo(8);
    }

    @Test
    void progressiveJpegWithRestartMarkersSurvives() throws IOException {
        BufferedImage image = picture(200, 120, false);
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (javax.imageio.stream.MemoryCacheImageOutputStream out = new javax.imageio.stream.MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        }
        byte[] progressive = jpegWith(bytes.toByteArray(), new byte[0], jpegSegment(0xE1, exifWithGps(1)));
        byte[] clean = strip(MediaType.JPEG, progressive);
        assertThat(contains(clean, "GPS-SECRET")).isFalse();
        assertSamePixels(progressive, clean);
    }

    @Test
    void pngLosesTextExifAndTimeChunks() throws IOException {
        byte[] original = pngWith(png(60, 40),
                pngChunk("tEXt", "Comment\0PNG-TEXT-SECRET".getBytes(StandardCharsets.ISO_8859_1)),
                pngChunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0PNG-XMP-SECRET".getBytes(StandardCharsets.ISO_8859_1)),
                pngChunk("zTXt", "Raw profile\0\0xxxx".getBytes(StandardCharsets.ISO_8859_1)),
                pngChunk("eXIf", ("MM\0*PNG-EXIF-SECRET").getBytes(StandardCharsets.ISO_8859_1)),
                pngChunk("tIME", new byte[7]),
                pngChunk("pHYs", new byte[9]));
        byte[] clean = strip(MediaType.PNG, concat(original, "AFTER-IEND".getBytes(StandardCharsets.US_ASCII)));
        for (String chunk : new String[] {"tEXt", "iTXt", "zTXt", "eXIf", "tIME", "SECRET", "AFTER-IEND"}) {
            assertThat(contains(clean, chunk)).as(chunk).isFalse();
        }
        assertThat(contains(clean, "pHYs")).isTrue();
        assertSamePixels(original, clean);
    }

    @Test
    void gifLosesCommentAndXmpButKeepsLoopingAndFrames() throws IOException {
        byte[] original = animatedGif(40, 30, 3, true);
        assertThat(contains(original, "GIF-COMMENT-SECRET")).isTrue();
        assertThat(contains(original, "GIF-XMP-SECRET")).isTrue();
        byte[] clean = strip(MediaType.GIF, original);
        assertThat(contains(clean, "GIF-COMMENT-SECRET")).isFalse();
        assertThat(contains(clean, "GIF-XMP-SECRET")).isFalse();
        assertThat(contains(clean, "NETSCAPE2.0")).isTrue();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(clean))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = readers.next();
            reader.setInput(in);
            assertThat(reader.getNumImages(true)).isEqualTo(3);
        }
    }

    @Test
    void webpLosesExifAndXmpChunksAndFlags() throws IOException {
        byte[] original = resource("lossy-exif-xmp.webp");
        byte[] clean = strip(MediaType.WEBP, original);
        assertThat(contains(clean, "EXIF")).isFalse();
        assertThat(contains(clean, "XMP ")).isFalse();
        assertThat(contains(clean, "GPSLatitude")).isFalse();
        long riffSize = (clean[4] & 0xFF) | (clean[5] & 0xFF) << 8 | (clean[6] & 0xFF) << 16 | (long) (clean[7] & 0xFF) << 24;
        assertThat(riffSize).isEqualTo(clean.length - 8);
        assertThat(clean[20] & 0x0C).as("VP8X EXIF and XMP flags").isZero();
        assertSamePixels(original, clean);
    }

    @Test
    void truncatedImageFailsWhileReading() {
        byte[] png = png(100, 100);
        assertThatThrownBy(() -> strip(MediaType.PNG, Arrays.copyOf(png, png.length - 20)))
                .isInstanceOf(MediaException.class).hasMessageContaining("truncated");
        byte[] jpeg = jpeg(100, 100);
        assertThatThrownBy(() -> strip(MediaType.JPEG, Arrays.copyOf(jpeg, jpeg.length - 2)))
                .isInstanceOf(MediaException.class).hasMessageContaining("truncated");
    }

    @Test
    void unsupportedTypeIsRefused() {
        assertThat(MetadataStripper.supports(MediaType.PDF)).isFalse();
        assertThatThrownBy(() -> MetadataStripper.strip(MediaType.PDF, () -> InputStream.nullInputStream()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
