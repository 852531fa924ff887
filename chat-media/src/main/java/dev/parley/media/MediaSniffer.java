package dev.parley.media;

import dev.parley.core.spi.BlobStore;
import dev.parley.media.internal.BlobSource;
import dev.parley.media.internal.Bytes;
import dev.parley.media.internal.MatroskaParser;
import dev.parley.media.internal.Mp4Parser;
import dev.parley.media.internal.MpegAudio;
import dev.parley.media.internal.OggParser;
import dev.parley.media.internal.Ole2Directory;
import dev.parley.media.internal.RandomReader;
import dev.parley.media.internal.TextCheck;
import dev.parley.media.internal.ZipEntries;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Detects a file's {@link MediaType} from its bytes (magic numbers and container structure),
 * never from the name or the type a client declares.
 *
 * <p>Two steps, because an upload's limit depends on its kind before the whole file is there:
 * {@link #sniff} looks at the first bytes ({@link #PREFIX_BYTES}) and gives a provisional type;
 * {@link #detect} reads a stored blob where needed (a zip's central directory for OOXML and
 * OpenDocument, an OLE2 directory for legacy Office, an MP4's tracks, a Matroska file's tracks,
 * the whole text for UTF-8 validation) and gives the final type.
 *
 * <pre>{@code
 * MediaType provisional = MediaSniffer.sniff(prefix, n, n < MediaSniffer.PREFIX_BYTES);
 * MediaType type = MediaSniffer.detect(blobs, ref.id());
 * }</pre>
 *
 * <p>Recognised: JPEG, PNG, GIF, WebP, HEIC/AVIF; PDF; zip with DOCX/XLSX/PPTX, ODT/ODS/ODP,
 * JAR and APK told apart by their entries; OLE2 with DOC/XLS/PPT told apart by their streams;
 * UTF-8 text, HTML and SVG; Ogg (Opus, Vorbis, FLAC, Speex; Theora as video); WebM/Matroska
 * (audio or video by tracks); MP4/M4A/MOV (audio or video by tracks); MPEG audio (frame sync
 * or ID3); WAV; executables: ELF, PE/MZ, Mach-O (and Java class files, which share its magic
 * number), and scripts with {@code #!}. Everything else is {@link MediaType#OCTET_STREAM}.
 *
 * @since 0.1.0
 */
public final class MediaSniffer {
    /** How many leading bytes {@link #sniff} wants to see. */
    public static final int PREFIX_BYTES = 64 * 1024;

    private static final Set<String> HEIC_BRANDS = Set.of("heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1");
    private static final Set<String> AVIF_BRANDS = Set.of("avif", "avis");

    private MediaSniffer() {
    }

    /**
     * The provisional type of a file from its first bytes.
     *
     * @param prefix   the first bytes
     * @param length   how many of them are valid
     * @param complete whether the prefix is the whole file
     */
    public static MediaType sniff(byte[] prefix, int length, boolean complete) {
        byte[] b = prefix;
        if (Bytes.startsWith(b, length, 0xFF, 0xD8, 0xFF)) {
            return MediaType.JPEG;
        }
        if (Bytes.startsWith(b, length, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return MediaType.PNG;
        }
        if (Bytes.ascii(b, length, 0, "GIF87a") || Bytes.ascii(b, length, 0, "GIF89a")) {
            return MediaType.GIF;
        }
        if (Bytes.ascii(b, length, 0, "RIFF") && Bytes.ascii(b, length, 8, "WEBP")) {
            return MediaType.WEBP;
        }
        if (Bytes.ascii(b, length, 0, "RIFF") && Bytes.ascii(b, length, 8, "WAVE")) {
            return MediaType.WAV;
        }
        if (Bytes.ascii(b, length, 0, "%PDF-")) {
            return MediaType.PDF;
        }
        if (Bytes.startsWith(b, length, 'P', 'K', 3, 4) || Bytes.startsWith(b, length, 'P', 'K', 5, 6)) {
            return zipFromPrefix(b, length);
        }
        if (Bytes.startsWith(b, length, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1)) {
            return MediaType.OLE2;
        }
        if (Bytes.ascii(b, length, 0, "OggS")) {
            return ogg(b, length);
        }
        if (Bytes.startsWith(b, length, 0x1A, 0x45, 0xDF, 0xA3)) {
            return matroskaFromPrefix(b, length);
        }
        if (Bytes.ascii(b, length, 4, "ftyp")) {
            return isoBrands(b, length);
        }
        if (Bytes.startsWith(b, length, 0x7F, 'E', 'L', 'F')) {
            return MediaType.ELF;
        }
        if (isMachO(b, length)) {
            return MediaType.MACH_O;
        }
        if (isWindowsExecutable(b, length)) {
            return MediaType.WINDOWS_EXECUTABLE;
        }
        if (Bytes.ascii(b, length, 0, "#!")) {
            return MediaType.SCRIPT;
        }
        if (MpegAudio.looksLikeMpegAudio(b, length)) {
            return MediaType.MPEG_AUDIO;
        }
        TextCheck text = new TextCheck();
        text.feed(b, 0, length);
        if (complete ? text.validComplete() : text.validSoFar()) {
            return markup(b, length);
        }
        return MediaType.OCTET_STREAM;
    }

    /** The final type of a stored blob. */
    public static MediaType detect(BlobStore store, String id) throws IOException {
        long size = store.stat(id).orElseThrow(() -> dev.parley.core.ChatException.notFound("no blob " + id)).size();
        try (BlobSource source = new BlobSource(store, id, size)) {
            return detect(source);
        }
    }

    static MediaType detect(BlobSource source) throws IOException {
        int length = (int) Math.min(PREFIX_BYTES, source.size());
        byte[] prefix = source.readFully(0, length);
        MediaType provisional = sniff(prefix, length, length == source.size());
        try {
            return switch (provisional) {
                case ZIP, DOCX, XLSX, PPTX, ODT, ODS, ODP, JAVA_ARCHIVE, ANDROID_PACKAGE -> zip(source);
                case OLE2 -> ole2(source);
                case MP4_AUDIO, MP4_VIDEO, QUICKTIME -> isoTracks(source, provisional);
                case WEBM_AUDIO, WEBM_VIDEO, MATROSKA_AUDIO, MATROSKA_VIDEO -> matroska(source);
                case TEXT, HTML, SVG -> wholeText(source, provisional);
                default -> provisional;
            };
        } catch (EOFException e) {
            throw new MediaException(MediaException.Reason.MALFORMED, provisional.mimeType() + " file is truncated", e);
        }
    }

    private static MediaType zipFromPrefix(byte[] b, int length) {
        // An OpenDocument file stores an uncompressed "mimetype" entry first.
        if (length >= 38 && Bytes.ascii(b, length, 30, "mimetype")) {
            int nameLength = Bytes.u16le(b, 26);
            int extraLength = Bytes.u16le(b, 28);
            long dataLength = Bytes.u32le(b, 18);
            int at = 30 + nameLength + extraLength;
            if (dataLength < 100 && at + dataLength <= length) {
                MediaType odf = odf(Bytes.latin1(b, at, (int) dataLength));
                if (odf != null) {
                    return odf;
                }
            }
        }
        return MediaType.ZIP;
    }

    private static MediaType odf(String mimeType) {
        return switch (mimeType) {
            case "application/vnd.oasis.opendocument.text" -> MediaType.ODT;
            case "application/vnd.oasis.opendocument.spreadsheet" -> MediaType.ODS;
            case "application/vnd.oasis.opendocument.presentation" -> MediaType.ODP;
            default -> null;
        };
    }

    private static MediaType zip(RandomReader source) throws IOException {
        ZipEntries.Listing listing = ZipEntries.read(source);
        Set<String> names = Set.copyOf(listing.names());
        if (names.contains("AndroidManifest.xml") && names.contains("classes.dex")) {
            return MediaType.ANDROID_PACKAGE;
        }
        if (names.contains("META-INF/MANIFEST.MF") || listing.names().stream().anyMatch(n -> n.endsWith(".class"))) {
            return MediaType.JAVA_ARCHIVE;
        }
        if (listing.odfMimeType() != null && odf(listing.odfMimeType()) != null) {
            return odf(listing.odfMimeType());
        }
        if (names.contains("[Content_Types].xml")) {
            if (names.contains("word/document.xml") || startsWithAny(listing, "word/")) {
                return MediaType.DOCX;
            }
            if (names.contains("xl/workbook.xml") || startsWithAny(listing, "xl/")) {
                return MediaType.XLSX;
            }
            if (names.contains("ppt/presentation.xml") || startsWithAny(listing, "ppt/")) {
                return MediaType.PPTX;
            }
        }
        return MediaType.ZIP;
    }

    private static boolean startsWithAny(ZipEntries.Listing listing, String prefix) {
        return listing.names().stream().anyMatch(n -> n.startsWith(prefix));
    }

    private static MediaType ole2(RandomReader source) throws IOException {
        Set<String> names = Ole2Directory.names(source);
        if (names.contains("WordDocument")) {
            return MediaType.DOC;
        }
        if (names.contains("Workbook") || names.contains("Book")) {
            return MediaType.XLS;
        }
        if (names.contains("PowerPoint Document")) {
            return MediaType.PPT;
        }
        return MediaType.OLE2;
    }

    private static MediaType ogg(byte[] b, int length) {
        try {
            OggParser.OggInfo info = OggParser.head(new ByteArrayInputStream(b, 0, length));
            if (info.hasVideo()) {
                return MediaType.OGG_VIDEO;
            }
            return info.codec() != null ? MediaType.OGG_AUDIO : MediaType.OCTET_STREAM;
        } catch (IOException | MediaException e) {
            return MediaType.OCTET_STREAM;
        }
    }

    private static MediaType matroskaFromPrefix(byte[] b, int length) {
        try {
            MatroskaParser.MkvInfo info = MatroskaParser.tracks(new ByteArrayInputStream(b, 0, length));
            return matroskaType(info, info.tracksSeen());
        } catch (IOException | MediaException e) {
            return MediaType.OCTET_STREAM;
        }
    }

    private static MediaType matroska(BlobSource source) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(source.streamFrom(0), 64 * 1024)) {
            MatroskaParser.MkvInfo info = MatroskaParser.tracks(in);
            if (!info.tracksSeen()) {
                throw new MediaException(MediaException.Reason.MALFORMED, "Matroska file has no tracks");
            }
            return matroskaType(info, true);
        }
    }

    private static MediaType matroskaType(MatroskaParser.MkvInfo info, boolean tracksKnown) {
        boolean webm = "webm".equals(info.docType());
        if (!webm && !"matroska".equals(info.docType())) {
            return MediaType.OCTET_STREAM;
        }
        boolean audioOnly = tracksKnown && info.hasAudio() && !info.hasVideo();
        if (audioOnly) {
            return webm ? MediaType.WEBM_AUDIO : MediaType.MATROSKA_AUDIO;
        }
        return webm ? MediaType.WEBM_VIDEO : MediaType.MATROSKA_VIDEO;
    }

    private static MediaType isoBrands(byte[] b, int length) {
        try {
            Mp4Parser.Mp4Info brands = Mp4Parser.brands(RandomReader.of(b, length));
            if (AVIF_BRANDS.contains(brands.majorBrand()) || brands.hasBrand("avif") && brands.majorBrand().equals("mif1")) {
                return MediaType.AVIF;
            }
            if (HEIC_BRANDS.contains(brands.majorBrand())) {
                return MediaType.HEIC;
            }
            return switch (brands.majorBrand()) {
                case "M4A ", "M4B ", "M4P " -> MediaType.MP4_AUDIO;
                case "qt  " -> MediaType.QUICKTIME;
                default -> MediaType.MP4_VIDEO;
            };
        } catch (IOException | MediaException e) {
            return MediaType.OCTET_STREAM;
        }
    }

    private static MediaType isoTracks(RandomReader source, MediaType provisional) throws IOException {
        Mp4Parser.Mp4Info info = Mp4Parser.parse(source);
        if (info.hasVideo()) {
            return provisional == MediaType.QUICKTIME ? MediaType.QUICKTIME : MediaType.MP4_VIDEO;
        }
        if (info.hasAudio()) {
            return MediaType.MP4_AUDIO;
        }
        throw new MediaException(MediaException.Reason.MALFORMED, "MP4 file has neither audio nor video tracks");
    }

    private static MediaType wholeText(BlobSource source, MediaType provisional) throws IOException {
        TextCheck text = new TextCheck();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = source.streamFrom(0)) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (!text.feed(buffer, 0, n)) {
                    return MediaType.OCTET_STREAM;
                }
            }
        }
        return text.validComplete() ? provisional : MediaType.OCTET_STREAM;
    }

    /** Text that a browser would treat as markup with scripts: HTML, SVG. */
    private static MediaType markup(byte[] b, int length) {
        String head = new String(b, 0, Math.min(length, 4096), StandardCharsets.UTF_8)
                .replace("\uFEFF", "").stripLeading().toLowerCase(Locale.ROOT);
        if (head.startsWith("<svg") || head.startsWith("<?xml") && head.contains("<svg")
                || head.startsWith("<!doctype svg")) {
            return MediaType.SVG;
        }
        if (head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head")
                || head.startsWith("<body") || head.startsWith("<script") || head.startsWith("<iframe")
                || head.startsWith("<?xml") && head.contains("<html")) {
            return MediaType.HTML;
        }
        return MediaType.TEXT;
    }

    private static boolean isMachO(byte[] b, int length) {
        return Bytes.startsWith(b, length, 0xFE, 0xED, 0xFA, 0xCE) || Bytes.startsWith(b, length, 0xFE, 0xED, 0xFA, 0xCF)
                || Bytes.startsWith(b, length, 0xCE, 0xFA, 0xED, 0xFE) || Bytes.startsWith(b, length, 0xCF, 0xFA, 0xED, 0xFE)
                || Bytes.startsWith(b, length, 0xCA, 0xFE, 0xBA, 0xBE);
    }

    /** "MZ" and either a PE header where e_lfanew points, or binary bytes in the DOS header. */
    private static boolean isWindowsExecutable(byte[] b, int length) {
        if (!Bytes.ascii(b, length, 0, "MZ")) {
            return false;
        }
        if (length >= 64) {
            long peOffset = Bytes.u32le(b, 0x3C);
            if (peOffset + 4 <= length && Bytes.ascii(b, length, (int) peOffset, "PE\0\0")) {
                return true;
            }
        }
        for (int i = 2; i < Math.min(length, 64); i++) {
            int c = b[i] & 0xFF;
            if (c < 0x09 || c > 0x0D && c < 0x20) {
                return true;
            }
        }
        return false;
    }
}
