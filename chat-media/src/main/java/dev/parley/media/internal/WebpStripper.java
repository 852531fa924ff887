package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Rewrites a WebP without its {@code EXIF} and {@code XMP } chunks: the RIFF size is reduced
 * by what is dropped (known from a first pass over the chunk headers) and the matching flags of
 * the {@code VP8X} header are cleared. Everything else is copied unchanged.
 */
final class WebpStripper extends Transform {
    private final long droppedBytes;
    private boolean started;
    private long remaining;

    /**
     * @param droppedBytes what {@link #droppedBytes(InputStream)} found in a first pass
     */
    WebpStripper(InputStream in, long droppedBytes) {
        super(in);
        this.droppedBytes = droppedBytes;
    }

    /** First pass: the bytes of EXIF and XMP chunks, headers and padding included. */
    static long droppedBytes(InputStream in) throws IOException {
        byte[] riff = in.readNBytes(12);
        if (riff.length < 12 || !Bytes.ascii(riff, 12, 0, "RIFF") || !Bytes.ascii(riff, 12, 8, "WEBP")) {
            throw malformed("not a WebP file");
        }
        long remaining = Bytes.u32le(riff, 4) - 4;
        long dropped = 0;
        while (remaining > 0) {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) {
                throw malformed("WebP is truncated");
            }
            long size = Bytes.u32le(header, 4);
            long total = 8 + size + (size & 1);
            if (total > remaining) {
                throw malformed("WebP chunk overruns the file");
            }
            if (isMetadata(header)) {
                dropped += total;
            }
            try {
                in.skipNBytes(total - 8);
            } catch (java.io.EOFException e) {
                throw malformed("WebP is truncated");
            }
            remaining -= total;
        }
        return dropped;
    }

    private static boolean isMetadata(byte[] header) {
        return Bytes.ascii(header, 8, 0, "EXIF") || Bytes.ascii(header, 8, 0, "XMP ");
    }

    @Override
    protected boolean produce() throws IOException {
        if (!started) {
            byte[] riff = readBytes(12);
            long size = Bytes.u32le(riff, 4);
            long stripped = size - droppedBytes;
            riff[4] = (byte) stripped;
            riff[5] = (byte) (stripped >> 8);
            riff[6] = (byte) (stripped >> 16);
            riff[7] = (byte) (stripped >> 24);
            emit(riff);
            remaining = size - 4;
            started = true;
            return true;
        }
        if (remaining <= 0) {
            return false; // anything after the RIFF chunk is dropped
        }
        byte[] header = readBytes(8);
        long size = Bytes.u32le(header, 4);
        long body = size + (size & 1);
        remaining -= 8 + body;
        if (isMetadata(header)) {
            drop(body);
        } else if (Bytes.ascii(header, 8, 0, "VP8X")) {
            byte[] data = readBytes((int) body);
            data[0] &= (byte) ~0x0C; // EXIF and XMP flags
            emit(header);
            emit(data);
        } else {
            emit(header);
            copy(body);
        }
        return true;
    }

    @Override
    protected MediaException truncated() {
        return malformed("WebP is truncated");
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
