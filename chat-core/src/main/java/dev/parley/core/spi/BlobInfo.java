package dev.parley.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored blob.
 *
 * @param id       lowercase hexadecimal SHA-256 of the bytes
 * @param size     number of bytes
 * @param storedAt when the bytes were last stored: the first {@link BlobStore#put} of them, or a
 *                 later put of the same bytes (see the reference-counting note on {@link BlobStore})
 * @since 0.1.0
 */
public record BlobInfo(String id, long size, Instant storedAt) {
    public BlobInfo {
        BlobStore.requireValidId(id);
        Objects.requireNonNull(storedAt, "storedAt");
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
    }
}
