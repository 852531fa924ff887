package dev.parley.media.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Reduces audio samples to a fixed number of levels for display: the RMS of each of
 * {@code buckets} equal slices of the timeline, scaled so the loudest slice is 255 (a silent
 * recording gives all zeros). When the audio is longer than the decode budget, only a window
 * at the start of each slice is measured, so the cost stays bounded.
 */
public final class WaveformBuilder {
    private final long totalSamples;
    private final int buckets;
    private final long window;
    private final double[] sumSquares;
    private final long[] counts;

    /**
     * @param totalSamples  length of the audio in samples (per channel)
     * @param buckets       number of levels
     * @param budgetSamples most samples to measure in all
     */
    public WaveformBuilder(long totalSamples, int buckets, long budgetSamples) {
        this.totalSamples = Math.max(1, totalSamples);
        this.buckets = buckets;
        this.window = totalSamples <= budgetSamples ? Long.MAX_VALUE : Math.max(1, budgetSamples / buckets);
        this.sumSquares = new double[buckets];
        this.counts = new long[buckets];
    }

    /** Whether the sample at {@code position} lies in a measured window. */
    public boolean wants(long position) {
        if (window == Long.MAX_VALUE) {
            return true;
        }
        int bucket = bucket(position);
        long bucketStart = (long) Math.ceil((double) bucket * totalSamples / buckets);
        return position - bucketStart < window;
    }

    /**
     * Whether any sample in [{@code from}, {@code to}) lies in a measured window: for coded
     * frames longer than a window, which may cover one without starting or ending in it.
     */
    public boolean wants(long from, long to) {
        if (window == Long.MAX_VALUE) {
            return to > 0 && from < totalSamples;
        }
        long start = Math.max(0, from);
        long end = Math.min(totalSamples, to);
        for (int bucket = bucket(start); start < end && bucket <= bucket(end - 1); bucket++) {
            long bucketStart = (long) Math.ceil((double) bucket * totalSamples / buckets);
            if (bucketStart < end && bucketStart + window > start) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code count} samples (normalised to -1..1) starting at timeline {@code position}. */
    public void add(long position, float[] samples, int count) {
        for (int i = 0; i < count; i++) {
            int bucket = bucket(position + i);
            double s = samples[i];
            sumSquares[bucket] += s * s;
            counts[bucket]++;
        }
    }

    /** Adds 16-bit samples. */
    public void add(long position, short[] samples, int count) {
        for (int i = 0; i < count; i++) {
            int bucket = bucket(position + i);
            double s = samples[i] / 32768.0;
            sumSquares[bucket] += s * s;
            counts[bucket]++;
        }
    }

    /**
     * Adds {@code count} samples (normalised to -1..1) spread evenly over {@code span} units of
     * the timeline from {@code position}: for decoders whose output rate differs from the
     * timeline's (an MP4 track's timescale). Samples before 0 (encoder priming) or past the end
     * (padding) are left out.
     */
    public void add(long position, float[] samples, int count, long span) {
        for (int i = 0; i < count; i++) {
            long at = position + i * span / count;
            if (at < 0 || at >= totalSamples) {
                continue;
            }
            int bucket = bucket(at);
            double s = samples[i];
            sumSquares[bucket] += s * s;
            counts[bucket]++;
        }
    }

    private int bucket(long position) {
        return (int) Math.min(buckets - 1, Math.max(0, position * buckets / totalSamples));
    }

    /** The levels, 0..255 each, or an empty list when nothing was measured. */
    public List<Integer> levels() {
        double[] rms = new double[buckets];
        double max = 0;
        boolean any = false;
        for (int i = 0; i < buckets; i++) {
            if (counts[i] > 0) {
                any = true;
                rms[i] = Math.sqrt(sumSquares[i] / counts[i]);
                max = Math.max(max, rms[i]);
            }
        }
        if (!any) {
            return List.of();
        }
        List<Integer> levels = new ArrayList<>(buckets);
        for (int i = 0; i < buckets; i++) {
            levels.add(max == 0 ? 0 : (int) Math.round(255 * rms[i] / max));
        }
        return List.copyOf(levels);
    }
}
