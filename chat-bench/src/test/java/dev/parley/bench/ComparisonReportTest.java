package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.bench.ComparisonReport.Idle;
import dev.parley.bench.ComparisonReport.Latency;
import dev.parley.bench.ComparisonReport.Measure;
import dev.parley.bench.ComparisonReport.Run;
import dev.parley.bench.ComparisonReport.Scenario;
import dev.parley.bench.ComparisonReport.Step;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ComparisonReportTest {
    private static final Scenario ROOMS = new Scenario("rooms", "rooms of 20", Measure.DELIVERIES);
    private static final Scenario PERSIST = new Scenario("persist", "persisted sends", Measure.ACKS);

    private static Latency p50(double ms) {
        long ns = (long) (ms * 1e6);
        return new Latency(100, ns, 2 * ns, 3 * ns, 4 * ns);
    }

    /** A 2 s step at {@code rate} msg/s to 19 others, with {@code delivered} of them arriving, all acked. */
    private static Step rooms(int rate, long delivered, double p50Ms, double serverCpuSeconds) {
        long published = 2L * rate;
        return new Step(rate, 19, 2, published, published * 19, delivered, p50(p50Ms), published, p50(p50Ms), 0,
                serverCpuSeconds, 0.5, 2.5, p50(0.1), 0, 90);
    }

    private static ComparisonReport report() {
        return new ComparisonReport().server(ComparisonReport.PARLEY, "Parley")
                .server(ComparisonReport.PARLEY_MEMORY, "Parley mem").server(ComparisonReport.WS, "Node ws")
                .server(ComparisonReport.SOCKET_IO, "Socket.IO").scenario(ROOMS).scenario(PERSIST);
    }

    @Test
    void aStepIsSustainedOnlyWithoutLossErrorsOrClosesAndWithAFastEnoughMedian() {
        Step ok = rooms(1000, 38_000, 4.9, 1);
        assertTrue(ok.sustained(Measure.DELIVERIES, ComparisonReport.MAX_P50_NANOS));
        assertFalse(rooms(1000, 37_999, 1, 1).sustained(Measure.DELIVERIES, ComparisonReport.MAX_P50_NANOS), "one lost");
        assertFalse(rooms(1000, 38_000, 5.1, 1).sustained(Measure.DELIVERIES, ComparisonReport.MAX_P50_NANOS), "p50 over 5 ms");
        Step errors = new Step(1000, 19, 2, 2000, 38_000, 38_000, p50(1), 1999, p50(1), 1, 1, 0.5, 2.5, p50(0.1), 0, 90);
        assertFalse(errors.sustained(Measure.DELIVERIES, ComparisonReport.MAX_P50_NANOS), "a send refused");
        Step closed = new Step(1000, 19, 2, 2000, 38_000, 38_000, p50(1), 2000, p50(1), 0, 1, 0.5, 2.5, p50(0.1), 3, 90);
        assertFalse(closed.sustained(Measure.DELIVERIES, ComparisonReport.MAX_P50_NANOS), "connections closed");
        assertTrue(rooms(1000, 38_000, 15, 1).sustained(Measure.DELIVERIES, TimeUnit.MILLISECONDS.toNanos(20)),
                "a scenario may set a looser bound");
    }

    @Test
    void ackMeasureJudgesAcksAndTheirLatency() {
        Step allAcked = new Step(4000, 1, 2, 8000, 8000, 7000, p50(50), 8000, p50(2), 0, 1, 0.5, 2.5, p50(0.1), 0, 90);
        assertTrue(allAcked.sustained(Measure.ACKS, ComparisonReport.MAX_P50_NANOS), "deliveries do not matter for acks");
        Step missing = new Step(4000, 1, 2, 8000, 8000, 8000, p50(1), 7999, p50(1), 0, 1, 0.5, 2.5, p50(0.1), 0, 90);
        assertFalse(missing.sustained(Measure.ACKS, ComparisonReport.MAX_P50_NANOS));
        assertEquals(1 / 8000.0, missing.ackLoss(), 1e-12);
        assertEquals(7999 / 2.0, missing.ackedPerSecond(), 1e-9);
    }

    @Test
    void stepFiguresComeFromCountsAndCpuSeconds() {
        Step s = rooms(1000, 36_100, 1, 0.5);
        assertEquals(19_000, s.offeredDeliveriesPerSecond(), 1e-9);
        assertEquals(18_050, s.deliveredPerSecond(), 1e-9);
        assertEquals(0.05, s.loss(), 1e-12);
        assertEquals(20, s.serverCpuPercent(), 1e-9, "0.5 CPU-s over 2.5 s of wall time");
        assertEquals(72_200, s.deliveriesPerServerCpuSecond(), 1e-9);
        assertEquals(20, s.generatorCpuPercent(), 1e-9);
        assertTrue(Double.isNaN(rooms(1000, 38_000, 1, 0).deliveriesPerServerCpuSecond()), "no CPU measured");
    }

    @Test
    void bestIsTheHighestSustainedRateWhateverTheOrderTried() {
        Run run = new Run(ROOMS, ComparisonReport.WS,
                List.of(rooms(2000, 76_000, 1, 1), rooms(4000, 152_000, 9, 1), rooms(3000, 114_000, 2, 1),
                        rooms(3500, 130_000, 3, 1)), null);
        assertEquals(3000, run.best().orElseThrow().rate(), "3500 lost deliveries, 4000 was too slow");
        assertTrue(new Run(ROOMS, ComparisonReport.WS, List.of(rooms(2000, 76_000, 6, 1)), null).best().isEmpty());
    }

    @Test
    void ratiosCompareParleysBestWithEachBaselinesBest() {
        ComparisonReport r = report();
        r.add(new Run(ROOMS, ComparisonReport.PARLEY, List.of(rooms(3000, 114_000, 2, 1)), null));
        r.add(new Run(ROOMS, ComparisonReport.PARLEY_MEMORY, List.of(rooms(4000, 152_000, 2, 1)), null));
        r.add(new Run(ROOMS, ComparisonReport.WS, List.of(rooms(2000, 76_000, 1, 1), rooms(4000, 152_000, 7, 1)), null));
        r.add(new Run(ROOMS, ComparisonReport.SOCKET_IO, List.of(rooms(1000, 38_000, 1, 0.5)), null));

        assertEquals(57_000, r.bestThroughput("rooms", ComparisonReport.PARLEY), 1e-9);
        assertEquals(1.5, ComparisonReport.ratio(r.bestThroughput("rooms", ComparisonReport.PARLEY),
                r.bestThroughput("rooms", ComparisonReport.WS)), 1e-9);
        assertEquals(3.0, ComparisonReport.ratio(r.bestThroughput("rooms", ComparisonReport.PARLEY),
                r.bestThroughput("rooms", ComparisonReport.SOCKET_IO)), 1e-9);
        assertEquals(114_000 / 76_000.0, ComparisonReport.ratio(r.bestPerCpu("rooms", ComparisonReport.PARLEY),
                r.bestPerCpu("rooms", ComparisonReport.WS)), 1e-9);
        assertEquals(0.25, r.persistenceCost("rooms"), 1e-9, "57,000 of 76,000 deliveries/s");

        String text = r.render();
        assertTrue(text.contains("/Node ws deliveries/s 1.50x, per server CPU-s 1.50x;"), text);
        assertTrue(text.contains("/Socket.IO deliveries/s 3.00x"), text);
        assertTrue(text.contains("persistence on costs 25 % of the sustained deliveries/s"), text);
        assertTrue(text.contains("Parley rooms sustained deliveries/s vs ws >= 1.3x"), text);
        assertTrue(r.targets().get(0).endsWith("1.50x  met"), r.targets().get(0));
        assertTrue(r.targets().get(3).contains("Parley mem rooms sustained deliveries/s vs ws"), r.targets().get(3));
        assertTrue(r.targets().get(3).endsWith("2.00x  met"), r.targets().get(3));
    }

    @Test
    void aMissingOrUnsustainedBaselineGivesNoRatioInsteadOfANumber() {
        ComparisonReport r = report();
        r.add(new Run(ROOMS, ComparisonReport.PARLEY, List.of(rooms(3000, 114_000, 2, 1)), null));
        r.add(new Run(ROOMS, ComparisonReport.WS, List.of(rooms(2000, 76_000, 8, 1)), null));
        assertTrue(Double.isNaN(ComparisonReport.ratio(r.bestThroughput("rooms", ComparisonReport.PARLEY),
                r.bestThroughput("rooms", ComparisonReport.WS))));
        assertTrue(Double.isNaN(r.bestThroughput("rooms", ComparisonReport.SOCKET_IO)));
        assertTrue(Double.isNaN(r.persistenceCost("rooms")));
        String text = r.render();
        assertTrue(text.contains("/Node ws deliveries/s n/a, per server CPU-s n/a;"), text);
        assertTrue(text.contains("Node ws         none sustained"), text);
        assertTrue(r.targets().get(0).endsWith("n/a  NOT MEASURED"), r.targets().get(0));
        assertTrue(Double.isNaN(ComparisonReport.ratio(1, 0)));
        assertTrue(Double.isNaN(ComparisonReport.ratio(Double.NaN, 1)));
    }

    @Test
    void idleMemoryIsTheSlopeBetweenTheTwoCounts() {
        Idle ws = new Idle(ComparisonReport.WS, 1000, 10_000, 50_000, 61_000, 115_000, 114_000, null);
        assertEquals(6.0, ws.kibPerConnection(), 1e-9);
        assertEquals(11.0, ws.kibPerConnectionFirst(), 1e-9);
        assertEquals(53_000 / 9000.0, ws.kibPerConnectionNoGc(), 1e-9);
        ComparisonReport r = report();
        r.add(ws);
        r.add(new Idle(ComparisonReport.PARLEY, 1000, 10_000, 200_000, 260_000, 332_000, 330_000, null));
        String text = r.render();
        assertTrue(text.contains("KiB per connection Parley/Node ws: 1.33x"), text);
        assertTrue(r.targets().stream().anyMatch(t -> t.contains("RSS per idle connection <= 8 KiB") && t.endsWith("8.0 KiB  met")),
                String.join("\n", r.targets()));
    }

    @Test
    void persistedSendsTargetReadsTheAckedSendsPerSecond() {
        ComparisonReport r = report();
        Step fast = new Step(12_000, 1, 2, 24_000, 24_000, 24_000, p50(1), 24_000, p50(3), 0, 1.6, 0.5, 2.2, p50(0.1), 0, 90);
        r.add(new Run(PERSIST, ComparisonReport.PARLEY, List.of(fast), null));
        assertEquals(12_000, r.bestThroughput("persist", ComparisonReport.PARLEY), 1e-9);
        assertTrue(r.targets().get(r.targets().size() - 1).endsWith("12,000/s  MISSED"), r.targets().get(r.targets().size() - 1));
        assertTrue(r.render().contains("acks/srv CPU-s"));
    }

    @Test
    void latencyPercentilesComeFromTheHistogram() {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L);
        }
        Latency l = Latency.of(h);
        assertEquals(1000, l.count());
        assertEquals(500_000, l.p50(), 500);
        assertEquals(990_000, l.p99(), 1000);
        assertEquals(1_000_000, l.max(), 1000);
        assertEquals(Latency.NONE, Latency.of(new Histogram(3)));
    }

    @Test
    void procStatAndStatusAreParsed() throws Exception {
        String stat = "4242 (node ws (x)) S 1 4242 4242 0 -1 4194304 1234 0 0 0 150 25 0 0 20 0 11 0 9999 1000000 5000";
        assertEquals(1_750_000_000L, ServerProcess.parseCpuNanos(stat), "utime 150 + stime 25 ticks of 10 ms");
        assertEquals(123_456, ServerProcess.parseVmRssKib(List.of("Name:\tnode", "VmRSS:\t  123456 kB", "Threads: 7")));
        assertEquals(List.of(0, 1, 2, 5), MachineDescription.cpuList("0-2,5"));
    }
}
