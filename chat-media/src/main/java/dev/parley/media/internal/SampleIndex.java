package dev.parley.media.internal;

import java.util.Arrays;

/**
 * Where the samples (coded frames) of one MP4 track are: file offset, size and duration in the
 * track's timescale, in decoding order. Held in primitive arrays and capped at
 * {@link #MAX_SAMPLES}, so that a table claiming billions of samples cannot exhaust memory.
 */
public final class SampleIndex {
    /** About six hours of 48 kHz AAC; 16 bytes per sample. */
    public static final int MAX_SAMPLES = 1 << 20;

    private long[] offsets = new long[256];
    private int[] sizes = new int[256];
    private int[] durations = new int[256];
    private int count;
    private boolean overflowed;

    /** Appends one sample; returns false (and remembers it) once the cap is reached. */
    boolean add(long offset, long size, long duration) {
        if (count == MAX_SAMPLES || size < 0 || size > Integer.MAX_VALUE || duration < 0 || duration > Integer.MAX_VALUE) {
            overflowed = true;
            return false;
        }
        if (count == offsets.length) {
            int grown = Math.min(MAX_SAMPLES, count * 2);
            offsets = Arrays.copyOf(offsets, grown);
            sizes = Arrays.copyOf(sizes, grown);
            durations = Arrays.copyOf(durations, grown);
        }
        offsets[count] = offset;
        sizes[count] = (int) size;
        durations[count] = (int) duration;
        count++;
        return true;
    }

    /** Whether a sample could not be added (over the cap, or a size or duration out of range). */
    public boolean overflowed() {
        return overflowed;
    }

    public int count() {
        return count;
    }

    public long offset(int i) {
        return offsets[i];
    }

    public int size(int i) {
        return sizes[i];
    }

    public int duration(int i) {
        return durations[i];
    }
}
