package dev.parley.media.internal;

/**
 * Streaming check that bytes are UTF-8 text: well-formed (no overlong forms, surrogates or
 * code points past U+10FFFF) with no control characters but tab, line feed, form feed and
 * carriage return.
 */
public final class TextCheck {
    private int needed;
    private int codePoint;
    private int min;
    private boolean bad;

    /** Checks more bytes; returns false once the text is known not to be valid. */
    public boolean feed(byte[] b, int offset, int length) {
        for (int i = offset; i < offset + length && !bad; i++) {
            int c = b[i] & 0xFF;
            if (needed == 0) {
                if (c < 0x80) {
                    bad = c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f';
                } else if (c >= 0xC2 && c <= 0xDF) {
                    start(c & 0x1F, 1, 0x80);
                } else if (c >= 0xE0 && c <= 0xEF) {
                    start(c & 0x0F, 2, 0x800);
                } else if (c >= 0xF0 && c <= 0xF4) {
                    start(c & 0x07, 3, 0x10000);
                } else {
                    bad = true;
                }
            } else if ((c & 0xC0) != 0x80) {
                bad = true;
            } else {
                codePoint = codePoint << 6 | c & 0x3F;
                if (--needed == 0) {
                    bad = codePoint < min || codePoint > 0x10FFFF || codePoint >= 0xD800 && codePoint <= 0xDFFF;
                }
            }
        }
        return !bad;
    }

    private void start(int bits, int count, int minimum) {
        codePoint = bits;
        needed = count;
        min = minimum;
    }

    /** Whether everything fed so far is valid text, allowing a sequence cut off at the end. */
    public boolean validSoFar() {
        return !bad;
    }

    /** Whether everything fed is valid text that ends on a whole character. */
    public boolean validComplete() {
        return !bad && needed == 0;
    }
}
