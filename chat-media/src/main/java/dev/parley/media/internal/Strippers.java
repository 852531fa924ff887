package dev.parley.media.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Entry points to the per-format metadata strippers. */
public final class Strippers {
    private Strippers() {
    }

    public static InputStream jpeg(InputStream in) {
        return new JpegStripper(new BufferedInputStream(in, 64 * 1024));
    }

    public static InputStream png(InputStream in) {
        return new PngStripper(new BufferedInputStream(in, 64 * 1024));
    }

    public static InputStream gif(InputStream in) {
        return new GifStripper(new BufferedInputStream(in, 64 * 1024));
    }

    /** WebP needs two passes: {@code first} is read to its end and closed. */
    public static InputStream webp(InputStream first, InputStream second) throws IOException {
        long dropped;
        try (InputStream in = new BufferedInputStream(first, 64 * 1024)) {
            dropped = WebpStripper.droppedBytes(in);
        } catch (IOException | RuntimeException e) {
            second.close();
            throw e;
        }
        return new WebpStripper(new BufferedInputStream(second, 64 * 1024), dropped);
    }
}
