package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/**
 * Rewrites a PNG keeping only chunks that affect how it is drawn: every critical chunk, and
 * the ancillary chunks on {@link #KEPT}. Text ({@code tEXt}, {@code zTXt}, {@code iTXt}),
 * {@code eXIf}, {@code tIME} and private chunks are dropped, and so is anything after
 * {@code IEND}. Chunk data is copied byte for byte.
 */
final class PngStripper extends Transform {
    static final Set<String> KEPT = Set.of("tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "cICP", "mDCV", "cLLI", "sBIT",
            "bKGD", "pHYs", "hIST", "sPLT", "acTL", "fcTL", "fdAT");
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private boolean started;
    private boolean ended;

    PngStripper(InputStream in) {
        super(in);
    }

    @Override
    protected boolean produce() throws IOException {
        if (ended) {
            return false;
        }
        if (!started) {
            byte[] signature = readBytes(8);
            if (!java.util.Arrays.equals(signature, SIGNATURE)) {
                throw malformed("PNG signature is wrong");
            }
            emit(signature);
            started = true;
            return true;
        }
        byte[] header = readBytes(8);
        long length = Bytes.u32be(header, 0);
        if (length > Integer.MAX_VALUE) {
            throw malformed("PNG chunk length " + length);
        }
        String type = Bytes.latin1(header, 4, 4);
        boolean critical = Character.isUpperCase(type.charAt(0));
        if (critical || KEPT.contains(type)) {
            emit(header);
            copy(length + 4); // data and CRC
        } else {
            drop(length + 4);
        }
        if (type.equals("IEND")) {
            ended = true;
        }
        return true;
    }

    @Override
    protected MediaException truncated() {
        return malformed("PNG is truncated");
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
