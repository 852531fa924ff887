package dev.parley.media;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The types {@link MediaSniffer} recognises from the bytes. A client's declared content type
 * and file name extension are never used to choose one.
 *
 * @since 0.1.0
 */
public enum MediaType {
    JPEG("image/jpeg", MediaKind.IMAGE, false, "jpg", "jpeg", "jpe"),
    PNG("image/png", MediaKind.IMAGE, false, "png"),
    GIF("image/gif", MediaKind.IMAGE, false, "gif"),
    WEBP("image/webp", MediaKind.IMAGE, false, "webp"),
    /** Recognised, not allowed by default: no preview, and its location metadata is not stripped. */
    HEIC("image/heic", MediaKind.IMAGE, false, "heic", "heif"),
    /** Recognised, not allowed by default: no preview, and its location metadata is not stripped. */
    AVIF("image/avif", MediaKind.IMAGE, false, "avif"),

    PDF("application/pdf", MediaKind.DOCUMENT, false, "pdf"),
    ZIP("application/zip", MediaKind.DOCUMENT, false, "zip"),
    DOCX("application/vnd.openxmlformats-officedocument.wordprocessingml.document", MediaKind.DOCUMENT, false, "docx"),
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", MediaKind.DOCUMENT, false, "xlsx"),
    PPTX("application/vnd.openxmlformats-officedocument.presentationml.presentation", MediaKind.DOCUMENT, false, "pptx"),
    ODT("application/vnd.oasis.opendocument.text", MediaKind.DOCUMENT, false, "odt"),
    ODS("application/vnd.oasis.opendocument.spreadsheet", MediaKind.DOCUMENT, false, "ods"),
    ODP("application/vnd.oasis.opendocument.presentation", MediaKind.DOCUMENT, false, "odp"),
    /** Legacy Word (OLE2 compound file with a {@code WordDocument} stream). */
    DOC("application/msword", MediaKind.DOCUMENT, false, "doc"),
    /** Legacy Excel (OLE2 compound file with a {@code Workbook} or {@code Book} stream). */
    XLS("application/vnd.ms-excel", MediaKind.DOCUMENT, false, "xls"),
    /** Legacy PowerPoint (OLE2 compound file with a {@code PowerPoint Document} stream). */
    PPT("application/vnd.ms-powerpoint", MediaKind.DOCUMENT, false, "ppt"),
    /** UTF-8 text (an optional byte-order mark, no NUL or other control characters but tab, line breaks and form feed). */
    TEXT("text/plain", MediaKind.DOCUMENT, false, "txt", "text", "log", "md", "csv"),

    OGG_AUDIO("audio/ogg", MediaKind.AUDIO, false, "ogg", "opus", "oga"),
    WEBM_AUDIO("audio/webm", MediaKind.AUDIO, false, "webm", "weba"),
    MATROSKA_AUDIO("audio/x-matroska", MediaKind.AUDIO, false, "mka"),
    MP4_AUDIO("audio/mp4", MediaKind.AUDIO, false, "m4a", "mp4", "aac"),
    MPEG_AUDIO("audio/mpeg", MediaKind.AUDIO, false, "mp3"),
    WAV("audio/wav", MediaKind.AUDIO, false, "wav"),

    WEBM_VIDEO("video/webm", MediaKind.VIDEO, false, "webm"),
    MATROSKA_VIDEO("video/x-matroska", MediaKind.VIDEO, false, "mkv"),
    MP4_VIDEO("video/mp4", MediaKind.VIDEO, false, "mp4", "m4v"),
    QUICKTIME("video/quicktime", MediaKind.VIDEO, false, "mov"),
    OGG_VIDEO("video/ogg", MediaKind.VIDEO, false, "ogv"),

    /** HTML: a browser would run its scripts. Not allowed by default. */
    HTML("text/html", MediaKind.OTHER, false, "html", "htm"),
    /** SVG: an image format that carries scripts. Not allowed by default. */
    SVG("image/svg+xml", MediaKind.OTHER, false, "svg"),
    /** An OLE2 compound file that is not a Word, Excel or PowerPoint file (Windows installers are such files). */
    OLE2("application/x-ole-storage", MediaKind.OTHER, false, "bin"),
    /** Bytes of no recognised type. Not allowed by default. */
    OCTET_STREAM("application/octet-stream", MediaKind.OTHER, false, "bin"),

    /** Windows program or library (MZ / PE). */
    WINDOWS_EXECUTABLE("application/vnd.microsoft.portable-executable", MediaKind.OTHER, true, "exe", "dll"),
    /** Linux or other Unix program or library (ELF). */
    ELF("application/x-elf", MediaKind.OTHER, true, "elf", "so"),
    /** macOS program (Mach-O, also universal binaries; Java class files share their magic number). */
    MACH_O("application/x-mach-binary", MediaKind.OTHER, true, "bin"),
    /** A script starting with {@code #!}. */
    SCRIPT("text/x-shellscript", MediaKind.OTHER, true, "sh"),
    /** A Java archive (a zip with a manifest or class files). */
    JAVA_ARCHIVE("application/java-archive", MediaKind.OTHER, true, "jar"),
    /** An Android package (a zip with {@code classes.dex} and {@code AndroidManifest.xml}). */
    ANDROID_PACKAGE("application/vnd.android.package-archive", MediaKind.OTHER, true, "apk");

    private final String mimeType;
    private final MediaKind kind;
    private final boolean executable;
    private final List<String> extensions;

    MediaType(String mimeType, MediaKind kind, boolean executable, String... extensions) {
        this.mimeType = mimeType;
        this.kind = kind;
        this.executable = executable;
        this.extensions = List.of(extensions);
    }

    /** The IANA media type, e.g. {@code image/png}: what goes in {@code Content-Type}. */
    public String mimeType() {
        return mimeType;
    }

    public MediaKind kind() {
        return kind;
    }

    /** Whether the bytes are a program a computer may run when the file is opened. */
    public boolean executable() {
        return executable;
    }

    /** File name extensions of this type, lowercase without the dot; the first is canonical. */
    public List<String> extensions() {
        return extensions;
    }

    /** The type with this media type (parameters and case ignored), if Parley knows it. */
    public static Optional<MediaType> fromMimeType(String mimeType) {
        if (mimeType == null) {
            return Optional.empty();
        }
        int semicolon = mimeType.indexOf(';');
        String bare = (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
        for (MediaType type : values()) {
            if (type.mimeType.equals(bare)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
