package dev.parley.media.internal;

import io.github.jaredmdobson.concentus.OpusPacketInfo;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a Matroska or WebM file in one forward pass: doc type, tracks and, when asked, every
 * block of the first audio track, to find the duration where the header has none (Chromium's
 * {@code MediaRecorder} writes unknown-size segments and clusters and no duration).
 */
public final class MatroskaParser {
    private static final long EBML = 0x1A45DFA3L;
    private static final long DOC_TYPE = 0x4282;
    private static final long SEGMENT = 0x18538067L;
    private static final long INFO = 0x1549A966L;
    private static final long TIMESTAMP_SCALE = 0x2AD7B1;
    private static final long DURATION = 0x4489;
    private static final long TRACKS = 0x1654AE6BL;
    private static final long TRACK_ENTRY = 0xAE;
    private static final long TRACK_NUMBER = 0xD7;
    private static final long TRACK_TYPE = 0x83;
    private static final long CODEC_ID = 0x86;
    private static final long CODEC_PRIVATE = 0x63A2;
    private static final long CODEC_DELAY = 0x56AA;
    private static final long VIDEO = 0xE0;
    private static final long PIXEL_WIDTH = 0xB0;
    private static final long PIXEL_HEIGHT = 0xBA;
    private static final long CLUSTER = 0x1F43B675L;
    private static final long CLUSTER_TIMESTAMP = 0xE7;
    private static final long SIMPLE_BLOCK = 0xA3;
    private static final long BLOCK_GROUP = 0xA0;
    private static final long BLOCK = 0xA1;
    private static final long[] LEVEL_ONE = {0x114D9B74L, INFO, TRACKS, CLUSTER, 0x1C53BB6BL, 0x1043A770L, 0x1254C367L,
            0x1941A469L};
    private static final int MAX_AUDIO_BLOCK = 1 << 20;

    /** Receives the frames of the audio track, with their start time. */
    @FunctionalInterface
    public interface FrameSink {
        void frame(long timestampNanos, byte[] data, int offset, int length);
    }

    /**
     * @param docType        {@code webm} or {@code matroska}
     * @param tracksSeen     whether the Tracks element was read (false when a prefix ended first)
     * @param hasVideo       a video track
     * @param hasAudio       an audio track
     * @param audioCodec     codec id of the first audio track ({@code A_OPUS}, {@code A_VORBIS}…), or null
     * @param channels       channels of an Opus track (from its OpusHead), or 0
     * @param width          first video track's width, or 0
     * @param height         first video track's height, or 0
     * @param durationMillis from the header, else from the blocks when scanned, else null
     */
    public record MkvInfo(String docType, boolean tracksSeen, boolean hasVideo, boolean hasAudio, String audioCodec,
                          int channels, int width, int height, Long durationMillis) {
    }

    private final EbmlReader in;
    private final boolean scanBlocks;
    private final FrameSink sink;
    private String docType;
    private boolean tracksSeen;
    private boolean hasVideo;
    private boolean hasAudio;
    private String audioCodec;
    private long audioTrack = -1;
    private int channels;
    private int width;
    private int height;
    private long timestampScale = 1_000_000;
    private double headerDuration = Double.NaN;
    private long codecDelayNanos;
    private long endNanos = -1;
    private long clusterTimestamp;
    private long pendingId = -1;

    private MatroskaParser(InputStream in, boolean scanBlocks, FrameSink sink) {
        this.in = new EbmlReader(in);
        this.scanBlocks = scanBlocks;
        this.sink = sink;
    }

    /** Header and tracks only; stops at the first cluster or where {@code prefix} ends. */
    public static MkvInfo tracks(InputStream prefix) throws IOException {
        MatroskaParser parser = new MatroskaParser(prefix, false, null);
        try {
            parser.run();
        } catch (EOFException e) {
            // a prefix: what was read so far is the answer
        }
        if (parser.docType == null) {
            throw EbmlReader.malformed("EBML header has no doc type");
        }
        return parser.info(false);
    }

    /**
     * The whole file. With {@code scanBlocks} every block is read to find the duration, and the
     * frames of the first audio track go to {@code sink} (may be null).
     */
    public static MkvInfo parse(InputStream file, boolean scanBlocks, FrameSink sink) throws IOException {
        MatroskaParser parser = new MatroskaParser(file, scanBlocks, sink);
        try {
            parser.run();
        } catch (EOFException e) {
            throw EbmlReader.malformed("Matroska file is truncated");
        }
        if (!parser.tracksSeen) {
            throw EbmlReader.malformed("Matroska file has no tracks");
        }
        return parser.info(true);
    }

    private MkvInfo info(boolean complete) {
        Long duration = null;
        if (!Double.isNaN(headerDuration) && headerDuration > 0) {
            duration = Math.round(headerDuration * timestampScale / 1_000_000.0);
        } else if (complete && endNanos >= 0) {
            duration = Math.max(0, endNanos - codecDelayNanos) / 1_000_000;
        }
        return new MkvInfo(docType, tracksSeen, hasVideo, hasAudio, audioCodec, channels, width, height, duration);
    }

