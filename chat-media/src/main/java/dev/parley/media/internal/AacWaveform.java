package dev.parley.media.internal;

import java.io.IOException;
import java.util.List;
import net.sourceforge.jaad.aac.AACException;
import net.sourceforge.jaad.aac.Decoder;
import net.sourceforge.jaad.aac.SampleBuffer;

/**
 * Decodes the AAC samples of an MP4 sound track with the JAAD decoder that jcodec ships (pure
 * Java), mixed down to mono, and feeds a {@link WaveformBuilder} on the track's timeline less its
 * edit-list start (the encoder's priming).
 *
 * <p>Samples outside the builder's measured windows are not read. The first sample of a window
 * gets a fresh decoder, primed with the sample before it (AAC frames overlap by half a window).
 * A sample the decoder rejects is skipped.
 *
 * <p><b>Perceptual noise substitution (PNS) is not supported</b>: jcodec 0.2.5's JAAD fills
 * noise bands from a random generator that collapses to zero, which turns the frame (and, through
 * the overlap, the next) into NaN, i.e. silence. A frame of real size that decodes to exact
 * silence while its first channel codes noise or spectral bands is taken as that failure, and the
 * track gets <em>no</em> waveform rather than a wrong one. ffmpeg's built-in AAC encoder uses PNS by default at voice bitrates.
 */
public final class AacWaveform {
    /** MPEG-4 audio in the {@code esds} objectTypeIndication. */
    private static final int MPEG4_AUDIO = 0x40;
    /**
     * An encoder codes digital silence in about 6 to 10 bytes. A frame this large that decodes to
     * exact zeros, unless it codes no spectral band at all (padding to a constant bitrate), has
     * hit the decoder's PNS failure.
     */
    private static final int SILENT_FRAME_BYTES = 24;

    /** An AAC frame holds at most 6144 bits per channel; this allows 48 channels. */
    private static final int MAX_FRAME_BYTES = 48 * 768;

    private AacWaveform() {
    }

    /**
     * The levels of an MP4 sound track, or an empty list when it is not AAC, has no consistent
     * sample index, or cannot be decoded reliably (see the class comment).
     *
     * @param budgetTicks audio longer than this (in the track's timescale) is measured in one
     *                    window per level
     */
    public static List<Integer> levels(RandomReader in, Mp4Parser.Mp4AudioTrack track, int buckets,
                                       long budgetTicks) throws IOException {
        SampleIndex samples = track.samples();
        if (!"mp4a".equals(track.codec()) || track.objectType() != MPEG4_AUDIO || samples == null
                || track.decoderConfig().length < 2 || track.durationTicks() <= 0 || track.timescale() <= 0) {
            return List.of();
        }
        Decoder decoder;
        try {
            decoder = new Decoder(track.decoderConfig());
        } catch (AACException | RuntimeException e) {
            return List.of(); // an audio object type JAAD does not decode
        }
        WaveformBuilder builder = new WaveformBuilder(track.durationTicks(), buckets, budgetTicks);
        SampleBuffer buffer = new SampleBuffer();
        float[] mono = new float[2048];
        long position = -track.startTicks();
        boolean warm = true;
        for (int i = 0; i < samples.count() && position < track.durationTicks(); i++) {
            int duration = samples.duration(i);
            boolean wanted = builder.wants(position, position + duration);
            if (!wanted) {
                warm = false;
                position += duration;
                continue;
            }
            if (!warm) {
                try {
                    decoder = new Decoder(track.decoderConfig());
                } catch (AACException e) {
                    return List.of();
                }
                if (i > 0) {
                    decode(decoder, in, samples, i - 1, buffer); // overlap only: output dropped
                }
            }
            warm = decode(decoder, in, samples, i, buffer);
            if (warm) {
                byte[] pcm = buffer.getData();
                int channels = Math.max(1, buffer.getChannels());
                int count = pcm.length / 2 / channels;
                if (mono.length < count) {
                    mono = new float[count];
                }
                boolean silent = true;
                boolean bigEndian = buffer.isBigEndian();
                for (int s = 0; s < count; s++) {
                    float sum = 0;
                    for (int c = 0; c < channels; c++) {
                        int at = (s * channels + c) * 2;
                        sum += (short) (bigEndian ? Bytes.u16be(pcm, at) : Bytes.u16le(pcm, at));
                    }
                    silent &= sum == 0;
                    mono[s] = sum / channels / 32768f;
                }
                if (silent && samples.size(i) >= SILENT_FRAME_BYTES && !codesOnlyZeroBands(in, samples, i)) {
                    return List.of();
                }
                builder.add(position, mono, count, duration);
            }
            position += duration;
        }
        return builder.levels();
    }

