package dev.parley.media.internal;

import java.io.EOFException;
import java.io.IOException;

/** Bytes readable at any offset: a stored blob, or the prefix of an upload. */
public interface RandomReader {

    /** Number of bytes readable. */
    long size();

    /** Reads up to {@code length} bytes at {@code offset}; fewer only at the end. */
    int readAt(long offset, byte[] buffer, int start, int length) throws IOException;

    /** Exactly {@code length} bytes at {@code offset}, or {@link EOFException}. */
    default byte[] readFully(long offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset + length > size()) {
            throw new EOFException("read of " + length + " bytes at " + offset + " past the end (" + size() + ")");
        }
        byte[] bytes = new byte[length];
        if (readAt(offset, bytes, 0, length) != length) {
            throw new EOFException("data ended early");
        }
        return bytes;
    }

    /** One unsigned byte at {@code offset}, or {@link EOFException}. */
    default int u8(long offset) throws IOException {
        return readFully(offset, 1)[0] & 0xFF;
    }

    /** A reader over the first {@code length} bytes of {@code bytes}. */
    static RandomReader of(byte[] bytes, int length) {
        return new RandomReader() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public int readAt(long offset, byte[] buffer, int start, int count) {
                if (offset >= length) {
                    return 0;
                }
                int n = (int) Math.min(count, length - offset);
                System.arraycopy(bytes, (int) offset, buffer, start, n);
                return n;
            }
        };
    }
}