    private void run() throws IOException {
        if (in.readIdOrEnd() != EBML) {
            throw EbmlReader.malformed("not an EBML file");
        }
        long headerSize = in.readSize();
        long headerEnd = in.position() + headerSize;
        while (in.position() < headerEnd) {
            long id = in.readIdOrEnd();
            long size = in.readSize();
            if (id == DOC_TYPE) {
                docType = new String(in.readBytes(size, 64), java.nio.charset.StandardCharsets.US_ASCII).trim();
            } else {
                in.skip(size);
            }
        }
        long id = in.readIdOrEnd();
        while (id != SEGMENT) {
            if (id < 0) {
                return;
            }
            in.skip(in.readSize()); // Void or other elements before the segment
            id = in.readIdOrEnd();
        }
        long segmentSize = in.readSize();
        long segmentEnd = segmentSize == EbmlReader.UNKNOWN ? Long.MAX_VALUE : in.position() + segmentSize;
        while (in.position() < segmentEnd) {
            long child = pendingId >= 0 ? pendingId : in.readIdOrEnd();
            pendingId = -1;
            if (child < 0) {
                return;
            }
            long size = in.readSize();
            if (child == INFO) {
                info(size);
            } else if (child == TRACKS) {
                tracks(size);
                if (!scanBlocks && sink == null) {
                    return;
                }
            } else if (child == CLUSTER) {
                if (!scanBlocks) {
                    return;
                }
                cluster(size);
            } else {
                in.skip(size);
            }
        }
    }

    private void info(long size) throws IOException {
        long end = in.position() + requireKnown(size);
        while (in.position() < end) {
            long id = in.readIdOrEnd();
            long length = in.readSize();
            if (id == TIMESTAMP_SCALE) {
                timestampScale = Math.max(1, in.readUnsigned(length));
            } else if (id == DURATION) {
                headerDuration = in.readFloat(length);
            } else {
                in.skip(length);
            }
        }
    }

    private void tracks(long size) throws IOException {
        long end = in.position() + requireKnown(size);
        while (in.position() < end) {
            long id = in.readIdOrEnd();
            long length = in.readSize();
            if (id == TRACK_ENTRY) {
                trackEntry(length);
            } else {
                in.skip(length);
            }
        }
        tracksSeen = true;
    }

    private void trackEntry(long size) throws IOException {
        long end = in.position() + requireKnown(size);
        long number = -1;
        long type = 0;
        String codec = null;
        byte[] codecPrivate = null;
        long codecDelay = 0;
        int pixelWidth = 0;
        int pixelHeight = 0;
        while (in.position() < end) {
            long id = in.readIdOrEnd();
            long length = in.readSize();
            if (id == TRACK_NUMBER) {
                number = in.readUnsigned(length);
            } else if (id == TRACK_TYPE) {
                type = in.readUnsigned(length);
            } else if (id == CODEC_ID) {
                codec = new String(in.readBytes(length, 64), java.nio.charset.StandardCharsets.US_ASCII).trim();
            } else if (id == CODEC_PRIVATE) {
                codecPrivate = in.readBytes(length, 1 << 20);
            } else if (id == CODEC_DELAY) {
                codecDelay = in.readUnsigned(length);
            } else if (id == VIDEO) {
                long videoEnd = in.position() + requireKnown(length);
                while (in.position() < videoEnd) {
                    long child = in.readIdOrEnd();
                    long childLength = in.readSize();
                    if (child == PIXEL_WIDTH) {
                        pixelWidth = (int) Math.min(Integer.MAX_VALUE, in.readUnsigned(childLength));
                    } else if (child == PIXEL_HEIGHT) {
                        pixelHeight = (int) Math.min(Integer.MAX_VALUE, in.readUnsigned(childLength));
                    } else {
                        in.skip(childLength);
                    }
                }
            } else {
                in.skip(length);
            }
        }
        if (type == 1) {
            if (!hasVideo) {
                width = pixelWidth;
                height = pixelHeight;
            }
            hasVideo = true;
        } else if (type == 2) {
            hasAudio = true;
            if (audioTrack < 0) {
                audioTrack = number;
                audioCodec = codec;
                codecDelayNanos = codecDelay;
                if ("A_OPUS".equals(codec) && codecPrivate != null && codecPrivate.length >= 19
                        && Bytes.ascii(codecPrivate, codecPrivate.length, 0, "OpusHead")) {
                    channels = codecPrivate[9] & 0xFF;
                }
            }
        }
    }

