package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/** Sequential reading of EBML (Matroska, WebM) element headers and values, tracking the position. */
final class EbmlReader {
    static final long UNKNOWN = -1;
    private final InputStream in;
    private long position;

    EbmlReader(InputStream in) {
        this.in = in;
    }

    long position() {
        return position;
    }

    /** The next element id (marker bits kept), or -1 at the end of the data. */
    long readIdOrEnd() throws IOException {
        int first = in.read();
        if (first < 0) {
            return -1;
        }
        position++;
        int length = Integer.numberOfLeadingZeros(first) - 24 + 1;
        if (first == 0 || length > 4) {
            throw malformed("EBML element id is damaged at " + (position - 1));
        }
        long id = first;
        for (int i = 1; i < length; i++) {
            id = id << 8 | readByte();
        }
        return id;
    }

    /** An element size, or {@link #UNKNOWN} for the all-ones "unknown size". */
    long readSize() throws IOException {
        int first = readByte();
        int length = Integer.numberOfLeadingZeros(first) - 24 + 1;
        if (first == 0 || length > 8) {
            throw malformed("EBML element size is damaged at " + (position - 1));
        }
        long value = first & (0xFF >> length);
        boolean allOnes = value == (0xFF >> length);
        for (int i = 1; i < length; i++) {
            int b = readByte();
            allOnes &= b == 0xFF;
            value = value << 8 | b;
        }
        return allOnes ? UNKNOWN : value;
    }

    int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("EBML data ended early");
        }
        position++;
        return b;
    }

    byte[] readBytes(long length, int max) throws IOException {
        if (length < 0 || length > max) {
            throw malformed("EBML element of " + length + " bytes is too large here");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length != length) {
            throw new EOFException("EBML data ended early");
        }
        position += length;
        return bytes;
    }

    long readUnsigned(long length) throws IOException {
        if (length > 8) {
            throw malformed("EBML integer of " + length + " bytes");
        }
        long value = 0;
        for (int i = 0; i < length; i++) {
            value = value << 8 | readByte();
        }
        return value;
    }

    double readFloat(long length) throws IOException {
        if (length == 4) {
            return Float.intBitsToFloat((int) readUnsigned(4));
        }
        if (length == 8) {
            return Double.longBitsToDouble(readUnsigned(8));
        }
        skip(length);
        return Double.NaN;
    }

    void skip(long length) throws IOException {
        if (length < 0) {
            throw malformed("cannot skip an element of unknown size");
        }
        in.skipNBytes(length);
        position += length;
    }

    static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
