package dev.parley.media.internal;

import java.io.IOException;
import javax.imageio.stream.ImageInputStreamImpl;

/** An ImageIO stream reading a stored blob in place: no copy in memory or in a cache file. */
public final class BlobImageInputStream extends ImageInputStreamImpl {
    private final RandomReader source;

    public BlobImageInputStream(RandomReader source) {
        this.source = source;
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        byte[] one = new byte[1];
        if (source.readAt(streamPos, one, 0, 1) != 1) {
            return -1;
        }
        streamPos++;
        return one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int offset, int length) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (length == 0) {
            return 0;
        }
        int n = source.readAt(streamPos, b, offset, length);
        if (n <= 0) {
            return -1;
        }
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return source.size();
    }
}
