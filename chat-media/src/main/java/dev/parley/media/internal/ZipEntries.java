package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry names of a zip file, read from its central directory without inflating anything
 * (so a zip bomb costs nothing here). At most {@link #MAX_ENTRIES} names are read.
 */
public final class ZipEntries {
    public static final int MAX_ENTRIES = 20_000;
    private static final int MAX_DIRECTORY_BYTES = 8 * 1024 * 1024;

    /**
     * @param names       entry names in directory order (at most {@link #MAX_ENTRIES})
     * @param odfMimeType  the OpenDocument type named by a first {@code mimetype} entry, or null
     */
    public record Listing(List<String> names, String odfMimeType) {
    }

    private ZipEntries() {
    }

    public static Listing read(RandomReader in) throws IOException {
        long size = in.size();
        int tailLength = (int) Math.min(size, 22 + 65_535);
        byte[] tail = in.readFully(size - tailLength, tailLength);
        int eocd = -1;
        for (int i = tailLength - 22; i >= 0; i--) {
            if (tail[i] == 'P' && tail[i + 1] == 'K' && tail[i + 2] == 5 && tail[i + 3] == 6) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw malformed("zip has no end of central directory (truncated?)");
        }
        long entries = Bytes.u16le(tail, eocd + 10);
        long directorySize = Bytes.u32le(tail, eocd + 12);
        long directoryOffset = Bytes.u32le(tail, eocd + 16);
        if (directoryOffset == 0xFFFFFFFFL || entries == 0xFFFF || directorySize == 0xFFFFFFFFL) {
            long[] zip64 = zip64(in, size - tailLength + eocd);
            entries = zip64[0];
            directorySize = zip64[1];
            directoryOffset = zip64[2];
        }
        if (directoryOffset + directorySize > size || directorySize > MAX_DIRECTORY_BYTES && entries <= MAX_ENTRIES) {
            throw malformed("zip central directory lies outside the file");
        }
        int readable = (int) Math.min(directorySize, MAX_DIRECTORY_BYTES);
        byte[] directory = in.readFully(directoryOffset, readable);
        List<String> names = new ArrayList<>();
        int at = 0;
        long firstLocal = -1;
        String first = null;
        while (names.size() < Math.min(entries, MAX_ENTRIES) && at + 46 <= readable) {
            if (Bytes.u32le(directory, at) != 0x02014b50L) {
                throw malformed("zip central directory entry is damaged");
            }
            int nameLength = Bytes.u16le(directory, at + 28);
            int extraLength = Bytes.u16le(directory, at + 30);
            int commentLength = Bytes.u16le(directory, at + 32);
            if (at + 46 + nameLength > readable) {
                break;
            }
            String name = new String(directory, at + 46, nameLength, StandardCharsets.UTF_8);
            if (names.isEmpty()) {
                first = name;
                firstLocal = Bytes.u32le(directory, at + 42);
            }
            names.add(name);
            at += 46 + nameLength + extraLength + commentLength;
        }
        return new Listing(List.copyOf(names), odfMimeType(in, first, firstLocal));
    }

    /** The ODF {@code mimetype} entry: stored first, uncompressed, so its local header holds it. */
    private static String odfMimeType(RandomReader in, String first, long local) throws IOException {
        if (!"mimetype".equals(first) || local < 0 || local + 30 > in.size()) {
            return null;
        }
        byte[] header = in.readFully(local, 30);
        if (Bytes.u32le(header, 0) != 0x04034b50L || Bytes.u16le(header, 8) != 0) {
            return null;
        }
        long length = Bytes.u32le(header, 18);
        int nameLength = Bytes.u16le(header, 26);
        int extraLength = Bytes.u16le(header, 28);
        if (length > 200 || local + 30 + nameLength + extraLength + length > in.size()) {
            return null;
        }
        return new String(in.readFully(local + 30 + nameLength + extraLength, (int) length), StandardCharsets.US_ASCII);
    }

    private static long[] zip64(RandomReader in, long eocdOffset) throws IOException {
        if (eocdOffset < 20) {
            throw malformed("zip64 locator missing");
        }
        byte[] locator = in.readFully(eocdOffset - 20, 20);
        if (Bytes.u32le(locator, 0) != 0x07064b50L) {
            throw malformed("zip64 locator missing");
        }
        long recordOffset = Bytes.u64le(locator, 8);
        if (recordOffset < 0 || recordOffset + 56 > in.size()) {
            throw malformed("zip64 end record outside the file");
        }
        byte[] record = in.readFully(recordOffset, 56);
        if (Bytes.u32le(record, 0) != 0x06064b50L) {
            throw malformed("zip64 end record damaged");
        }
        return new long[] {Bytes.u64le(record, 32), Bytes.u64le(record, 40), Bytes.u64le(record, 48)};
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
