package dev.parley.media;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What uploads are accepted: the most bytes per {@link MediaKind}, the allowed
 * {@link MediaType}s, and the image dimension limits that guard against decompression
 * bombs. Immutable; built with a validating builder where each option may be set once.
 *
 * <pre>{@code
 * MediaPolicy policy = MediaPolicy.builder()
 *         .maxBytes(MediaKind.VIDEO, 100L << 20)
 *         .allowedTypes(EnumSet.of(MediaType.JPEG, MediaType.PNG, MediaType.PDF))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: images 20 MiB, documents 50 MiB, audio 20 MiB, video 200 MiB, other 50 MiB;
 * images at most 50 megapixels and 16,384 pixels on either edge; previews at most 320 pixels
 * on the long edge. The default allow list ({@link #DEFAULT_ALLOWED}) holds JPEG, PNG, GIF
 * and WebP images, PDF, zip, the OOXML, OpenDocument and legacy Office formats, UTF-8 text,
 * and every audio and video type. It leaves out executables and scripts, HTML and SVG
 * (a browser would run them), unknown binary data, stray OLE2 files (Windows installers),
 * and HEIC/AVIF (no preview, and their location metadata cannot be stripped here).
 *
 * @since 0.1.0
 */
public final class MediaPolicy {
    /** One mebibyte. */
    public static final long MIB = 1024L * 1024L;

    /** The types allowed unless {@link Builder#allowedTypes} says otherwise. */
    public static final Set<MediaType> DEFAULT_ALLOWED = Collections.unmodifiableSet(EnumSet.of(
            MediaType.JPEG, MediaType.PNG, MediaType.GIF, MediaType.WEBP,
            MediaType.PDF, MediaType.ZIP, MediaType.DOCX, MediaType.XLSX, MediaType.PPTX,
            MediaType.ODT, MediaType.ODS, MediaType.ODP, MediaType.DOC, MediaType.XLS, MediaType.PPT,
            MediaType.TEXT,
            MediaType.OGG_AUDIO, MediaType.WEBM_AUDIO, MediaType.MATROSKA_AUDIO, MediaType.MP4_AUDIO,
            MediaType.MPEG_AUDIO, MediaType.WAV,
            MediaType.WEBM_VIDEO, MediaType.MATROSKA_VIDEO, MediaType.MP4_VIDEO, MediaType.QUICKTIME,
            MediaType.OGG_VIDEO));

    private static final Map<MediaKind, Long> DEFAULT_MAX_BYTES = Map.of(
            MediaKind.IMAGE, 20 * MIB,
            MediaKind.DOCUMENT, 50 * MIB,
            MediaKind.AUDIO, 20 * MIB,
            MediaKind.VIDEO, 200 * MIB,
            MediaKind.OTHER, 50 * MIB);

    private static final MediaPolicy DEFAULTS = builder().build();

    private final Map<MediaKind, Long> maxBytes;
    private final Set<MediaType> allowed;
    private final long maxImagePixels;
    private final int maxImageDimension;
    private final int previewMaxEdge;

    private MediaPolicy(Builder builder) {
        EnumMap<MediaKind, Long> limits = new EnumMap<>(DEFAULT_MAX_BYTES);
        limits.putAll(builder.maxBytes);
        this.maxBytes = Collections.unmodifiableMap(limits);
        this.allowed = Collections.unmodifiableSet(builder.allowed == null ? EnumSet.copyOf(DEFAULT_ALLOWED) : builder.allowed);
        this.maxImagePixels = builder.maxImagePixels;
        this.maxImageDimension = builder.maxImageDimension;
        this.previewMaxEdge = builder.previewMaxEdge;
    }

    /** The default policy. */
    public static MediaPolicy defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The most bytes accepted for a file of this kind. */
    public long maxBytes(MediaKind kind) {
        return maxBytes.get(Objects.requireNonNull(kind, "kind"));
    }

    /**
     * The most bytes any allowed upload may have: an HTTP layer may refuse a larger
     * {@code Content-Length} before reading anything.
     */
    public long maxUploadBytes() {
        long max = 0;
        for (MediaType type : allowed) {
            max = Math.max(max, maxBytes(type.kind()));
        }
        return max;
    }

    public boolean allows(MediaType type) {
        return allowed.contains(type);
    }

    /** The allowed types (unmodifiable). */
    public Set<MediaType> allowedTypes() {
        return allowed;
    }

    /** The most pixels (width × height) of an accepted image. */
    public long maxImagePixels() {
        return maxImagePixels;
    }

    /** The most pixels on either edge of an accepted image. */
    public int maxImageDimension() {
        return maxImageDimension;
    }

    /** The longest edge of a generated preview, in pixels. */
    public int previewMaxEdge() {
        return previewMaxEdge;
    }

    @Override
    public String toString() {
        return "MediaPolicy[maxBytes=" + maxBytes + ", allowed=" + allowed + ", maxImagePixels=" + maxImagePixels
                + ", maxImageDimension=" + maxImageDimension + ", previewMaxEdge=" + previewMaxEdge + "]";
    }

    /** Builds a {@link MediaPolicy}. Setting an option twice fails. */
    public static final class Builder {
        private final EnumMap<MediaKind, Long> maxBytes = new EnumMap<>(MediaKind.class);
        private EnumSet<MediaType> allowed;
        private long maxImagePixels = 50_000_000L;
        private int maxImageDimension = 16_384;
        private int previewMaxEdge = 320;
        private boolean pixelsSet;
        private boolean dimensionSet;
        private boolean previewSet;

        private Builder() {
        }

        /** The most bytes of a file of {@code kind}; at least 1. */
        public Builder maxBytes(MediaKind kind, long bytes) {
            Objects.requireNonNull(kind, "kind");
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBytes(" + kind + ") must be >= 1: " + bytes);
            }
            if (maxBytes.putIfAbsent(kind, bytes) != null) {
                throw new IllegalStateException("maxBytes(" + kind + ") already set");
            }
            return this;
        }

        /** Replaces the default allow list. Executable types may be listed, but think twice. */
        public Builder allowedTypes(Set<MediaType> types) {
            Objects.requireNonNull(types, "allowedTypes");
            if (allowed != null) {
                throw new IllegalStateException("allowedTypes already set");
            }
            allowed = types.isEmpty() ? EnumSet.noneOf(MediaType.class) : EnumSet.copyOf(types);
            return this;
        }

        /** The most pixels of an image; from 1 to 1,000,000,000 (the decoded image must fit in memory). */
        public Builder maxImagePixels(long pixels) {
            if (pixels < 1 || pixels > 1_000_000_000L) {
                throw new IllegalArgumentException("maxImagePixels must be within 1..1000000000: " + pixels);
            }
            if (pixelsSet) {
                throw new IllegalStateException("maxImagePixels already set");
            }
            pixelsSet = true;
            maxImagePixels = pixels;
            return this;
        }

        /** The most pixels on either edge of an image; from 1 to 65,535. */
        public Builder maxImageDimension(int pixels) {
            if (pixels < 1 || pixels > 65_535) {
                throw new IllegalArgumentException("maxImageDimension must be within 1..65535: " + pixels);
            }
            if (dimensionSet) {
                throw new IllegalStateException("maxImageDimension already set");
            }
            dimensionSet = true;
            maxImageDimension = pixels;
            return this;
        }

        /** The longest edge of a preview; from 16 to 2,048. */
        public Builder previewMaxEdge(int pixels) {
            if (pixels < 16 || pixels > 2048) {
                throw new IllegalArgumentException("previewMaxEdge must be within 16..2048: " + pixels);
            }
            if (previewSet) {
                throw new IllegalStateException("previewMaxEdge already set");
            }
            previewSet = true;
            previewMaxEdge = pixels;
            return this;
        }

        public MediaPolicy build() {
            return new MediaPolicy(this);
        }
    }
}
