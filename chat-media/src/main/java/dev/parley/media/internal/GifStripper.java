package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Rewrites a GIF without comment extensions and without application extensions other than
 * the looping ones ({@code NETSCAPE2.0}, {@code ANIMEXTS1.0}); XMP travels in an application
 * extension. Image data, palettes and graphic control (frame timing) are copied unchanged,
 * and nothing after the trailer is kept.
 */
final class GifStripper extends Transform {
    private enum State { HEADER, BLOCKS, END }

    private State state = State.HEADER;

    GifStripper(InputStream in) {
        super(in);
    }

    @Override
    protected boolean produce() throws IOException {
        switch (state) {
            case HEADER -> {
                byte[] header = readBytes(13);
                if (!Bytes.ascii(header, 13, 0, "GIF87a") && !Bytes.ascii(header, 13, 0, "GIF89a")) {
                    throw malformed("GIF signature is wrong");
                }
                emit(header);
                if ((header[10] & 0x80) != 0) {
                    copy(3L * (1 << ((header[10] & 0x07) + 1)));
                }
                state = State.BLOCKS;
                return true;
            }
            case BLOCKS -> {
                block();
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void block() throws IOException {
        int introducer = readByte();
        if (introducer == 0x3B) {
            emit(0x3B);
            state = State.END;
        } else if (introducer == 0x2C) {
            byte[] descriptor = readBytes(10); // 9 bytes of descriptor, then the LCT or LZW code size
            emit(0x2C);
            emit(descriptor, 0, 9);
            if ((descriptor[8] & 0x80) != 0) {
                int table = 3 * (1 << ((descriptor[8] & 0x07) + 1));
                emit(descriptor[9]);
                emit(readBytes(table - 1));
                emit(readByte()); // LZW minimum code size
            } else {
                emit(descriptor[9]);
            }
            subBlocks(true);
        } else if (introducer == 0x21) {
            int label = readByte();
            if (label == 0xFE) {
                subBlocks(false);
            } else if (label == 0xFF) {
                int size = readByte();
                byte[] identifier = readBytes(size);
                boolean looping = size == 11 && (Bytes.ascii(identifier, 11, 0, "NETSCAPE2.0")
                        || Bytes.ascii(identifier, 11, 0, "ANIMEXTS1.0"));
                if (looping) {
                    emit(0x21);
                    emit(0xFF);
                    emit(size);
                    emit(identifier);
                }
                subBlocks(looping);
            } else {
                emit(0x21);
                emit(label);
                subBlocks(true);
            }
        } else {
            throw malformed("GIF has an unknown block 0x" + Integer.toHexString(introducer));
        }
    }

    private void subBlocks(boolean keep) throws IOException {
        while (true) {
            int size = readByte();
            if (keep) {
                emit(size);
                emit(readBytes(size));
            } else {
                drop(size);
            }
            if (size == 0) {
                return;
            }
        }
    }

    @Override
    protected MediaException truncated() {
        return malformed("GIF is truncated");
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
