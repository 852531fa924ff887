package dev.parley.media.internal;

import dev.parley.core.spi.BlobStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Random access to a stored blob through {@link BlobStore#open(String, long)}: reads moving
 * forward reuse one open stream, a read behind it reopens. Not thread-safe.
 */
public final class BlobSource implements RandomReader, AutoCloseable {
    private final BlobStore store;
    private final String id;
    private final long size;
    private InputStream current;
    private long position;

    public BlobSource(BlobStore store, String id, long size) {
        this.store = store;
        this.id = id;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    public String id() {
        return id;
    }

    /** A new stream from {@code offset}; the caller closes it. */
    public InputStream streamFrom(long offset) throws IOException {
        return store.open(id, offset);
    }

    @Override
    public int readAt(long offset, byte[] buffer, int start, int length) throws IOException {
        if (offset >= size || length == 0) {
            return 0;
        }
        if (current == null || offset < position) {
            closeCurrent();
            current = new BufferedInputStream(store.open(id, offset), 64 * 1024);
            position = offset;
        } else if (offset > position) {
            current.skipNBytes(offset - position);
            position = offset;
        }
        int n = current.readNBytes(buffer, start, (int) Math.min(length, size - offset));
        position += n;
        return n;
    }

    private void closeCurrent() throws IOException {
        if (current != null) {
            InputStream old = current;
            current = null;
            old.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeCurrent();
    }
}
