package dev.parley.media.internal;

/** The one EXIF field Parley keeps: orientation. */
public final class Exif {
    private static final int ORIENTATION = 0x0112;

    private Exif() {
    }

    /**
     * The orientation (1..8) in the TIFF structure starting at {@code tiff} in {@code b}, or 1
     * when absent or unreadable.
     */
    public static int orientation(byte[] b, int tiff) {
        try {
            boolean little;
            if (b[tiff] == 'I' && b[tiff + 1] == 'I') {
                little = true;
            } else if (b[tiff] == 'M' && b[tiff + 1] == 'M') {
                little = false;
            } else {
                return 1;
            }
            long ifd = u32(b, tiff + 4, little);
            if (ifd < 8 || tiff + ifd + 2 > b.length) {
                return 1;
            }
            int at = (int) (tiff + ifd);
            int entries = u16(b, at, little);
            for (int i = 0; i < entries; i++) {
                int entry = at + 2 + 12 * i;
                if (entry + 12 > b.length) {
                    return 1;
                }
                if (u16(b, entry, little) == ORIENTATION && u16(b, entry + 2, little) == 3) {
                    int value = u16(b, entry + 8, little);
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
            return 1;
        } catch (ArrayIndexOutOfBoundsException e) {
            return 1;
        }
    }

    /**
     * A minimal JPEG APP1 segment (marker included) holding only an EXIF orientation, so that
     * stripping metadata does not turn a photo on its side.
     */
    public static byte[] orientationSegment(int orientation) {
        byte[] tiff = {
                'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at 8
                0, 1, // one entry
                0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, 1
                0, 0, 0, 0 // no next IFD
        };
        int length = 2 + 6 + tiff.length;
        byte[] segment = new byte[2 + length];
        segment[0] = (byte) 0xFF;
        segment[1] = (byte) 0xE1;
        segment[2] = (byte) (length >> 8);
        segment[3] = (byte) length;
        System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, segment, 4, 6);
        System.arraycopy(tiff, 0, segment, 10, tiff.length);
        return segment;
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? Bytes.u16le(b, i) : Bytes.u16be(b, i);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return little ? Bytes.u32le(b, i) : Bytes.u32be(b, i);
    }
}
