package dev.parley.media;

import dev.parley.core.ChatException;
import dev.parley.core.spi.BlobInfo;
import dev.parley.core.spi.BlobStore;
import dev.parley.media.internal.AacWaveform;
import dev.parley.media.internal.BlobSource;
import dev.parley.media.internal.ImageHeader;
import dev.parley.media.internal.ImageHeaders;
import dev.parley.media.internal.MatroskaParser;
import dev.parley.media.internal.Mp3Waveform;
import dev.parley.media.internal.Mp4Parser;
import dev.parley.media.internal.MpegAudio;
import dev.parley.media.internal.OggParser;
import dev.parley.media.internal.OpusWaveform;
import dev.parley.media.internal.PdfPages;
import dev.parley.media.internal.WavParser;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;

/**
 * Reads what a client needs to show a stored attachment, from headers and container
 * structure, without decoding images.
 *
 * <pre>{@code
 * MediaInfo info = new MediaInspector(MediaPolicy.defaults()).inspect(blobs, id);
 * }</pre>
 *
 * <ul>
 *   <li><b>Images</b> (JPEG, PNG, GIF, WebP): dimensions from the header (JPEG frame header,
 *       PNG {@code IHDR}, GIF screen and first image descriptor, WebP {@code VP8}/{@code VP8L}/
 *       {@code VP8X}); an image over the policy's pixel or edge limits is refused with
 *       {@link MediaException.Reason#DIMENSIONS_TOO_LARGE} before any decoder runs. HEIC and
 *       AVIF are typed only.</li>
 *   <li><b>Voice and audio</b>: Ogg/Opus and WebM/Matroska with Opus get a duration (Ogg: last
 *       granule position minus pre-skip; WebM: the end of the last audio block, since
 *       Chromium's recorder writes no duration) and a waveform computed by decoding the Opus
 *       packets with Concentus (pure Java): the RMS loudness of 64 equal slices, scaled so the
 *       loudest is 255. Recordings longer than about two minutes are measured on a window at the
 *       start of each slice, so the cost is bounded. WAV (PCM or float) gets a duration and a
 *       waveform from its samples. MP4/M4A with AAC (what Safari's recorder writes, fragmented
 *       or not) and MP3 get the same waveform, decoded with jcodec's pure-Java AAC (JAAD) and
 *       MP3 decoders, and a duration from {@code mvhd}, else from the samples less the edit
 *       list's priming (fragmented files), or for MP3 from the frames less the LAME tag's encoder
 *       delay and padding. AAC that uses perceptual noise substitution (ffmpeg's encoder does at
 *       voice bitrates) gets <em>no</em> waveform: jcodec's decoder cannot decode it. Ogg/Vorbis
 *       and MPEG layers I/II get a duration only.</li>
 *   <li><b>Video</b> (MP4, MOV, WebM, Matroska): duration and dimensions from the container.
 *       No preview frame: that would need a video decoder.</li>
 *   <li><b>PDF</b>: a page count when the page tree is written in the clear (see
 *       {@code docs/files.md}); other documents: type and size.</li>
 * </ul>
 *
 * <p>Damaged or truncated containers are {@link MediaException.Reason#MALFORMED}.
 *
 * @since 0.1.0
 */
public final class MediaInspector {
    /** Audio longer than this is measured in windows. */
    private static final long WAVEFORM_BUDGET_SECONDS = 120;
    /** The same at 48 kHz (Opus) or at a WAV file's rate. */
    private static final long WAVEFORM_BUDGET_SAMPLES = WAVEFORM_BUDGET_SECONDS * 48_000;

    private final MediaPolicy policy;

