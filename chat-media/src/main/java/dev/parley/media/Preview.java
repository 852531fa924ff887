package dev.parley.media;

import dev.parley.core.spi.BlobStore;
import java.util.Objects;

/**
 * A small image standing for an attachment in a timeline, stored as its own blob.
 *
 * @param id     blob id of the preview
 * @param type   {@link MediaType#JPEG}, or {@link MediaType#PNG} for images with transparency
 * @param width  pixels, at most the policy's preview edge
 * @param height pixels, at most the policy's preview edge
 * @param size   bytes
 * @since 0.1.0
 */
public record Preview(String id, MediaType type, int width, int height, long size) {
    public Preview {
        BlobStore.requireValidId(id);
        Objects.requireNonNull(type, "type");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("preview of " + width + "x" + height);
        }
    }
}
