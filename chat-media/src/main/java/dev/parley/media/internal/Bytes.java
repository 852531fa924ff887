package dev.parley.media.internal;

import java.nio.charset.StandardCharsets;

/** Reading numbers and tags out of byte arrays. */
public final class Bytes {
    private Bytes() {
    }

    public static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    public static int u16be(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }

    public static int u16le(byte[] b, int i) {
        return b[i] & 0xFF | (b[i + 1] & 0xFF) << 8;
    }

    public static int u24le(byte[] b, int i) {
        return u16le(b, i) | (b[i + 2] & 0xFF) << 16;
    }

    public static long u32be(byte[] b, int i) {
        return ((long) u16be(b, i) << 16) | u16be(b, i + 2);
    }

    public static long u32le(byte[] b, int i) {
        return u16le(b, i) | ((long) u16le(b, i + 2) << 16);
    }

    public static long u64be(byte[] b, int i) {
        return u32be(b, i) << 32 | u32be(b, i + 4);
    }

    public static long u64le(byte[] b, int i) {
        return u32le(b, i) | u32le(b, i + 4) << 32;
    }

    /** Whether {@code b} holds the ASCII {@code tag} at {@code i} (false past the end). */
    public static boolean ascii(byte[] b, int length, int i, String tag) {
        if (i < 0 || i + tag.length() > length) {
            return false;
        }
        for (int k = 0; k < tag.length(); k++) {
            if (b[i + k] != (byte) tag.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code b} starts with {@code prefix} (false when too short). */
    public static boolean startsWith(byte[] b, int length, int... prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if ((b[k] & 0xFF) != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    public static String latin1(byte[] b, int i, int length) {
        return new String(b, i, length, StandardCharsets.ISO_8859_1);
    }
}
