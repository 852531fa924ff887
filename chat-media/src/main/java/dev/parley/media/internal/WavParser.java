package dev.parley.media.internal;

import dev.parley.media.MediaException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** RIFF/WAVE with PCM or float samples: duration from the data size, waveform from the samples. */
public final class WavParser {

    /** @param waveform levels, empty for a sample format that is not read (compressed WAV) */
    public record WavInfo(long durationMillis, List<Integer> waveform) {
    }

    private WavParser() {
    }

    public static WavInfo parse(InputStream in, int buckets, long budgetSamples) throws IOException {
        byte[] riff = in.readNBytes(12);
        if (riff.length < 12 || !Bytes.ascii(riff, 12, 0, "RIFF") || !Bytes.ascii(riff, 12, 8, "WAVE")) {
            throw malformed("not a WAVE file");
        }
        int format = -1;
        int channels = 0;
        long sampleRate = 0;
        int bits = 0;
        int blockAlign = 0;
        long byteRate = 0;
        while (true) {
            byte[] chunk = in.readNBytes(8);
            if (chunk.length < 8) {
                throw malformed("WAVE file has no data chunk");
            }
            long size = Bytes.u32le(chunk, 4);
            if (Bytes.ascii(chunk, 8, 0, "fmt ")) {
                if (size < 16 || size > 1024) {
                    throw malformed("WAVE fmt chunk of " + size + " bytes");
                }
                byte[] fmt = in.readNBytes((int) size + (int) (size & 1));
                if (fmt.length < size) {
                    throw malformed("WAVE fmt chunk is truncated");
                }
                format = Bytes.u16le(fmt, 0);
                channels = Bytes.u16le(fmt, 2);
                sampleRate = Bytes.u32le(fmt, 4);
                byteRate = Bytes.u32le(fmt, 8);
                blockAlign = Bytes.u16le(fmt, 12);
                bits = Bytes.u16le(fmt, 14);
                if (format == 0xFFFE && size >= 26) {
                    format = Bytes.u16le(fmt, 24); // sub-format GUID starts with the format tag
                }
            } else if (Bytes.ascii(chunk, 8, 0, "data")) {
                if (format < 0 || byteRate == 0 || channels == 0 || blockAlign == 0) {
                    throw malformed("WAVE data before a valid fmt chunk");
                }
                long duration = size * 1000 / byteRate;
                boolean readable = (format == 1 && (bits == 8 || bits == 16 || bits == 24 || bits == 32))
                        || (format == 3 && bits == 32);
                if (!readable) {
                    return new WavInfo(duration, List.of());
                }
                return new WavInfo(duration, waveform(in, size, format, channels, bits, blockAlign, buckets, budgetSamples));
            } else {
                in.skipNBytes(size + (size & 1));
            }
        }
    }

    private static List<Integer> waveform(InputStream in, long size, int format, int channels, int bits, int blockAlign,
                                          int buckets, long budget) throws IOException {
        long frames = size / blockAlign;
        WaveformBuilder builder = new WaveformBuilder(frames, buckets, budget);
        int perRead = Math.max(1, 65_536 / blockAlign);
        byte[] buffer = new byte[perRead * blockAlign];
        float[] samples = new float[perRead];
        long position = 0;
        int bytesPerSample = bits / 8;
        while (position < frames) {
            int want = (int) Math.min(perRead, frames - position);
            int n = in.readNBytes(buffer, 0, want * blockAlign) / blockAlign;
            if (n == 0) {
                break; // data chunk shorter than declared: measure what is there
            }
            for (int i = 0; i < n; i++) {
                int at = i * blockAlign; // first channel only
                samples[i] = switch (bytesPerSample) {
                    case 1 -> ((buffer[at] & 0xFF) - 128) / 128f;
                    case 2 -> (short) Bytes.u16le(buffer, at) / 32768f;
                    case 3 -> (Bytes.u24le(buffer, at) << 8 >> 8) / 8_388_608f;
                    default -> format == 3 ? Float.intBitsToFloat((int) Bytes.u32le(buffer, at))
                            : (int) Bytes.u32le(buffer, at) / 2_147_483_648f;
                };
            }
            if (builder.wants(position) || builder.wants(position + n - 1)) {
                builder.add(position, samples, n);
            }
            position += n;
        }
        return builder.levels();
    }

    private static MediaException malformed(String message) {
        return new MediaException(MediaException.Reason.MALFORMED, message);
    }
}
