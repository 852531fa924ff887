package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The soak's verdicts on made-up samples: a flat heap passes, a heap that grows per message fails. */
class SoakResultTest {
    private static final long MIB = 1024 * 1024;
    private final SoakBench.Options options = new SoakBench.Options(40, 20, 10, Duration.ofSeconds(60),
            Duration.ofSeconds(10), Duration.ofSeconds(20), "64m", false, 0, Path.of("unused"));

    private static SoakBench.Sample sample(double seconds, long heapMib, long published) {
        return new SoakBench.Sample(seconds, heapMib * MIB, 100_000, 40, 30, published, published * 19, 0);
    }

    private SoakBench.Result result(List<SoakBench.Sample> samples, SoakBench.Sample end) {
        return new SoakBench.Result(options, samples, end, end.published(), end.published(), 0, end.published() * 19,
                end.published() * 19, 0, 0, 0, 0, Map.of(), new Histogram(3), 0);
    }

    @Test
    void aFlatHeapIsBoundedAndItsSlopeIsZero() {
        List<SoakBench.Sample> samples = List.of(sample(0, 30, 0), sample(10, 31, 2000), sample(20, 31, 4000),
                sample(30, 31, 6000), sample(40, 31, 8000));
        SoakBench.Result r = result(samples, sample(41, 30, 8000));
        assertTrue(r.behaviourHeld());
        assertEquals(20, r.warm().seconds());
        assertTrue(r.heapGrowthPerMessage() < 0);
        assertTrue(r.heapBounded());
        assertEquals(0, r.slopePerMinute(SoakBench.Sample::heapAfterGc), 1e-6);
    }

    @Test
    void aHeapGrowingTwoKibPerMessageFailsTheBound() {
        List<SoakBench.Sample> samples = List.of(sample(0, 30, 0), sample(20, 38, 4096), sample(40, 46, 8192));
        SoakBench.Result r = result(samples, sample(41, 54, 12288));
        assertEquals(2 * 1024, r.heapGrowthPerMessage(), 1);
        assertFalse(r.heapBounded());
        assertEquals(24.0 * MIB, r.slopePerMinute(SoakBench.Sample::heapAfterGc), 1);
    }

    @Test
    void aLostConnectionOrAMissingDeliveryFailsBehaviour() {
        SoakBench.Sample end = sample(41, 30, 100);
        SoakBench.Result lost = new SoakBench.Result(options, List.of(end), end, 100, 100, 0, 1900, 1900, 0, 0, 0, 1,
                Map.of(), new Histogram(3), 0);
        SoakBench.Result missing = new SoakBench.Result(options, List.of(end), end, 100, 100, 0, 1900, 1899, 1, 0, 0, 0,
                Map.of(), new Histogram(3), 0);
        assertFalse(lost.behaviourHeld());
        assertFalse(missing.behaviourHeld());
    }
}
