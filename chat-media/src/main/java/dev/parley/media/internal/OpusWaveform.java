package dev.parley.media.internal;

import io.github.jaredmdobson.concentus.OpusDecoder;
import io.github.jaredmdobson.concentus.OpusException;
import io.github.jaredmdobson.concentus.OpusPacketInfo;
import java.util.List;

/**
 * Decodes Opus packets (with Concentus, a pure-Java port of libopus) to mono 48 kHz and feeds
 * a {@link WaveformBuilder}. Packets outside the builder's measured windows are skipped, and
 * the decoder is reset before the next measured one. A packet the decoder rejects is skipped.
 */
public final class OpusWaveform {
    private static final int MAX_FRAME = 5760; // 120 ms at 48 kHz
    private final WaveformBuilder builder;
    private final OpusDecoder decoder;
    private final short[] pcm = new short[MAX_FRAME];
    private long position;
    private boolean skipped;

    public OpusWaveform(long totalSamples, int buckets, long budgetSamples) {
        this.builder = new WaveformBuilder(totalSamples, buckets, budgetSamples);
        try {
            this.decoder = new OpusDecoder(48_000, 1);
        } catch (OpusException e) {
            throw new IllegalStateException("Opus decoder cannot be created", e);
        }
    }

    public void packet(byte[] data, int offset, int length) {
        if (length <= 0) {
            return;
        }
        int samples = OpusPacketInfo.getNumSamples(data, offset, length, 48_000);
        if (samples <= 0) {
            return;
        }
        if (builder.wants(position)) {
            if (skipped) {
                decoder.resetState();
                skipped = false;
            }
            try {
                int decoded = decoder.decode(data, offset, length, pcm, 0, MAX_FRAME, false);
                if (decoded > 0) {
                    builder.add(position, pcm, decoded);
                }
            } catch (OpusException | RuntimeException e) {
                skipped = true; // damaged packet: start clean at the next one
            }
        } else {
            skipped = true;
        }
        position += samples;
    }

    public List<Integer> levels() {
        return builder.levels();
    }
}
