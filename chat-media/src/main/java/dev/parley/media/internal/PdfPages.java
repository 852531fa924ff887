package dev.parley.media.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Best-effort page count of a PDF: the largest {@code /Count} of a {@code /Type /Pages}
 * dictionary written in the clear. A PDF whose page tree sits in compressed object streams
 * (common since PDF 1.5) has no such dictionary in the clear: then the count is unknown.
 */
public final class PdfPages {
    private static final Pattern PAGES = Pattern.compile("/Type\\s*/Pages(?![A-Za-z])");
    private static final Pattern COUNT = Pattern.compile("/Count\\s+(\\d{1,7})(?!\\d)");
    private static final int CHUNK = 1 << 20;
    private static final int OVERLAP = 4096;

    private PdfPages() {
    }

    /** The page count, or -1 when unknown. */
    public static int count(InputStream in) throws IOException {
        byte[] buffer = new byte[CHUNK + OVERLAP];
        int carried = 0;
        int best = -1;
        while (true) {
            int n = in.readNBytes(buffer, carried, CHUNK);
            if (n == 0) {
                break;
            }
            int length = carried + n;
            String text = new String(buffer, 0, length, StandardCharsets.ISO_8859_1);
            Matcher pages = PAGES.matcher(text);
            while (pages.find()) {
                int from = Math.max(0, text.lastIndexOf("<<", pages.start()));
                int to = Math.min(length, pages.end() + 512);
                Matcher count = COUNT.matcher(text.substring(from, to));
                if (count.find()) {
                    best = Math.max(best, Integer.parseInt(count.group(1)));
                }
            }
            carried = Math.min(OVERLAP, length);
            System.arraycopy(buffer, length - carried, buffer, 0, carried);
        }
        return best;
    }
}
