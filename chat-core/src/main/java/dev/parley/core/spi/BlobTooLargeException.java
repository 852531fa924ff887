package dev.parley.core.spi;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;

/**
 * {@link BlobStore#put} read more bytes than its limit allowed. Code {@code too_large};
 * nothing of the upload is left in the store.
 *
 * @since 0.1.0
 */
public class BlobTooLargeException extends ChatException {
    private final long maxBytes;

    public BlobTooLargeException(long maxBytes) {
        super(ErrorCode.TOO_LARGE, "upload exceeds the limit of " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    /** The limit that was exceeded. */
    public long maxBytes() {
        return maxBytes;
    }
}
