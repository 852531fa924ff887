package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A pull-based stream rewriter: {@link #produce()} either appends bytes to the output buffer,
 * asks for bytes to be copied straight from the source, or skips source bytes. Memory use is
 * one segment at most, whatever the file's size.
 */
abstract class Transform extends InputStream {
    protected final InputStream in;
    private byte[] out = new byte[8192];
    private int outStart;
    private int outEnd;
    private long copy;
    private boolean ended;

    Transform(InputStream in) {
        this.in = in;
    }

    /** Produces more output; returns false when the output is complete. */
    protected abstract boolean produce() throws IOException;

    protected final void emit(int b) {
        ensure(1);
        out[outEnd++] = (byte) b;
    }

    protected final void emit(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, out, outEnd, length);
        outEnd += length;
    }

    protected final void emit(byte[] bytes) {
        emit(bytes, 0, bytes.length);
    }

    /** The next {@code count} source bytes go to the output unchanged. */
    protected final void copy(long count) {
        copy += count;
    }

    protected final int outputBuffered() {
        return outEnd - outStart;
    }

    protected final void drop(long count) throws IOException {
        long skipped = 0;
        while (skipped < count) {
            long n = in.skip(count - skipped);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw truncated();
                }
                n = 1;
            }
            skipped += n;
        }
    }

    protected final int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw truncated();
        }
        return b;
    }

    protected final byte[] readBytes(int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length < count) {
            throw truncated();
        }
        return bytes;
    }

    protected abstract MediaException truncated();

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (true) {
            if (outStart < outEnd) {
                int n = Math.min(length, outEnd - outStart);
                System.arraycopy(out, outStart, b, offset, n);
                outStart += n;
                if (outStart == outEnd) {
                    outStart = 0;
                    outEnd = 0;
                }
                return n;
            }
            if (copy > 0) {
                int n = in.read(b, offset, (int) Math.min(length, copy));
                if (n < 0) {
                    throw truncated();
                }
                copy -= n;
                return n;
            }
            if (ended || !produce()) {
                ended = true;
                if (outStart < outEnd || copy > 0) {
                    continue;
                }
                return -1;
            }
        }
    }

    private void ensure(int more) {
        if (outEnd + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outEnd + more));
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