    private void cluster(long size) throws IOException {
        long end = size == EbmlReader.UNKNOWN ? Long.MAX_VALUE : in.position() + size;
        clusterTimestamp = 0;
        while (in.position() < end) {
            long id = in.readIdOrEnd();
            if (id < 0) {
                return;
            }
            if (size == EbmlReader.UNKNOWN && isLevelOne(id)) {
                pendingId = id; // an unknown-size cluster ends where the next top-level element starts
                return;
            }
            long length = in.readSize();
            if (id == CLUSTER_TIMESTAMP) {
                clusterTimestamp = in.readUnsigned(length);
            } else if (id == SIMPLE_BLOCK) {
                block(length);
            } else if (id == BLOCK_GROUP) {
                long groupEnd = in.position() + requireKnown(length);
                while (in.position() < groupEnd) {
                    long child = in.readIdOrEnd();
                    long childLength = in.readSize();
                    if (child == BLOCK) {
                        block(childLength);
                    } else {
                        in.skip(childLength);
                    }
                }
            } else {
                in.skip(requireKnown(length));
            }
        }
    }

    private void block(long size) throws IOException {
        long start = in.position();
        requireKnown(size);
        long track = trackNumber();
        int relative = (short) (in.readByte() << 8 | in.readByte());
        int flags = in.readByte();
        long headerLength = in.position() - start;
        long timestampNanos = (clusterTimestamp + relative) * timestampScale;
        if (track != audioTrack) {
            endNanos = Math.max(endNanos, timestampNanos);
            in.skip(size - headerLength);
            return;
        }
        byte[] data = in.readBytes(size - headerLength, MAX_AUDIO_BLOCK);
        int[][] frames = lace(data, (flags & 0x06) >> 1);
        long frameStart = timestampNanos;
        for (int[] frame : frames) {
            long samples = "A_OPUS".equals(audioCodec) ? OpusPacketInfo.getNumSamples(data, frame[0], frame[1], 48_000) : 0;
            if (sink != null) {
                sink.frame(frameStart, data, frame[0], frame[1]);
            }
            if (samples > 0) {
                frameStart += samples * 1_000_000_000L / 48_000;
            }
        }
        endNanos = Math.max(endNanos, frameStart);
    }

    private long trackNumber() throws IOException {
        int first = in.readByte();
        int length = Integer.numberOfLeadingZeros(first) - 24 + 1;
        if (first == 0 || length > 8) {
            throw EbmlReader.malformed("block track number is damaged");
        }
        long value = first & (0xFF >> length);
        for (int i = 1; i < length; i++) {
            value = value << 8 | in.readByte();
        }
        return value;
    }

    /** Frame offsets and lengths in a block's data, by lacing kind (0 none, 1 Xiph, 2 fixed, 3 EBML). */
    static int[][] lace(byte[] data, int lacing) {
        if (lacing == 0) {
            return new int[][] {{0, data.length}};
        }
        if (data.length < 1) {
            throw EbmlReader.malformed("laced block is empty");
        }
        int count = (data[0] & 0xFF) + 1;
        int[] sizes = new int[count];
        int at = 1;
        if (lacing == 2) {
            int each = (data.length - 1) / count;
            java.util.Arrays.fill(sizes, each);
        } else if (lacing == 1) {
            for (int i = 0; i < count - 1; i++) {
                int value = 0;
                int b;
                do {
                    if (at >= data.length) {
                        throw EbmlReader.malformed("Xiph lacing is damaged");
                    }
                    b = data[at++] & 0xFF;
                    value += b;
                } while (b == 255);
                sizes[i] = value;
            }
        } else {
            long previous = 0;
            for (int i = 0; i < count - 1; i++) {
                if (at >= data.length) {
                    throw EbmlReader.malformed("EBML lacing is damaged");
                }
                int first = data[at] & 0xFF;
                int length = Integer.numberOfLeadingZeros(first) - 24 + 1;
                if (first == 0 || length > 8 || at + length > data.length) {
                    throw EbmlReader.malformed("EBML lacing is damaged");
                }
                long value = first & (0xFF >> length);
                for (int k = 1; k < length; k++) {
                    value = value << 8 | data[at + k] & 0xFF;
                }
                at += length;
                if (i == 0) {
                    previous = value;
                } else {
                    previous += value - ((1L << (7 * length - 1)) - 1);
                }
                if (previous < 0 || previous > data.length) {
                    throw EbmlReader.malformed("EBML lacing is damaged");
                }
                sizes[i] = (int) previous;
            }
        }
        if (lacing != 2) {
            int used = 0;
            for (int i = 0; i < count - 1; i++) {
                used += sizes[i];
            }
            sizes[count - 1] = data.length - at - used;
        }
        int[][] frames = new int[count][];
        for (int i = 0; i < count; i++) {
            if (sizes[i] < 0 || at + sizes[i] > data.length) {
                throw EbmlReader.malformed("block lacing overruns the block");
            }
            frames[i] = new int[] {at, sizes[i]};
            at += sizes[i];
        }
        return frames;
    }

    private static boolean isLevelOne(long id) {
        for (long levelOne : LEVEL_ONE) {
            if (levelOne == id) {
                return true;
            }
        }
        return false;
    }

    private static long requireKnown(long size) {
        if (size == EbmlReader.UNKNOWN) {
            throw EbmlReader.malformed("unknown size where Matroska requires one");
        }
        return size;
    }
}
