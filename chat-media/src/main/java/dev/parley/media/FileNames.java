package dev.parley.media;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Display names for attachments: what a client sent, made safe to show, to store and to put in
 * a {@code Content-Disposition} header. A name is never used as a path (blobs are stored by
 * hash), but a browser or an operating system will use it when the file is saved.
 *
 * <pre>{@code
 * String name = FileNames.withExtension(FileNames.sanitize(clientName), info.type());
 * response.setHeader("Content-Disposition", FileNames.contentDisposition("attachment", name));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class FileNames {
    /** The longest name {@link #sanitize} returns, in characters (code points). */
    public static final int MAX_LENGTH = 200;
    /** The name used when nothing usable is left. */
    public static final String FALLBACK = "file";

    private static final Set<String> WINDOWS_RESERVED = Set.of("con", "prn", "aux", "nul",
            "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
            "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");
    private static final int MAX_EXTENSION = 16;

    private FileNames() {
    }

    /**
     * A safe display name: only the last path segment ({@code ../../etc/passwd} gives
     * {@code passwd}, {@code C:\x\y.exe} gives {@code y.exe}), Unicode NFC, without control or
     * format characters (NUL, escape, bidirectional overrides that disguise an extension,
     * zero-width characters), tabs and line breaks made spaces, with {@code <>:"/\|?*} replaced by {@code _}, whitespace runs made
     * one space, no leading or trailing dots or spaces, Windows device names ({@code CON},
     * {@code NUL}, {@code COM1}…) prefixed with {@code _}, and at most {@link #MAX_LENGTH}
     * characters (the extension is kept when the base is shortened). Empty or null input gives
     * {@link #FALLBACK}.
     */
    public static String sanitize(String name) {
        if (name == null) {
            return FALLBACK;
        }
        String s = name;
        int slash = Math.max(s.lastIndexOf('/'), s.lastIndexOf('\\'));
        if (slash >= 0) {
            s = s.substring(slash + 1);
        }
        s = Normalizer.normalize(s, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = out.length() > 0; // tabs and line breaks too: one space
                continue;
            }
            int category = Character.getType(c);
            if (category == Character.CONTROL || category == Character.FORMAT || category == Character.SURROGATE
                    || category == Character.UNASSIGNED || category == Character.PRIVATE_USE
                    || category == Character.LINE_SEPARATOR || category == Character.PARAGRAPH_SEPARATOR) {
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.appendCodePoint("<>:\"/\\|?*".indexOf(c) >= 0 ? '_' : c);
        }
        String cleaned = strip(out.toString());
        if (cleaned.isEmpty()) {
            return FALLBACK;
        }
        int dot = cleaned.indexOf('.');
        String base = (dot < 0 ? cleaned : cleaned.substring(0, dot)).toLowerCase(Locale.ROOT).trim();
        if (WINDOWS_RESERVED.contains(base)) {
            cleaned = "_" + cleaned;
        }
        return shorten(cleaned);
    }

    /**
     * {@code name} with an extension that matches {@code type}: unchanged when its extension is
     * one of the type's, otherwise with the type's canonical extension appended
     * ({@code run.bat} detected as text becomes {@code run.bat.txt}; {@code photo.png} that is a
     * JPEG becomes {@code photo.png.jpg}). So a saved file opens with a program for what it is,
     * not for what its name claimed.
     */
    public static String withExtension(String name, MediaType type) {
        Objects.requireNonNull(type, "type");
        String safe = sanitize(name);
        int dot = safe.lastIndexOf('.');
        String extension = dot < 0 ? "" : safe.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (type.extensions().contains(extension)) {
            return safe;
        }
        String canonical = "." + type.extensions().get(0);
        int keep = MAX_LENGTH - canonical.length();
        if (safe.codePointCount(0, safe.length()) > keep) {
            safe = safe.substring(0, safe.offsetByCodePoints(0, keep));
        }
        return safe + canonical;
    }

    /**
     * A {@code Content-Disposition} header value (RFC 6266) for {@code name}: an ASCII
     * {@code filename} fallback (other characters as {@code _}) and, when the name is not plain
     * ASCII, a {@code filename*} in RFC 5987 UTF-8 percent encoding.
     *
     * @param disposition {@code attachment} or {@code inline}
     */
    public static String contentDisposition(String disposition, String name) {
        if (!"attachment".equals(disposition) && !"inline".equals(disposition)) {
            throw new IllegalArgumentException("disposition must be attachment or inline: " + disposition);
        }
        String safe = sanitize(name);
        StringBuilder ascii = new StringBuilder();
        boolean plain = true;
        for (int i = 0; i < safe.length(); ) {
            int c = safe.codePointAt(i);
            i += Character.charCount(c);
            if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%') {
                ascii.append((char) c);
            } else {
                ascii.append('_');
                plain = false;
            }
        }
        StringBuilder header = new StringBuilder(disposition).append("; filename=\"").append(ascii).append('"');
        if (!plain) {
            header.append("; filename*=UTF-8''").append(encodeRfc5987(safe));
        }
        return header.toString();
    }

    /** RFC 5987 {@code value-chars}: UTF-8, every byte outside {@code attr-char} percent-encoded. */
    public static String encodeRfc5987(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0x0F, 16)));
            }
        }
        return out.toString();
    }

    private static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == '.' || s.charAt(start) == ' ')) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(start, end);
    }

    private static String shorten(String s) {
        int length = s.codePointCount(0, s.length());
        if (length <= MAX_LENGTH) {
            return s;
        }
        int dot = s.lastIndexOf('.');
        String extension = dot > 0 && s.codePointCount(dot, s.length()) <= MAX_EXTENSION + 1 ? s.substring(dot) : "";
        int keep = MAX_LENGTH - extension.codePointCount(0, extension.length());
        String base = s.substring(0, s.offsetByCodePoints(0, keep));
        return strip(base) + extension;
    }
}
