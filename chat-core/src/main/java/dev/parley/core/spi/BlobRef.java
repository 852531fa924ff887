package dev.parley.core.spi;

/**
 * What {@link BlobStore#put} stored.
 *
 * @param id      lowercase hexadecimal SHA-256 of the bytes
 * @param size    number of bytes
 * @param created whether this put wrote the bytes; {@code false} when they were already stored
 *                (deduplicated). Two concurrent puts of new bytes may both answer {@code true}.
 *                A caller that refuses an upload after storing it deletes the blob only when
 *                {@code created} is true, so that it never removes a blob others reference.
 * @since 0.1.0
 */
public record BlobRef(String id, long size, boolean created) {
    public BlobRef {
        BlobStore.requireValidId(id);
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
    }
}
