package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Rewrites a JPEG without its metadata, losslessly (segments are dropped, pixels are not
 * touched): all APP1 (EXIF, including GPS, and XMP), APP2 other than ICC profiles (MPF with
 * its secondary images), APP3–APP13 and APP15 (IPTC, Photoshop), comments, and anything after
 * the end-of-image marker (trailers, appended images, motion-photo video). An EXIF orientation
 * other than 1 is put back as a minimal EXIF segment holding only that tag, so the photo still
 * displays upright. Kept: JFIF (APP0), ICC profiles, Adobe (APP14), and every coding segment.
 */
final class JpegStripper extends Transform {
    private enum State { START, SEGMENTS, ENTROPY, END }

    private State state = State.START;
    private int pendingMarker = -1;
    private boolean orientationWritten;

    JpegStripper(InputStream in) {
        super(in);
    }

    @Override
    protected boolean produce() throws IOException {
        switch (state) {
            case START -> {
                if (readByte() != 0xFF || readByte() != 0xD8) {
                    throw malformed("JPEG does not start with SOI");
                }
                emit(0xFF);
                emit(0xD8);
                state = State.SEGMENTS;
                return true;
            }
            case SEGMENTS -> {
                segment();
                return true;
            }
            case ENTROPY -> {
                entropy();
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void segment() throws IOException {
        int marker = pendingMarker;
        pendingMarker = -1;
        if (marker < 0) {
            if (readByte() != 0xFF) {
                throw malformed("JPEG segment does not start with a marker");
            }
            do {
                marker = readByte();
            } while (marker == 0xFF);
        }
        if (marker == 0xD9) {
            emit(0xFF);
            emit(0xD9);
            state = State.END; // whatever follows EOI is dropped
            return;
        }
        if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD7) {
            emit(0xFF);
            emit(marker);
            return;
        }
        int high = readByte();
        int length = high << 8 | readByte();
        if (length < 2) {
            throw malformed("JPEG segment length " + length);
        }
        if (marker == 0xE1 || marker == 0xE2) {
            byte[] body = readBytes(length - 2);
            if (marker == 0xE2 && Bytes.ascii(body, body.length, 0, "ICC_PROFILE\0")) {
                writeSegment(marker, body);
            } else if (marker == 0xE1 && Bytes.ascii(body, body.length, 0, "Exif\0\0") && !orientationWritten) {
                orientationWritten = true;
                int orientation = Exif.orientation(body, 6);
                if (orientation != 1) {
                    emit(Exif.orientationSegment(orientation));
                }
            }
            return;
        }
        if (marker >= 0xE3 && marker <= 0xEF && marker != 0xEE || marker == 0xFE) {
            drop(length - 2L);
            return;
        }
        emit(0xFF);
        emit(marker);
        emit(high);
        emit(length & 0xFF);
        copy(length - 2L);
        if (marker == 0xDA) {
            state = State.ENTROPY;
        }
    }

    private void writeSegment(int marker, byte[] body) {
        int length = body.length + 2;
        emit(0xFF);
        emit(marker);
        emit(length >> 8);
        emit(length & 0xFF);
        emit(body);
    }

    /** Copies entropy-coded data up to the next marker that is not a restart or a stuffed zero. */
    private void entropy() throws IOException {
        while (outputBuffered() < 8192) {
            int b = readByte();
            if (b != 0xFF) {
                emit(b);
                continue;
            }
            int next = readByte();
            while (next == 0xFF) {
                next = readByte();
            }
            if (next == 0x00 || next >= 0xD0 && next <= 0xD7) {
                emit(0xFF);
                emit(next);
            } else {
                pendingMarker = next;
                state = State.SEGMENTS;
                return;
            }
        }
    }

    @Override
    protected MediaException truncated() {
        return malformed("JPEG is truncated");
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