    /**
     * Whether the frame's first channel codes no spectral data at all: a frame padded to a
     * constant bitrate can be large and still be true silence. False when noise (PNS) or
     * spectral bands are coded, or when the frame is not a plain AAC-LC single or pair element.
     */
    static boolean codesOnlyZeroBands(RandomReader in, SampleIndex samples, int i) throws IOException {
        BitReader bits = new BitReader(in.readFully(samples.offset(i), samples.size(i)));
        int element = bits.read(3);
        if (element != 0 && element != 1 && element != 3) {
            return false; // not SCE, CPE or LFE first
        }
        bits.read(4); // instance tag
        int[] info = null;
        if (element == 1 && bits.read(1) == 1) { // CPE with a common window
            info = icsInfo(bits);
            if (info == null) {
                return false;
            }
            int msMask = bits.read(2);
            if (msMask == 1) {
                bits.skip(info[0] * info[1]);
            }
        }
        bits.read(8); // global gain
        if (info == null) {
            info = icsInfo(bits);
            if (info == null) {
                return false;
            }
        }
        int maxSfb = info[0];
        int groups = info[1];
        int sectionBits = info[2] == 2 ? 3 : 5;
        int escape = (1 << sectionBits) - 1;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < maxSfb; ) {
                int codebook = bits.read(4);
                int length = 0;
                int increment;
                while ((increment = bits.read(sectionBits)) == escape) {
                    length += escape;
                }
                length += increment;
                if (codebook != 0 || length == 0 || bits.overrun()) {
                    return false;
                }
                k += length;
            }
        }
        return !bits.overrun();
    }

    /** Reads ics_info (AAC-LC): {max_sfb, window groups, window sequence}, or null when not LC. */
    private static int[] icsInfo(BitReader bits) {
        bits.read(1); // reserved
        int sequence = bits.read(2);
        bits.read(1); // window shape
        if (sequence == 2) { // EIGHT_SHORT_SEQUENCE
            int maxSfb = bits.read(4);
            int groups = 1;
            for (int k = 0; k < 7; k++) {
                groups += bits.read(1) == 0 ? 1 : 0;
            }
            return new int[] {maxSfb, groups, sequence};
        }
        int maxSfb = bits.read(6);
        return bits.read(1) == 0 ? new int[] {maxSfb, 1, sequence} : null; // predictor data: not LC
    }

    /** Big-endian bits; reads past the end give zeros and set {@link #overrun()}. */
    private static final class BitReader {
        private final byte[] data;
        private long position;

        BitReader(byte[] data) {
            this.data = data;
        }

        int read(int n) {
            int value = 0;
            for (int k = 0; k < n; k++, position++) {
                int at = (int) (position >>> 3);
                int bit = at < data.length ? (data[at] >> (7 - (int) (position & 7))) & 1 : 0;
                value = value << 1 | bit;
            }
            return value;
        }

        void skip(int n) {
            position += n;
        }

        boolean overrun() {
            return position > (long) data.length * 8;
        }
    }

    private static boolean decode(Decoder decoder, RandomReader in, SampleIndex samples, int i, SampleBuffer buffer)
            throws IOException {
        if (samples.size(i) > MAX_FRAME_BYTES) {
            return false;
        }
        byte[] frame = in.readFully(samples.offset(i), samples.size(i));
        try {
            decoder.decodeFrame(frame, buffer);
            return buffer.getData() != null && buffer.getData().length > 0;
        } catch (AACException | RuntimeException e) {
            return false; // damaged frame: skipped, and the next one starts a fresh decoder
        }
    }
}
