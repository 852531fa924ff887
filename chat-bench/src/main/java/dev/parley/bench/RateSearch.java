package dev.parley.bench;

/**
 * Which publish rate to try next when looking for the highest sustained one: double while steps
 * pass, halve while none has passed yet, then bisect between the best pass and the lowest
 * failure until they are within {@code precision} of each other or the steps run out. Rates are
 * rounded to two significant digits so that tables stay readable.
 *
 * <pre>{@code
 * RateSearch search = new RateSearch(1000, 6, 0.15);
 * for (int rate = search.first(); rate > 0; rate = search.next(rate, passed(rate))) { … }
 * }</pre>
 */
final class RateSearch {
    private final int start;
    private final int maxSteps;
    private final double precision;
    private int steps;
    private int bestPass;
    private int lowestFail = Integer.MAX_VALUE;

    /**
     * @param start first rate, at least 1
     * @param maxSteps most steps in all, at least 1
     * @param precision stop bisecting when (fail - pass) is at most this fraction of pass
     */
    RateSearch(int start, int maxSteps, double precision) {
        if (start < 1 || maxSteps < 1 || !(precision > 0)) {
            throw new IllegalArgumentException("need start >= 1, maxSteps >= 1 and precision > 0: "
                    + start + ", " + maxSteps + ", " + precision);
        }
        this.start = start;
        this.maxSteps = maxSteps;
        this.precision = precision;
    }

    int first() {
        return start;
    }

    /** Records the outcome of {@code rate} and returns the next rate, or 0 when the search is over. */
    int next(int rate, boolean passed) {
        steps++;
        if (passed) {
            bestPass = Math.max(bestPass, rate);
        } else {
            lowestFail = Math.min(lowestFail, rate);
        }
        if (steps >= maxSteps) {
            return 0;
        }
        int next;
        if (lowestFail == Integer.MAX_VALUE) {
            next = round((long) bestPass * 2);
        } else if (bestPass == 0) {
            next = round(lowestFail / 2);
            if (next < 1 || next >= lowestFail) {
                return 0;
            }
        } else {
            if (lowestFail - bestPass <= precision * bestPass) {
                return 0;
            }
            next = round(((long) bestPass + lowestFail) / 2);
            if (next <= bestPass || next >= lowestFail) {
                return 0;
            }
        }
        return next;
    }

    /** The highest rate that passed so far, 0 if none. */
    int bestPass() {
        return bestPass;
    }

    /** {@code value} rounded to two significant digits (at least 1). */
    static int round(long value) {
        if (value < 100) {
            return (int) Math.max(1, value);
        }
        long scale = 1;
        while (value / scale >= 100) {
            scale *= 10;
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.round(value / (double) scale) * scale);
    }
}
