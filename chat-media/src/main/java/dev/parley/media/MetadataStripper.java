package dev.parley.media;

import dev.parley.media.internal.Strippers;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Removes metadata (EXIF with GPS position, XMP, IPTC, comments, text chunks, trailers) from
 * JPEG, PNG, GIF and WebP images without re-encoding them: segments and chunks are dropped,
 * image data is copied byte for byte, so quality and size are unchanged apart from the
 * metadata. What is kept and dropped per format is documented in {@code docs/files.md}; in
 * short, colour profiles and a JPEG's EXIF orientation (as a minimal EXIF segment holding only
 * that tag) are kept so the image looks the same.
 *
 * <pre>{@code
 * try (InputStream clean = MetadataStripper.strip(MediaType.JPEG, () -> blobs.open(id, 0))) {
 *     BlobRef served = blobs.put(clean, policy.maxBytes(MediaKind.IMAGE));
 * }
 * }</pre>
 *
 * <p>The returned stream reads its source lazily and holds at most one segment in memory. A
 * damaged or truncated image makes it throw {@link MediaException} ({@code MALFORMED}) while
 * being read.
 *
 * @since 0.1.0
 */
public final class MetadataStripper {

    /** Opens the image's bytes from the start; may be called twice (WebP needs two passes). */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    private MetadataStripper() {
    }

    /** Whether {@link #strip} handles this type: JPEG, PNG, GIF and WebP. */
    public static boolean supports(MediaType type) {
        return type == MediaType.JPEG || type == MediaType.PNG || type == MediaType.GIF || type == MediaType.WEBP;
    }

    /**
     * The image without its metadata, as a stream the caller closes.
     *
     * @throws IllegalArgumentException for a type {@link #supports} refuses
     */
    public static InputStream strip(MediaType type, Source source) throws IOException {
        Objects.requireNonNull(source, "source");
        return switch (Objects.requireNonNull(type, "type")) {
            case JPEG -> Strippers.jpeg(source.open());
            case PNG -> Strippers.png(source.open());
            case GIF -> Strippers.gif(source.open());
            case WEBP -> webp(source);
            default -> throw new IllegalArgumentException("no metadata stripper for " + type);
        };
    }

    private static InputStream webp(Source source) throws IOException {
        InputStream first = source.open();
        InputStream second;
        try {
            second = source.open();
        } catch (IOException | RuntimeException e) {
            first.close();
            throw e;
        }
        return Strippers.webp(first, second);
    }
}
