package dev.parley.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The figures of one comparison run and their tables: per scenario and server every rate step,
 * the highest sustained step (p50 at most 5 ms, nothing lost, no send error), the ratios of
 * Parley to the baselines, the idle-connection memory, and the targets met or missed.
 * No I/O here: {@link Compare} measures, this class computes and formats.
 */
final class ComparisonReport {
    /** The latency bound of a sustained step, unless a scenario sets its own. */
    static final long MAX_P50_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** Server keys as they appear in tables; the two Parley modes and the two baselines. */
    static final String PARLEY = "parley";
    static final String PARLEY_MEMORY = "parley-mem";
    static final String WS = "ws";
    static final String SOCKET_IO = "socket.io";

    /** What a step is judged by: deliveries to other members, or acks of sends. */
    enum Measure { DELIVERIES, ACKS }

    /** Percentiles of a latency histogram, in nanoseconds. */
    record Latency(long count, long p50, long p99, long p999, long max) {
        static final Latency NONE = new Latency(0, 0, 0, 0, 0);

        static Latency of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return NONE;
            }
            return new Latency(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue());
        }
    }

    /**
     * One open-loop step: {@code rate} messages/s for {@code seconds}, each expected to reach
     * {@code fanOut} other clients; CPU seconds over the step and its drain. {@code serverCoresBusyPercent}
     * is how busy the server's core(s) were with anything (the server, other processes, softirq),
     * from {@code /proc/stat}; NaN when unknown. Well above the server's own CPU % means neighbours
     * took the core.
     */
    record Step(int rate, int fanOut, double seconds, long published, long expected, long delivered, Latency latency,
                long acked, Latency ackLatency, long sendErrors, double serverCpuSeconds, double generatorCpuSeconds,
                double wallSeconds, Latency lateness, long closedByServer, double serverCoresBusyPercent) {

        double offeredDeliveriesPerSecond() {
            return (double) rate * fanOut;
        }

        double deliveredPerSecond() {
            return delivered / seconds;
        }

        double ackedPerSecond() {
            return acked / seconds;
        }

        /** Deliveries (of messages scheduled in the step) that did not arrive within the grace, as a fraction. */
        double loss() {
            return expected == 0 ? 0 : 1 - (double) delivered / expected;
        }

        /** Sends without a successful ack, as a fraction. */
        double ackLoss() {
            return published == 0 ? 0 : 1 - (double) acked / published;
        }

        /** Server CPU (user + system of its process) as a percentage of one core. */
        double serverCpuPercent() {
            return wallSeconds <= 0 ? Double.NaN : 100 * serverCpuSeconds / wallSeconds;
        }

        double generatorCpuPercent() {
            return wallSeconds <= 0 ? Double.NaN : 100 * generatorCpuSeconds / wallSeconds;
        }

        double deliveriesPerServerCpuSecond() {
            return serverCpuSeconds <= 0 ? Double.NaN : delivered / serverCpuSeconds;
        }

        double acksPerServerCpuSecond() {
            return serverCpuSeconds <= 0 ? Double.NaN : acked / serverCpuSeconds;
        }

        /** Throughput by {@code measure}: deliveries/s or acked sends/s. */
        double throughput(Measure measure) {
            return measure == Measure.DELIVERIES ? deliveredPerSecond() : ackedPerSecond();
        }

        double perServerCpuSecond(Measure measure) {
            return measure == Measure.DELIVERIES ? deliveriesPerServerCpuSecond() : acksPerServerCpuSecond();
        }

        /**
         * Sustained: nothing lost, no send refused, no connection closed by the server, and the
         * median latency (of deliveries, or of acks) at most {@code maxP50Nanos}.
         */
        boolean sustained(Measure measure, long maxP50Nanos) {
            if (sendErrors > 0 || closedByServer > 0 || published == 0) {
                return false;
            }
            return switch (measure) {
                case DELIVERIES -> expected > 0 && delivered >= expected && latency.p50() <= maxP50Nanos;
                case ACKS -> acked >= published && ackLatency.p50() <= maxP50Nanos;
            };
        }
    }

    /** A scenario as set up: its key, what it is, and how its steps are judged (median bound in ns). */
    record Scenario(String key, String title, Measure measure, long maxP50Nanos) {
        Scenario(String key, String title, Measure measure) {
            this(key, title, measure, MAX_P50_NANOS);
        }

        boolean sustained(Step step) {
            return step.sustained(measure, maxP50Nanos);
        }
    }

    /** The steps of one scenario against one server, in the order run. */
    record Run(Scenario scenario, String server, List<Step> steps, String note) {
        Run {
            steps = List.copyOf(steps);
        }

        /** The highest-rate sustained step. */
        Optional<Step> best() {
            return steps.stream().filter(scenario::sustained)
                    .max((a, b) -> Integer.compare(a.rate(), b.rate()));
        }
    }

    /**
     * Idle connections: the server's VmRSS (KiB) with none, {@code first} and {@code second}
     * connections, each read after a full GC of the server; {@code secondNoGcKib} before that GC.
     */
    record Idle(String server, int first, int second, long baseKib, long firstKib, long secondKib, long secondNoGcKib,
                String note) {
        /** KiB per connection from {@code first} to {@code second} connections (the slope). */
        double kibPerConnection() {
            return second <= first ? Double.NaN : (double) (secondKib - firstKib) / (second - first);
        }

        double kibPerConnectionNoGc() {
            return second <= first ? Double.NaN : (double) (secondNoGcKib - firstKib) / (second - first);
        }

        /** KiB per connection from none to {@code first}. */
        double kibPerConnectionFirst() {
            return first <= 0 ? Double.NaN : (double) (firstKib - baseKib) / first;
        }
    }

    private final List<Scenario> scenarios = new ArrayList<>();
    private final Map<String, String> serverNames = new LinkedHashMap<>();
    private final List<Run> runs = new ArrayList<>();
    private final List<Idle> idles = new ArrayList<>();

    /** Declares a server (in table order) with its display name. */
    ComparisonReport server(String key, String displayName) {
        serverNames.put(key, displayName);
        return this;
    }

    ComparisonReport scenario(Scenario s) {
        scenarios.add(s);
        return this;
    }

    void add(Run run) {
        runs.add(run);
    }

    void add(Idle idle) {
        idles.add(idle);
    }

    Optional<Run> run(String scenarioKey, String server) {
        return runs.stream().filter(r -> r.scenario().key().equals(scenarioKey) && r.server().equals(server)).findFirst();
    }

    Optional<Idle> idle(String server) {
        return idles.stream().filter(i -> i.server().equals(server)).findFirst();
    }

    /** Best sustained throughput of {@code server} in {@code scenarioKey} (deliveries/s or acks/s), NaN if none. */
    double bestThroughput(String scenarioKey, String server) {
        return run(scenarioKey, server).flatMap(r -> r.best().map(s -> s.throughput(r.scenario().measure())))
                .orElse(Double.NaN);
    }

    /** Deliveries (or acks) per server CPU-second at the best sustained step, NaN if none. */
    double bestPerCpu(String scenarioKey, String server) {
        return run(scenarioKey, server).flatMap(r -> r.best().map(s -> s.perServerCpuSecond(r.scenario().measure())))
                .orElse(Double.NaN);
    }

    /** {@code a / b}, NaN when either is missing (NaN) or {@code b} is not positive. */
    static double ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b <= 0) {
            return Double.NaN;
        }
        return a / b;
    }

    /** The share of throughput lost by turning persistence on: 1 - parley / parley-mem; NaN if unknown. */
    double persistenceCost(String scenarioKey) {
        double r = ratio(bestThroughput(scenarioKey, PARLEY), bestThroughput(scenarioKey, PARLEY_MEMORY));
        return Double.isNaN(r) ? Double.NaN : 1 - r;
    }

    // ---- formatting ----

    String render() {
        StringBuilder out = new StringBuilder();
        boolean idleDone = idles.isEmpty();
        for (Scenario s : scenarios) {
            if (runs.stream().noneMatch(r -> r.scenario().key().equals(s.key()))) {
                continue;
            }
            if (!idleDone && s.measure() == Measure.ACKS) { // scenario 4 before 5
                renderIdle(out);
                idleDone = true;
            }
            renderScenario(out, s);
        }
        if (!idleDone) {
            renderIdle(out);
        }
        renderTargets(out);
        return out.toString();
    }

    private void renderScenario(StringBuilder out, Scenario s) {
        boolean acks = s.measure() == Measure.ACKS;
        out.append("\n== ").append(s.title()).append(" ==\n");
        String header = acks
                ? "   msg/s   acked/s  no ack %  ack p50 ms  p99 ms  p99.9 ms  max ms  srv CPU %  core %  acks/srv CPU-s  gen CPU %  late p99/max ms  sustained\n"
                : "   msg/s  offered del/s  delivered/s  loss %  p50 ms  p99 ms  p99.9 ms  max ms  srv CPU %  core %  del/srv CPU-s  gen CPU %  late p99/max ms  sustained\n";
        for (String server : serverNames.keySet()) {
            Optional<Run> run = run(s.key(), server);
            if (run.isEmpty()) {
                continue;
            }
            out.append("-- ").append(serverNames.get(server));
            if (run.get().note() != null) {
                out.append(" (").append(run.get().note()).append(')');
            }
            out.append('\n').append(header);
            for (Step st : run.get().steps()) {
                out.append(acks ? ackRow(st, s) : deliveryRow(st, s)).append('\n');
            }
        }
        out.append("-- highest sustained step (p50 <= ").append(ms(s.maxP50Nanos())).append(" ms, no loss, no send error)\n");
        out.append(acks
                ? "  server           msg/s   acked/s  ack p50 ms  p99 ms  p99.9 ms  max ms  srv CPU %  core %  acks/srv CPU-s  gen CPU %  late p99/max ms\n"
                : "  server           msg/s  delivered/s  p50 ms  p99 ms  p99.9 ms  max ms  srv CPU %  core %  del/srv CPU-s  gen CPU %  late p99/max ms  RSS KiB/conn\n");
        for (String server : serverNames.keySet()) {
            Optional<Run> run = run(s.key(), server);
            if (run.isEmpty()) {
                continue;
            }
            Optional<Step> best = run.get().best();
            String name = String.format(Locale.ROOT, "  %-14s", serverNames.get(server));
            if (best.isEmpty()) {
                out.append(name).append("  none sustained (lowest rate tried failed)\n");
                continue;
            }
            Step b = best.get();
            Latency l = acks ? b.ackLatency() : b.latency();
            out.append(name).append(String.format(Locale.ROOT, " %7d  %11s  %6s  %6s  %8s  %6s  %9.0f  %6.0f  %13s  %9.0f  %15s",
                    b.rate(), count(b.throughput(s.measure())), ms(l.p50()), ms(l.p99()), ms(l.p999()), ms(l.max()),
                    b.serverCpuPercent(), b.serverCoresBusyPercent(), count(b.perServerCpuSecond(s.measure())), b.generatorCpuPercent(),
                    ms(b.lateness().p99()) + "/" + ms(b.lateness().max())));
            if (!acks) {
                out.append(String.format(Locale.ROOT, "  %12s", idle(server).map(i -> fixed(i.kibPerConnection())).orElse("-")));
            }
            out.append('\n');
        }
        if (acks) {
            if (run(s.key(), PARLEY).isPresent() && run(s.key(), PARLEY_MEMORY).isPresent()) {
                out.append("  persistence on costs ").append(percent(persistenceCost(s.key())))
                        .append(" of the acked sends/s (Parley vs Parley persistence off)\n");
            }
        } else {
            for (String parley : List.of(PARLEY, PARLEY_MEMORY)) {
                if (!serverNames.containsKey(parley) || run(s.key(), parley).isEmpty()) {
                    continue;
                }
                out.append("  ").append(serverNames.get(parley)).append(':');
                for (String base : List.of(WS, SOCKET_IO)) {
                    if (!serverNames.containsKey(base)) {
                        continue;
                    }
                    out.append(String.format(Locale.ROOT, "  /%s deliveries/s %s, per server CPU-s %s;",
                            serverNames.get(base), times(ratio(bestThroughput(s.key(), parley), bestThroughput(s.key(), base))),
                            times(ratio(bestPerCpu(s.key(), parley), bestPerCpu(s.key(), base)))));
                }
                out.append('\n');
            }
            if (run(s.key(), PARLEY).isPresent() && run(s.key(), PARLEY_MEMORY).isPresent()) {
                out.append("  persistence on costs ").append(percent(persistenceCost(s.key())))
                        .append(" of the sustained deliveries/s\n");
            }
        }
    }

    private static String deliveryRow(Step st, Scenario s) {
        Latency l = st.latency();
        return String.format(Locale.ROOT, "  %6d  %13s  %11s  %6s  %6s  %6s  %8s  %6s  %9.0f  %6.0f  %13s  %9.0f  %15s  %s",
                st.rate(), count(st.offeredDeliveriesPerSecond()), count(st.deliveredPerSecond()), lossPercent(st.loss()),
                ms(l.p50()), ms(l.p99()), ms(l.p999()), ms(l.max()), st.serverCpuPercent(), st.serverCoresBusyPercent(),
                count(st.deliveriesPerServerCpuSecond()), st.generatorCpuPercent(),
                ms(st.lateness().p99()) + "/" + ms(st.lateness().max()), verdict(st, s));
    }

    private static String ackRow(Step st, Scenario s) {
        Latency l = st.ackLatency();
        return String.format(Locale.ROOT, "  %6d  %8s  %8s  %10s  %6s  %8s  %6s  %9.0f  %6.0f  %14s  %9.0f  %15s  %s",
                st.rate(), count(st.ackedPerSecond()), lossPercent(st.ackLoss()), ms(l.p50()), ms(l.p99()), ms(l.p999()),
                ms(l.max()), st.serverCpuPercent(), st.serverCoresBusyPercent(), count(st.acksPerServerCpuSecond()), st.generatorCpuPercent(),
                ms(st.lateness().p99()) + "/" + ms(st.lateness().max()), verdict(st, s));
    }

    private static String verdict(Step st, Scenario s) {
        Measure m = s.measure();
        if (s.sustained(st)) {
            return "yes";
        }
        List<String> why = new ArrayList<>();
        if (st.closedByServer() > 0) {
            why.add(st.closedByServer() + " closed by server");
        }
        if (st.sendErrors() > 0) {
            why.add(st.sendErrors() + " send errors");
        }
        if (m == Measure.DELIVERIES ? st.delivered() < st.expected() : st.acked() < st.published()) {
            why.add("loss");
        }
        if ((m == Measure.DELIVERIES ? st.latency() : st.ackLatency()).p50() > s.maxP50Nanos()) {
            why.add("p50");
        }
        return "no (" + String.join(", ", why) + ")";
    }

    private void renderIdle(StringBuilder out) {
        out.append("\n== Scenario 4 — idle connections (heartbeats answered): server VmRSS after a full GC ==\n");
        out.append("  server          conns  RSS base MiB  RSS at 1st MiB  RSS at 2nd MiB  KiB/conn 0->1st  KiB/conn 1st->2nd"
                + "  (no GC)\n");
        for (String server : serverNames.keySet()) {
            Optional<Idle> idle = idle(server);
            if (idle.isEmpty()) {
                continue;
            }
            Idle i = idle.get();
            out.append(String.format(Locale.ROOT, "  %-14s  %s  %12.1f  %14.1f  %14.1f  %15s  %17s  %7s%s%n", serverNames.get(server),
                    i.first() + "/" + i.second(), i.baseKib() / 1024.0, i.firstKib() / 1024.0, i.secondKib() / 1024.0,
                    fixed(i.kibPerConnectionFirst()), fixed(i.kibPerConnection()), fixed(i.kibPerConnectionNoGc()),
                    i.note() == null ? "" : "  " + i.note()));
        }
        for (String base : List.of(WS, SOCKET_IO)) {
            if (idle(PARLEY).isPresent() && idle(base).isPresent()) {
                out.append(String.format(Locale.ROOT, "  KiB per connection Parley/%s: %s%n", serverNames.get(base),
                        times(ratio(idle(PARLEY).get().kibPerConnection(), idle(base).get().kibPerConnection()))));
            }
        }
    }

    /** The targets, each with the measured value and met / missed / not measured. */
    List<String> targets() {
        List<String> lines = new ArrayList<>();
        for (String parley : List.of(PARLEY, PARLEY_MEMORY)) {
            if (!serverNames.containsKey(parley)) {
                continue;
            }
            String who = serverNames.get(parley);
            lines.add(target(who + " rooms sustained deliveries/s vs ws >= 1.3x",
                    ratio(bestThroughput("rooms", parley), bestThroughput("rooms", WS)), 1.3, true, "x"));
            lines.add(target(who + " rooms sustained deliveries/s vs Socket.IO >= 2.5x",
                    ratio(bestThroughput("rooms", parley), bestThroughput("rooms", SOCKET_IO)), 2.5, true, "x"));
            lines.add(target(who + " rooms deliveries per server CPU-s vs ws >= 1.5x",
                    ratio(bestPerCpu("rooms", parley), bestPerCpu("rooms", WS)), 1.5, true, "x"));
        }
        lines.add(target("Parley RSS per idle connection <= 8 KiB",
                idle(PARLEY).map(Idle::kibPerConnection).orElse(Double.NaN), 8, false, " KiB"));
        lines.add(target("persistence on costs <= 15% of rooms deliveries/s",
                100 * persistenceCost("rooms"), 15, false, "%"));
        lines.add(target("Parley persisted sends/s (acks after commit) >= 20,000",
                bestThroughput("persist", PARLEY), 20_000, true, "/s"));
        return lines;
    }

    private void renderTargets(StringBuilder out) {
        out.append("\n== Targets (issue 11) ==\n");
        for (String line : targets()) {
            out.append("  ").append(line).append('\n');
        }
    }

    static String target(String what, double value, double bound, boolean atLeast, String unit) {
        String shown = Double.isNaN(value) ? "n/a"
                : (unit.equals("x") ? String.format(Locale.ROOT, "%.2f", value) : fixed(value)) + unit;
        String verdict = Double.isNaN(value) ? "NOT MEASURED" : (atLeast ? value >= bound : value <= bound) ? "met" : "MISSED";
        return String.format(Locale.ROOT, "%-62s %12s  %s", what, shown, verdict);
    }

    static String ms(long nanos) {
        double ms = nanos / 1e6;
        return ms >= 100 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%.1f", ms);
    }

    static String count(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", 100 * fraction);
    }

    private static String lossPercent(double fraction) {
        if (fraction <= 0) {
            return "0";
        }
        return fraction < 0.001 ? String.format(Locale.ROOT, "%.3f", 100 * fraction) : String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    private static String fixed(double v) {
        return Double.isNaN(v) ? "n/a" : v >= 1000 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
