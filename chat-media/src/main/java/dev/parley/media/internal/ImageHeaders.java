package dev.parley.media.internal;

import dev.parley.media.MediaException;
import dev.parley.media.MediaType;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reads image dimensions from headers, before any decoder sees the pixels. A header that ends
 * early throws {@link EOFException}: for a whole file that means truncated, for an upload's
 * prefix that the header lies further on.
 */
public final class ImageHeaders {
    private ImageHeaders() {
    }

    public static ImageHeader read(RandomReader in, MediaType type) throws IOException {
        return switch (type) {
            case PNG -> png(in);
            case GIF -> gif(in);
            case JPEG -> jpeg(in);
            case WEBP -> webp(in);
            default -> throw new IllegalArgumentException("no header reader for " + type);
        };
    }

    private static ImageHeader png(RandomReader in) throws IOException {
        byte[] head = in.readFully(0, 24);
        if (!Bytes.ascii(head, 24, 12, "IHDR") || Bytes.u32be(head, 8) != 13) {
            throw malformed("PNG does not start with an IHDR chunk");
        }
        int width = dimension(Bytes.u32be(head, 16));
        int height = dimension(Bytes.u32be(head, 20));
        boolean animated = false;
        // An APNG announces itself with acTL before the first IDAT.
        long offset = 8;
        for (int i = 0; i < 64 && offset + 8 <= in.size(); i++) {
            byte[] chunk = in.readFully(offset, 8);
            if (Bytes.ascii(chunk, 8, 4, "acTL")) {
                animated = true;
                break;
            }
            if (Bytes.ascii(chunk, 8, 4, "IDAT")) {
                break;
            }
            offset += 12 + Bytes.u32be(chunk, 0);
        }
        return new ImageHeader(width, height, width, height, animated, 1);
    }

    private static ImageHeader gif(RandomReader in) throws IOException {
        byte[] head = in.readFully(0, 13);
        int width = Bytes.u16le(head, 6);
        int height = Bytes.u16le(head, 8);
        long offset = 13;
        if ((head[10] & 0x80) != 0) {
            offset += 3L * (1 << ((head[10] & 0x07) + 1));
        }
        int frames = 0;
        int frameWidth = 0;
        int frameHeight = 0;
        while (frames < 2) {
            int block = in.u8(offset);
            if (block == 0x21) {
                offset = skipSubBlocks(in, offset + 2);
            } else if (block == 0x2C) {
                byte[] descriptor = in.readFully(offset + 1, 9);
                if (frames == 0) {
                    frameWidth = Bytes.u16le(descriptor, 4);
                    frameHeight = Bytes.u16le(descriptor, 6);
                }
                frames++;
                offset += 10;
                if ((descriptor[8] & 0x80) != 0) {
                    offset += 3L * (1 << ((descriptor[8] & 0x07) + 1));
                }
                offset = skipSubBlocks(in, offset + 1); // after the LZW minimum code size
            } else if (block == 0x3B) {
                break;
            } else {
                throw malformed("GIF has an unknown block 0x" + Integer.toHexString(block));
            }
        }
        if (frames == 0) {
            throw malformed("GIF has no image");
        }
        return new ImageHeader(width, height, frameWidth, frameHeight, frames > 1, 1);
    }

    /** Skips GIF data sub-blocks starting at {@code offset}; returns the offset after the terminator. */
    static long skipSubBlocks(RandomReader in, long offset) throws IOException {
        while (true) {
            int length = in.u8(offset);
            offset += 1 + length;
            if (length == 0) {
                return offset;
            }
        }
    }

    private static ImageHeader jpeg(RandomReader in) throws IOException {
        long offset = 2;
        int orientation = 1;
        while (true) {
            if (in.u8(offset) != 0xFF) {
                throw malformed("JPEG segment does not start with a marker");
            }
            while (in.u8(offset) == 0xFF) {
                offset++; // fill bytes
            }
            int marker = in.u8(offset++);
            if (marker == 0xD8 || marker >= 0xD0 && marker <= 0xD7 || marker == 0x01) {
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw malformed("JPEG has no frame header before its image data");
            }
            int length = Bytes.u16be(in.readFully(offset, 2), 0);
            if (length < 2) {
                throw malformed("JPEG segment length " + length);
            }
            if (isStartOfFrame(marker)) {
                byte[] sof = in.readFully(offset, 7);
                int height = Bytes.u16be(sof, 3);
                int width = Bytes.u16be(sof, 5);
                if (width == 0 || height == 0) {
                    throw malformed("JPEG frame of " + width + "x" + height);
                }
                return new ImageHeader(width, height, width, height, false, orientation);
            }
            if (marker == 0xE1 && length >= 16) {
                byte[] segment = in.readFully(offset + 2, length - 2);
                if (Bytes.ascii(segment, segment.length, 0, "Exif\0\0")) {
                    orientation = Exif.orientation(segment, 6);
                }
            }
            offset += length;
        }
    }

    static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static ImageHeader webp(RandomReader in) throws IOException {
        byte[] head = in.readFully(0, 30);
        if (!Bytes.ascii(head, 30, 8, "WEBP")) {
            throw malformed("not a WebP file");
        }
        if (Bytes.ascii(head, 30, 12, "VP8X")) {
            boolean animated = (head[20] & 0x02) != 0;
            int width = Bytes.u24le(head, 24) + 1;
            int height = Bytes.u24le(head, 27) + 1;
            return new ImageHeader(width, height, width, height, animated, 1);
        }
        if (Bytes.ascii(head, 30, 12, "VP8 ")) {
            if (Bytes.u8(head, 23) != 0x9D || Bytes.u8(head, 24) != 0x01 || Bytes.u8(head, 25) != 0x2A) {
                throw malformed("WebP VP8 frame has no start code");
            }
            int width = Bytes.u16le(head, 26) & 0x3FFF;
            int height = Bytes.u16le(head, 28) & 0x3FFF;
            return new ImageHeader(width, height, width, height, false, 1);
        }
        if (Bytes.ascii(head, 30, 12, "VP8L")) {
            if (Bytes.u8(head, 20) != 0x2F) {
                throw malformed("WebP lossless stream has no signature");
            }
            long bits = Bytes.u32le(head, 21);
            int width = (int) (bits & 0x3FFF) + 1;
            int height = (int) ((bits >> 14) & 0x3FFF) + 1;
            return new ImageHeader(width, height, width, height, false, 1);
        }
        throw malformed("WebP starts with an unknown chunk");
    }

    private static int dimension(long value) {
        if (value == 0 || value > Integer.MAX_VALUE) {
            throw malformed("image dimension " + value);
        }
        return (int) value;
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
