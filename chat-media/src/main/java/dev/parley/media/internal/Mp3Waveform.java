package dev.parley.media.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jcodec.codecs.mpa.Mp3Decoder;

/**
 * Decodes MPEG-1/2/2.5 layer III frames with jcodec's pure-Java {@link Mp3Decoder} and feeds a
 * {@link WaveformBuilder}, mixed down to mono, on the timeline of the file's presented samples
 * (a LAME tag's encoder delay is left out).
 *
 * <p>Frames outside the builder's measured windows are read but not decoded. A layer III frame
 * takes part of its data from the frames before it (the bit reservoir, up to 511 bytes back), so
 * this class keeps the last main-data bytes it read, and before the first frame of a window
 * primes a fresh decoder with a silent synthetic frame that carries them.
 *
 * <p>Limits of the decoder, so frames it cannot decode are skipped (they add nothing to their
 * slice): intensity stereo (jcodec refuses it; LAME does not write it) and damaged frames. Frames
 * with a CRC are decoded (jcodec reads the CRC at the wrong place, so the bytes are reordered
 * for it). Layers I and II get no waveform.
 */
public final class Mp3Waveform {
    private static final int TAIL = 2048;

    private final byte[] tail = new byte[TAIL];
    private int tailLength;
    private final ByteBuffer pcm = ByteBuffer.allocate(1152 * 2 * 2);
    private float[] mono = new float[1152];

    private Mp3Waveform() {
    }

    /**
     * The levels of a file that {@link MpegAudio#scan} described, or an empty list when it is
     * not layer III or no frame could be decoded.
     *
     * @param budgetSamples audio longer than this many samples is measured in one window per level
     */
    public static List<Integer> levels(InputStream in, MpegAudio.MpegInfo info, int buckets, long budgetSamples)
            throws IOException {
        if (info.layer() != 3 || info.totalSamples() <= 0) {
            return List.of();
        }
        return new Mp3Waveform().run(in, info, buckets, budgetSamples);
    }

    private List<Integer> run(InputStream in, MpegAudio.MpegInfo info, int buckets, long budgetSamples)
            throws IOException {
        WaveformBuilder builder = new WaveformBuilder(info.totalSamples(), buckets, budgetSamples);
        MpegAudio.FrameReader frames = new MpegAudio.FrameReader(in);
        long position = -info.startSamples();
        boolean first = true;
        boolean warm = false;
        Mp3Decoder decoder = null;
        byte[] previous = new byte[0];
        MpegAudio.Frame previousFrame = null;
        for (MpegAudio.Frame frame = frames.next(); frame != null; frame = frames.next()) {
            byte[] bytes = frames.bytes();
            if (first && info.infoFrame()) {
                first = false;
                continue;
            }
            first = false;
            if (frame.layer() != 3 || frame.sampleRate() != info.sampleRate() || position >= info.totalSamples()) {
                break;
            }
            int samples = frame.samples();
            boolean wanted = builder.wants(position, position + samples);
            if (wanted && !warm) {
                // A fresh decoder's first frame comes out faded in (overlap and filter bank start
                // empty): decode the frame before this one too, and drop its output.
                decoder = new Mp3Decoder();
                if (previousFrame != null) {
                    prime(decoder, previous, previousFrame);
                    decode(decoder, previous, previousFrame, null, 0);
                } else {
                    prime(decoder, bytes, frame);
                }
            }
            if (previousFrame != null) {
                keepMainData(previous, previousFrame);
            }
            warm = wanted && decode(decoder, bytes, frame, builder, position);
            if (previous.length < frame.length()) {
                previous = new byte[Math.max(frame.length(), 1024)];
            }
            System.arraycopy(bytes, 0, previous, 0, frame.length());
            previousFrame = frame;
            position += samples;
        }
        return builder.levels();
    }

    /** Decodes one frame into {@code builder} (none: output dropped); false when it fails. */
    private boolean decode(Mp3Decoder decoder, byte[] bytes, MpegAudio.Frame frame, WaveformBuilder builder,
                           long position) {
        try {
            pcm.clear();
            decoder.decodeFrame(ByteBuffer.wrap(forJcodec(bytes, frame)), pcm);
            pcm.order(ByteOrder.LITTLE_ENDIAN);
            int channels = frame.channels();
            int count = pcm.remaining() / 2 / channels;
            if (mono.length < count) {
                mono = new float[count];
            }
            for (int i = 0; i < count; i++) {
                float sum = 0;
                for (int c = 0; c < channels; c++) {
                    sum += pcm.getShort((i * channels + c) * 2);
                }
                mono[i] = sum / channels / 32768f;
            }
            if (builder != null) {
                builder.add(position, mono, count, frame.samples());
            }
            return count > 0;
        } catch (IOException | RuntimeException e) {
            return false; // damaged frame or a feature jcodec lacks: skip it, start clean at the next one
        }
    }

    /**
     * Feeds a fresh decoder a frame with the same format as {@code frame}, all-zero side
     * information (it decodes to silence and consumes nothing) and, as main data, the bytes that
     * preceded {@code frame}'s: the next real frame then finds its reservoir.
     */
    private void prime(Mp3Decoder decoder, byte[] bytes, MpegAudio.Frame frame) {
        byte[] header = {bytes[0], (byte) (bytes[1] | 0x01), (byte) (0xE0 | bytes[2] & 0x0C), (byte) (bytes[3] & 0xEF)};
        MpegAudio.Frame big = MpegAudio.frame(header, 0, 4);
        if (big == null) {
            return;
        }
        byte[] synthetic = new byte[big.length()];
        System.arraycopy(header, 0, synthetic, 0, 4);
        int mainData = big.length() - 4 - big.sideInfo();
        int n = Math.min(mainData, tailLength);
        System.arraycopy(tail, tailLength - n, synthetic, big.length() - n, n);
        try {
            pcm.clear();
            decoder.decodeFrame(ByteBuffer.wrap(synthetic), pcm);
        } catch (IOException | RuntimeException e) {
            // the real frame will fail too, and be skipped
        }
    }

    /** Appends a frame's main data (after header, CRC and side information) to the reservoir tail. */
    private void keepMainData(byte[] bytes, MpegAudio.Frame frame) {
        int start = 4 + (frame.crc() ? 2 : 0) + frame.sideInfo();
        int n = Math.max(0, frame.length() - start);
        if (n >= TAIL) {
            System.arraycopy(bytes, frame.length() - TAIL, tail, 0, TAIL);
            tailLength = TAIL;
            return;
        }
        int keep = Math.min(tailLength, TAIL - n);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        System.arraycopy(bytes, start, tail, keep, n);
        tailLength = keep + n;
    }

    /**
     * The frame as jcodec reads it: it takes the side information right after the header, so a
     * CRC that sits between them is moved to the end, where jcodec skips two bytes.
     */
    private static byte[] forJcodec(byte[] bytes, MpegAudio.Frame frame) {
        int length = frame.length();
        byte[] copy = new byte[length];
        if (!frame.crc()) {
            System.arraycopy(bytes, 0, copy, 0, length);
            return copy;
        }
        System.arraycopy(bytes, 0, copy, 0, 4);
        System.arraycopy(bytes, 6, copy, 4, length - 6);
        copy[length - 2] = bytes[4];
        copy[length - 1] = bytes[5];
        return copy;
    }
}
