package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.io.InputStream;

/**
 * MPEG-1/2/2.5 audio (MP3, MP2) frames: recognising them in a prefix and finding the duration,
 * from a Xing/Info or VBRI header when the first frame has one, else by walking every frame
 * header (no decoding).
 */
public final class MpegAudio {
    private static final int[][] BITRATES = {
            {0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448}, // MPEG-1 layer I
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384}, // MPEG-1 layer II
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}, // MPEG-1 layer III
            {0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256}, // MPEG-2/2.5 layer I
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}, // MPEG-2/2.5 layers II, III
    };
    private static final int[][] SAMPLE_RATES = {{44_100, 48_000, 32_000}, {22_050, 24_000, 16_000}, {11_025, 12_000, 8_000}};

    /**
     * A parsed frame header.
     *
     * @param length     bytes, header included
     * @param samples    per channel
     * @param sideInfo   layer III side information bytes
     * @param layer      1, 2 or 3
     * @param crc        whether a 16-bit CRC follows the header
     * @param channels   1 or 2
     */
    record Frame(int length, int samples, int sampleRate, int sideInfo, boolean mpeg1, int layer, boolean crc,
                 int channels) {
    }

    /**
     * What a scan of a whole file found.
     *
     * @param sampleRate   of the first frame
     * @param layer        of the first frame (3 for MP3)
     * @param infoFrame    whether the first frame is a Xing/Info/VBRI header, not audio
     * @param startSamples decoded samples to drop at the start (LAME encoder delay + 529 decoder
     *                     delay when the LAME tag gives it, else 0)
     * @param totalSamples presented samples per channel (without delay and padding when the LAME
     *                     tag gives them)
     */
    public record MpegInfo(int sampleRate, int layer, boolean infoFrame, long startSamples, long totalSamples) {
        public long durationMillis() {
            return totalSamples * 1000 / sampleRate;
        }
    }

    /** The samples every MPEG layer III decoder outputs before the encoder's first one. */
    static final int DECODER_DELAY = 529;

    private MpegAudio() {
    }

    /** The frame whose header starts at {@code b[i]}, or null when it is not a valid header. */
    static Frame frame(byte[] b, int i, int length) {
        if (i + 4 > length || (b[i] & 0xFF) != 0xFF || (b[i + 1] & 0xE0) != 0xE0) {
            return null;
        }
        int version = (b[i + 1] >> 3) & 0x03; // 0 = 2.5, 2 = 2, 3 = 1
        int layer = (b[i + 1] >> 1) & 0x03; // 1 = III, 2 = II, 3 = I
        int bitrateIndex = (b[i + 2] >> 4) & 0x0F;
        int rateIndex = (b[i + 2] >> 2) & 0x03;
        int padding = (b[i + 2] >> 1) & 0x01;
        int mode = (b[i + 3] >> 6) & 0x03;
        if (version == 1 || layer == 0 || bitrateIndex == 0 || bitrateIndex == 15 || rateIndex == 3) {
            return null;
        }
        boolean mpeg1 = version == 3;
        int table = mpeg1 ? 3 - layer : layer == 3 ? 3 : 4;
        int bitrate = BITRATES[table][bitrateIndex] * 1000;
        int sampleRate = SAMPLE_RATES[mpeg1 ? 0 : version == 2 ? 1 : 2][rateIndex];
        int samples;
        int frameLength;
        if (layer == 3) {
            samples = 384;
            frameLength = (12 * bitrate / sampleRate + padding) * 4;
        } else {
            samples = layer == 1 && !mpeg1 ? 576 : 1152;
            frameLength = samples / 8 * bitrate / sampleRate + padding;
        }
        int sideInfo = mpeg1 ? (mode == 3 ? 17 : 32) : (mode == 3 ? 9 : 17);
        int layerNumber = 4 - layer;
        boolean crc = (b[i + 1] & 0x01) == 0;
        return frameLength < 4 ? null
                : new Frame(frameLength, samples, sampleRate, sideInfo, mpeg1, layerNumber, crc, mode == 3 ? 1 : 2);
    }

    /** Length of an ID3v2 tag at the start of {@code b}, or 0 when there is none. */
    static long id3Length(byte[] b, int length) {
        if (length < 10 || !Bytes.ascii(b, length, 0, "ID3")) {
            return 0;
        }
        long size = (b[6] & 0x7F) << 21 | (b[7] & 0x7F) << 14 | (b[8] & 0x7F) << 7 | b[9] & 0x7F;
        return 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
    }

    /**
     * Whether a prefix is MPEG audio: an ID3v2 tag, or two consecutive valid frame headers at the
     * start (one when the prefix ends after the first frame).
     */
    public static boolean looksLikeMpegAudio(byte[] b, int length) {
        if (id3Length(b, length) > 0) {
            return true;
        }
        Frame first = frame(b, 0, length);
        if (first == null) {
            return false;
        }
        if (first.length() + 4 > length) {
            return first.length() >= length;
        }
        return frame(b, first.length(), length) != null;
    }

    /** The duration in milliseconds of a whole file. */
    public static long durationMillis(InputStream in) throws IOException {
        return scan(in).durationMillis();
    }

    /**
     * Reads a whole file's frame headers, or only the first frame when it is a Xing/Info or VBRI
     * header with a frame count; a LAME tag's encoder delay and padding make the length exact.
     *
     * @throws MediaException {@code MALFORMED} when there is no valid frame
     */
    public static MpegInfo scan(InputStream in) throws IOException {
        FrameReader frames = new FrameReader(in);
        Frame first = frames.next();
        if (first == null) {
            throw malformed("MP3 has no valid frame");
        }
        byte[] body = frames.body();
        int bodyLength = first.length() - 4;
        Long vbr = vbrFrames(body, bodyLength, first);
        if (vbr != null) {
            long total = vbr * first.samples();
            long start = 0;
            int[] gapless = lameDelayAndPadding(body, bodyLength, first);
            if (gapless != null && gapless[0] + gapless[1] < total) {
                total -= gapless[0] + gapless[1];
                start = gapless[0] + DECODER_DELAY;
            }
            return new MpegInfo(first.sampleRate(), first.layer(), true, start, total);
        }
        long samples = first.samples();
        for (Frame frame = frames.next(); frame != null; frame = frames.next()) {
            samples += frame.samples();
        }
        return new MpegInfo(first.sampleRate(), first.layer(), false, 0, samples);
    }

    /**
     * Reads complete frames one after another from the start of a file (after an ID3v2 tag);
     * ends at the first byte that is not a valid frame header, or at a truncated frame.
     */
    static final class FrameReader {
        private final InputStream in;
        private final byte[] frame = new byte[8192];
        private boolean started;

        FrameReader(InputStream in) {
            this.in = in;
        }

        /** The next complete frame (its bytes in {@link #bytes()}), or null. */
        Frame next() throws IOException {
            int have;
            if (!started) {
                started = true;
                byte[] head = in.readNBytes(10);
                long id3 = id3Length(head, head.length);
                if (id3 > 0) {
                    in.skipNBytes(id3 - 10);
                    have = in.readNBytes(frame, 0, 4);
                } else {
                    System.arraycopy(head, 0, frame, 0, head.length);
                    have = head.length;
                }
            } else {
                have = in.readNBytes(frame, 0, 4);
            }
            if (have < 4) {
                return null;
            }
            Frame header = frame(frame, 0, 4);
            if (header == null || header.length() > frame.length) {
                return null;
            }
            if (have < header.length()) {
                have += in.readNBytes(frame, have, header.length() - have);
            } else if (have > header.length()) {
                return null; // a 10-byte read past a frame shorter than 10 bytes: not audio
            }
            return have < header.length() ? null : header;
        }

        /** The current frame's bytes, header included. */
        byte[] bytes() {
            return frame;
        }

        /** The current frame's bytes after the 4-byte header (a copy). */
        byte[] body() {
            return java.util.Arrays.copyOfRange(frame, 4, frame.length);
        }
    }

    /** Encoder delay and padding from a LAME (or Lavc) tag after a Xing/Info header, or null. */
    private static int[] lameDelayAndPadding(byte[] body, int length, Frame frame) {
        int xing = frame.sideInfo();
        if (!Bytes.ascii(body, length, xing, "Xing") && !Bytes.ascii(body, length, xing, "Info")) {
            return null;
        }
        int flags = body[xing + 7] & 0x0F;
        int tag = xing + 8 + ((flags & 1) != 0 ? 4 : 0) + ((flags & 2) != 0 ? 4 : 0) + ((flags & 4) != 0 ? 100 : 0)
                + ((flags & 8) != 0 ? 4 : 0);
        if (!Bytes.ascii(body, length, tag, "LAME") && !Bytes.ascii(body, length, tag, "Lavc")
                && !Bytes.ascii(body, length, tag, "Lavf") || tag + 24 > length) {
            return null;
        }
        int delay = (body[tag + 21] & 0xFF) << 4 | (body[tag + 22] & 0xF0) >> 4;
        int padding = (body[tag + 22] & 0x0F) << 8 | body[tag + 23] & 0xFF;
        return new int[] {delay, padding};
    }

    /** Frame count from a Xing/Info or VBRI header in the first frame's body, or null. */
    private static Long vbrFrames(byte[] body, int length, Frame frame) {
        int xing = frame.sideInfo();
        if ((Bytes.ascii(body, length, xing, "Xing") || Bytes.ascii(body, length, xing, "Info")) && length >= xing + 12
                && (body[xing + 7] & 0x01) != 0) {
            return Bytes.u32be(body, xing + 8);
        }
        if (Bytes.ascii(body, length, 32, "VBRI") && length >= 32 + 18) {
            return Bytes.u32be(body, 32 + 14);
        }
        return null;
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
