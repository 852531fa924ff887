package dev.parley.media;

import dev.parley.core.spi.BlobStore;
import java.util.List;
import java.util.Objects;

/**
 * What {@link MediaInspector} learned about a stored blob. Fields that do not apply to the
 * kind are {@code null} (or an empty waveform).
 *
 * @param id             the blob id (SHA-256 of the bytes)
 * @param type           detected from the bytes
 * @param size           bytes
 * @param width          images and video: pixels as stored (before an EXIF orientation turns a
 *                       JPEG on its side), else null
 * @param height         images and video: pixels, else null
 * @param orientation    JPEG only: EXIF orientation 1..8 (1 = as stored), else null
 * @param animated       images: whether the image has several frames (GIF, APNG, animated WebP), else null
 * @param durationMillis audio and video: duration in milliseconds when the container tells it, else null
 * @param waveform       audio: {@link #WAVEFORM_LEVELS} loudness levels 0..255 over the duration, for a
 *                       voice-message display; empty when not computed for the format (see
 *                       {@link MediaInspector})
 * @param pageCount      PDF: page count when it can be read without decompressing, else null
 * @since 0.1.0
 */
public record MediaInfo(String id, MediaType type, long size, Integer width, Integer height, Integer orientation,
                        Boolean animated, Long durationMillis, List<Integer> waveform, Integer pageCount) {
    /** Number of levels in a waveform. */
    public static final int WAVEFORM_LEVELS = 64;

    public MediaInfo {
        BlobStore.requireValidId(id);
        Objects.requireNonNull(type, "type");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        waveform = waveform == null ? List.of() : List.copyOf(waveform);
        for (int level : waveform) {
            if (level < 0 || level > 255) {
                throw new IllegalArgumentException("waveform level outside 0..255: " + level);
            }
        }
    }

    /** The kind of {@link #type()}. */
    public MediaKind kind() {
        return type.kind();
    }

    /** The same information about another blob (the metadata-stripped copy of an image). */
    public MediaInfo withBlob(String newId, long newSize) {
        return new MediaInfo(newId, type, newSize, width, height, orientation, animated, durationMillis, waveform,
                pageCount);
    }
}