    public MediaInspector(MediaPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Detects the type and reads the details of a stored blob.
     *
     * @throws ChatException  {@code not_found} when there is no such blob
     * @throws MediaException for a malformed file or an image over the dimension limits
     */
    public MediaInfo inspect(BlobStore store, String id) throws IOException {
        return inspect(store, id, MediaSniffer.detect(store, id));
    }

    /** Reads the details of a stored blob whose type {@link MediaSniffer#detect} already gave. */
    public MediaInfo inspect(BlobStore store, String id, MediaType type) throws IOException {
        BlobInfo blob = store.stat(id).orElseThrow(() -> ChatException.notFound("no blob " + id));
        try (BlobSource source = new BlobSource(store, id, blob.size())) {
            return switch (type.kind()) {
                case IMAGE -> image(source, type);
                case AUDIO -> audio(source, type);
                case VIDEO -> video(source, type);
                case DOCUMENT -> document(source, type);
                case OTHER -> basic(source, type);
            };
        } catch (EOFException e) {
            throw new MediaException(MediaException.Reason.MALFORMED, type.mimeType() + " file is truncated", e);
        }
    }

    /**
     * Checks image dimensions against the policy.
     *
     * @throws MediaException {@code DIMENSIONS_TOO_LARGE} when over a limit
     */
    void checkDimensions(ImageHeader header) {
        checkDimensions(header.width(), header.height());
        checkDimensions(header.frameWidth(), header.frameHeight());
    }

    private void checkDimensions(int width, int height) {
        if (width > policy.maxImageDimension() || height > policy.maxImageDimension()) {
            throw new MediaException(MediaException.Reason.DIMENSIONS_TOO_LARGE, "image of " + width + "x" + height
                    + " pixels exceeds the edge limit of " + policy.maxImageDimension());
        }
        if ((long) width * height > policy.maxImagePixels()) {
            throw new MediaException(MediaException.Reason.DIMENSIONS_TOO_LARGE, "image of " + width + "x" + height
                    + " pixels exceeds the limit of " + policy.maxImagePixels() + " pixels");
        }
    }

    private MediaInfo image(BlobSource source, MediaType type) throws IOException {
        if (type == MediaType.HEIC || type == MediaType.AVIF) {
            return basic(source, type);
        }
        ImageHeader header = ImageHeaders.read(source, type);
        checkDimensions(header);
        return new MediaInfo(source.id(), type, source.size(), header.width(), header.height(),
                type == MediaType.JPEG ? header.orientation() : null, header.animated(), null, List.of(), null);
    }

    private MediaInfo audio(BlobSource source, MediaType type) throws IOException {
        Long duration;
        List<Integer> waveform = List.of();
        switch (type) {
            case OGG_AUDIO -> {
                OggParser.OggInfo info;
                try (InputStream in = buffered(source)) {
                    info = OggParser.parse(in, null);
                }
                duration = info.durationMillis();
                if ("opus".equals(info.codec()) && duration != null) {
                    OpusWaveform opus = new OpusWaveform(duration * 48, MediaInfo.WAVEFORM_LEVELS, WAVEFORM_BUDGET_SAMPLES);
                    try (InputStream in = buffered(source)) {
                        OggParser.parse(in, (data, length) -> opus.packet(data, 0, length));
                    }
                    waveform = opus.levels();
                }
            }
            case WEBM_AUDIO, MATROSKA_AUDIO -> {
                MatroskaParser.MkvInfo info;
                try (InputStream in = buffered(source)) {
                    info = MatroskaParser.parse(in, true, null);
                }
                duration = info.durationMillis();
                if ("A_OPUS".equals(info.audioCodec()) && duration != null) {
                    OpusWaveform opus = new OpusWaveform(duration * 48, MediaInfo.WAVEFORM_LEVELS, WAVEFORM_BUDGET_SAMPLES);
                    try (InputStream in = buffered(source)) {
                        MatroskaParser.parse(in, true, (time, data, offset, length) -> opus.packet(data, offset, length));
                    }
                    waveform = opus.levels();
                }
            }
            case MP4_AUDIO -> {
                Mp4Parser.Mp4Info info = Mp4Parser.parse(source, true);
                duration = info.durationMillis();
                if (info.audio() != null) {
                    waveform = AacWaveform.levels(source, info.audio(), MediaInfo.WAVEFORM_LEVELS,
                            WAVEFORM_BUDGET_SECONDS * info.audio().timescale());
                }
            }
            case MPEG_AUDIO -> {
                MpegAudio.MpegInfo info;
                try (InputStream in = buffered(source)) {
                    info = MpegAudio.scan(in);
                }
                duration = info.durationMillis();
                try (InputStream in = buffered(source)) {
                    waveform = Mp3Waveform.levels(in, info, MediaInfo.WAVEFORM_LEVELS,
                            WAVEFORM_BUDGET_SECONDS * info.sampleRate());
                }
            }
            case WAV -> {
                WavParser.WavInfo info;
                try (InputStream in = buffered(source)) {
                    info = WavParser.parse(in, MediaInfo.WAVEFORM_LEVELS, WAVEFORM_BUDGET_SAMPLES);
                }
                duration = info.durationMillis();
                waveform = info.waveform();
            }
            default -> duration = null;
        }
        return new MediaInfo(source.id(), type, source.size(), null, null, null, null, duration, waveform, null);
    }

    private MediaInfo video(BlobSource source, MediaType type) throws IOException {
        Long duration = null;
        Integer width = null;
        Integer height = null;
        switch (type) {
            case MP4_VIDEO, QUICKTIME -> {
                Mp4Parser.Mp4Info info = Mp4Parser.parse(source);
                duration = info.durationMillis();
                width = info.width() > 0 ? info.width() : null;
                height = info.height() > 0 ? info.height() : null;
            }
            case WEBM_VIDEO, MATROSKA_VIDEO -> {
                MatroskaParser.MkvInfo info;
                try (InputStream in = buffered(source)) {
                    info = MatroskaParser.parse(in, true, null);
                }
                duration = info.durationMillis();
                width = info.width() > 0 ? info.width() : null;
                height = info.height() > 0 ? info.height() : null;
            }
            case OGG_VIDEO -> {
                try (InputStream in = buffered(source)) {
                    duration = OggParser.parse(in, null).durationMillis();
                }
            }
            default -> {
                // no details
            }
        }
        return new MediaInfo(source.id(), type, source.size(), width, height, null, null, duration, List.of(), null);
    }

    private MediaInfo document(BlobSource source, MediaType type) throws IOException {
        Integer pages = null;
        if (type == MediaType.PDF) {
            try (InputStream in = buffered(source)) {
                int count = PdfPages.count(in);
                pages = count > 0 ? count : null;
            }
        }
        return new MediaInfo(source.id(), type, source.size(), null, null, null, null, null, List.of(), pages);
    }

    private static MediaInfo basic(BlobSource source, MediaType type) {
        return new MediaInfo(source.id(), type, source.size(), null, null, null, null, null, List.of(), null);
    }

    private static InputStream buffered(BlobSource source) throws IOException {
        return new BufferedInputStream(source.streamFrom(0), 64 * 1024);
    }
}
