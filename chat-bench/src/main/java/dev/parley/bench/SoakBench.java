package dev.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * Soak test: many WebSocket connections with steady traffic for a long time against a Parley
 * server in its own process ({@link SoakServer}: SQLite store, the default of an embedded
 * server), proving that no connection is lost, that every message reaches every other member
 * of its room exactly once, and that the server's heap after a full GC and its RSS stay flat.
 *
 * <p>All clients share one selector thread ({@link LoadGenerator}); they sit in rooms of
 * {@code roomSize} and publish open loop at {@code rate} messages/s over all rooms, round robin
 * over the connections. Every {@code sampleEvery} the server is asked for its heap after a full
 * GC (a {@code probe} line on its standard input) and its {@code VmRSS} is read from
 * {@code /proc/<pid>/status}. After the run each (receiver, sender) pair's deliveries are
 * compared with the sender's acknowledged sends: a missing delivery or a duplicate is counted.
 *
 * <pre>
 * ulimit -n 20000   # each of the two JVMs holds one descriptor per connection
 * mvn -o -q -B -pl chat-bench -am compile \
 *     org.apache.maven.plugins:maven-dependency-plugin:3.9.0:build-classpath -Dmdep.outputFile=/tmp/soak-cp.txt
 * java -cp chat-bench/target/classes:$(cat /tmp/soak-cp.txt) dev.parley.bench.SoakBench \
 *      --connections 10000 --room-size 20 --rate 500 --seconds 600 --sample-seconds 15 --server-heap 1g
 * </pre>
 *
 * <p>Other flags: {@code --warmup-seconds} (60), {@code --no-pretouch}, {@code --data-dir}
 * (a new temporary directory), {@code --leak-bytes-per-message} (0). Figures and the method are
 * in {@code docs/hardening.md} (Soak).
 *
 * <p>The exit status is 0 when every check passed, 1 otherwise. {@link #run} is the same soak as
 * a method, for a bounded variant in a test.
 */
public final class SoakBench {
    private static final long MIB = 1024 * 1024;
    /** Heap after GC a run may gain per message after warm-up, in bytes ({@link Result#heapBounded()}). */
    public static final int MAX_GROWTH_PER_MESSAGE = 1024;

    private SoakBench() {
    }

    /**
     * What to run.
     *
     * @param connections         WebSocket connections, a multiple of {@code roomSize}
     * @param roomSize            members per room (each a group conversation), at least 2
     * @param rate                messages per second over all rooms, open loop
     * @param duration            how long traffic runs
     * @param sampleEvery         how often the server's heap after GC and RSS are sampled
     * @param warmup              samples before this much traffic are warm-up: the slope and the
     *                            "after warm-up" heap ignore them
     * @param serverHeap          the server's {@code -Xms}/{@code -Xmx} (e.g. {@code "1g"})
     * @param preTouch            start the server with {@code -XX:+AlwaysPreTouch}: its heap is
     *                            resident from the start, so RSS growth is growth outside the heap
     * @param leakBytesPerMessage a deliberate leak in the server (0 for none), see {@link SoakServer}
     * @param dataDir             the server's SQLite directory and log ({@code server.log})
     */
    public record Options(int connections, int roomSize, int rate, Duration duration, Duration sampleEvery,
                          Duration warmup, String serverHeap, boolean preTouch, int leakBytesPerMessage,
                          Path dataDir) {
        public Options {
            if (roomSize < 2 || connections < roomSize || connections % roomSize != 0) {
                throw new IllegalArgumentException("connections (" + connections + ") must be a multiple of roomSize ("
                        + roomSize + "), roomSize at least 2");
            }
            if (rate < 1 || duration.isNegative() || duration.isZero() || sampleEvery.toMillis() < 100
                    || warmup.isNegative() || leakBytesPerMessage < 0) {
                throw new IllegalArgumentException("rate >= 1, duration > 0, sampleEvery >= 100 ms, warmup >= 0 and"
                        + " leakBytesPerMessage >= 0 are required");
            }
        }
    }

    /**
     * One sample of the server, taken while traffic runs (or after it, for the last one).
     *
     * @param seconds          seconds since traffic started
     * @param heapAfterGc      heap in use right after a full GC, bytes
     * @param rssKib           the server process's {@code VmRSS}
     * @param serverConnections open connections the server counts
     * @param serverThreads    live threads in the server
     * @param published        messages published so far
     * @param delivered        deliveries seen so far
     * @param connectionsLost  generator connections that ended so far
     */
    public record Sample(double seconds, long heapAfterGc, long rssKib, int serverConnections, int serverThreads,
                         long published, long delivered, long connectionsLost) {
    }

    /**
     * What a soak saw.
     *
     * @param samples            samples during traffic, in order
     * @param end                the sample after traffic stopped and deliveries settled
     * @param published          messages published
     * @param acked              sends acknowledged
     * @param sendErrors         sends answered with an error
     * @param expectedDeliveries published × (roomSize − 1)
     * @param delivered          deliveries seen
     * @param missing            (receiver, sender) deliveries fewer than the sender's sends, summed
     * @param duplicated         (receiver, sender) deliveries more than the sender's sends, summed
     * @param misrouted          deliveries from a sender outside the receiver's room
     * @param connectionsLost    generator connections that ended (closed, EOF, error) before the end
     * @param errors             error codes and close codes seen, with counts
     * @param latency            delivery latency (receive time − scheduled send time), nanoseconds
     * @param publisherLateMaxNanos how late the publisher was against its schedule at worst
     */
    public record Result(Options options, List<Sample> samples, Sample end, long published, long acked,
                         long sendErrors, long expectedDeliveries, long delivered, long missing, long duplicated,
                         long misrouted, long connectionsLost, Map<String, Long> errors, Histogram latency,
                         long publisherLateMaxNanos) {

        /** No connection lost, every send acknowledged, every delivery exactly once. */
        public boolean behaviourHeld() {
            return connectionsLost == 0 && sendErrors == 0 && acked == published && missing == 0 && duplicated == 0
                    && misrouted == 0 && delivered == expectedDeliveries
                    && end.serverConnections() >= options.connections();
        }

        /** Samples with at least {@code options.warmup()} of traffic behind them. */
        public List<Sample> afterWarmup() {
            double w = options.warmup().toMillis() / 1000.0;
            return samples.stream().filter(s -> s.seconds() >= w).toList();
        }

        /** The first sample after warm-up (the last sample if none is). */
        public Sample warm() {
            List<Sample> after = afterWarmup();
            return after.isEmpty() ? samples.get(samples.size() - 1) : after.get(0);
        }

        /** Mean of {@code f} over samples in the first minute of traffic (t in [0, 60 s)). */
        public double firstMinuteMean(ToDoubleFunction<Sample> f) {
            return samples.stream().filter(s -> s.seconds() < 60).mapToDouble(f).average().orElse(Double.NaN);
        }

        /** Mean of {@code f} over samples in the last minute of traffic. */
        public double lastMinuteMean(ToDoubleFunction<Sample> f) {
            double last = samples.get(samples.size() - 1).seconds();
            return samples.stream().filter(s -> s.seconds() > last - 60).mapToDouble(f).average().orElse(Double.NaN);
        }

        /**
         * Heap after GC gained from the warm sample to the end (traffic stopped, deliveries
         * settled), per message published in between: what the server keeps per message. About 0
         * when nothing leaks (it is negative when the warm sample caught more in flight); a server
         * that retained N bytes per message shows about N.
         */
        public double heapGrowthPerMessage() {
            long messages = end.published() - warm().published();
            return messages <= 0 ? Double.NaN : (end.heapAfterGc() - warm().heapAfterGc()) / (double) messages;
        }

        /**
         * The structural heap check: the server keeps at most {@value #MAX_GROWTH_PER_MESSAGE}
         * bytes of heap per message ({@link #heapGrowthPerMessage()}) from warm-up to the end.
         */
        public boolean heapBounded() {
            double perMessage = heapGrowthPerMessage();
            return !Double.isNaN(perMessage) && perMessage <= MAX_GROWTH_PER_MESSAGE;
        }

        /** Least-squares slope of {@code f} per minute over the samples after warm-up (NaN with fewer than 2). */
        public double slopePerMinute(ToDoubleFunction<Sample> f) {
            return slope(afterWarmup(), f) * 60;
        }
    }

    /** Least-squares slope of {@code f} against {@link Sample#seconds()}, per second. */
    static double slope(List<Sample> samples, ToDoubleFunction<Sample> f) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = samples.stream().mapToDouble(Sample::seconds).average().orElseThrow();
        double my = samples.stream().mapToDouble(f).average().orElseThrow();
        double sxy = 0;
        double sxx = 0;
        for (Sample s : samples) {
            sxy += (s.seconds() - mx) * (f.applyAsDouble(s) - my);
            sxx += (s.seconds() - mx) * (s.seconds() - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }

    public static void main(String[] args) throws Exception {
        int connections = StoreBench.intArg(args, "--connections", 10_000);
        int roomSize = StoreBench.intArg(args, "--room-size", 20);
        int rate = StoreBench.intArg(args, "--rate", 500);
        int seconds = StoreBench.intArg(args, "--seconds", 600);
        int sampleSeconds = StoreBench.intArg(args, "--sample-seconds", 15);
        int warmupSeconds = StoreBench.intArg(args, "--warmup-seconds", 60);
        String heap = StoreBench.stringArg(args, "--server-heap", "1g");
        int leak = StoreBench.intArg(args, "--leak-bytes-per-message", 0);
        Path dataDir = Path.of(StoreBench.stringArg(args, "--data-dir",
                Files.createTempDirectory("parley-soak").toString()));
        Options o = new Options(connections, roomSize, rate, Duration.ofSeconds(seconds),
                Duration.ofSeconds(sampleSeconds), Duration.ofSeconds(warmupSeconds), heap,
                !java.util.Arrays.asList(args).contains("--no-pretouch"), leak, dataDir);
        Result r = run(o, System.out);
        boolean ok = report(r, System.out);
        System.exit(ok ? 0 : 1);
    }

    /**
     * Prints the summary; true when behaviour held, heap and RSS grew by at most 5 % (+ 8 MiB)
     * from the first minute to the last, and {@link Result#heapBounded()} holds.
     */
    static boolean report(Result r, PrintStream out) {
        Options o = r.options();
        out.printf("%nconnections %,d (lost %d) | published %,d, acked %,d, send errors %d | deliveries %,d of %,d"
                        + " (missing %d, duplicated %d, misrouted %d)%n", o.connections(), r.connectionsLost(),
                r.published(), r.acked(), r.sendErrors(), r.delivered(), r.expectedDeliveries(), r.missing(),
                r.duplicated(), r.misrouted());
        out.printf("latency ms p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f | publisher late max %.1f ms | errors %s%n",
                r.latency().getValueAtPercentile(50) / 1e6, r.latency().getValueAtPercentile(99) / 1e6,
                r.latency().getValueAtPercentile(99.9) / 1e6, r.latency().getMaxValue() / 1e6,
                r.publisherLateMaxNanos() / 1e6, r.errors());
        double h1 = r.firstMinuteMean(Sample::heapAfterGc) / MIB;
        double h2 = r.lastMinuteMean(Sample::heapAfterGc) / MIB;
        double m1 = r.firstMinuteMean(Sample::rssKib) / 1024;
        double m2 = r.lastMinuteMean(Sample::rssKib) / 1024;
        double hs = r.slopePerMinute(Sample::heapAfterGc) / MIB;
        double ms = r.slopePerMinute(Sample::rssKib) / 1024;
        out.println("                       first minute   last minute   slope after warm-up");
        out.printf("heap after GC MiB   %14.1f %13.1f %15.3f MiB/min%n", h1, h2, hs);
        out.printf("RSS MiB             %14.1f %13.1f %15.3f MiB/min%n", m1, m2, ms);
        out.printf("heap after GC: %.1f MiB after warm-up (t=%.0f s), %.1f MiB at the end: %.0f bytes per message"
                        + " published in between%n", r.warm().heapAfterGc() / (double) MIB, r.warm().seconds(),
                r.end().heapAfterGc() / (double) MIB, r.heapGrowthPerMessage());
        boolean flat = h2 <= h1 * 1.05 + 8 && m2 <= m1 * 1.05 + 8;
        boolean bounded = r.heapBounded();
        boolean ok = r.behaviourHeld() && flat && bounded;
        out.printf("verdict: behaviour %s; heap and RSS %s; heap at the end %s%n",
                r.behaviourHeld() ? "held" : "FAILED",
                flat ? "flat (last minute within 5 % + 8 MiB of the first)" : "GREW",
                (bounded ? "within " : "OVER ") + MAX_GROWTH_PER_MESSAGE + " bytes per message after warm-up");
        return ok;
    }

    /**
     * Runs one soak: starts the server process, connects, creates the rooms, publishes for
     * {@code duration} while sampling, waits for outstanding deliveries (up to 30 s without
     * progress), takes the last sample and stops everything.
     *
     * @param log where the sample table goes as it is taken
     * @throws IllegalStateException when the file-descriptor limit or the ephemeral port range is too small
     */
    public static Result run(Options o, PrintStream log) throws Exception {
        checkLimits(o.connections());
        try (ServerProcess server = ServerProcess.start(o);
             LoadGenerator gen = new LoadGenerator(server.uri)) {
            server.checkDescriptorLimit(o.connections());
            int n = o.connections();
            int roomSize = o.roomSize();
            List<String> users = LoadBench.users("soak", n);
            long t0 = System.nanoTime();
            gen.connect(users, 200, 120);
            String[] roomOf = LoadBench.createRooms(gen, users, roomSize);
            log.printf("soak: %,d connections in %,d rooms of %d signed in (%.1f s), %d msg/s (%,d deliveries/s)"
                            + " for %d s; server %s heap%s, pid %d, log %s%n", n, n / roomSize, roomSize,
                    (System.nanoTime() - t0) / 1e9, o.rate(), (long) o.rate() * (roomSize - 1),
                    o.duration().toSeconds(), o.serverHeap(), o.preTouch() ? " (pre-touched)" : "", server.pid(),
                    server.log);
            log.println("     t s  heap after GC MiB  RSS MiB  server conns  threads   published    delivered"
                    + "  conns lost");

            AtomicIntegerArray received = new AtomicIntegerArray(n * roomSize);
            AtomicLong misrouted = new AtomicLong();
            gen.observer((receiver, sender) -> {
                if (sender < 0 || sender >= n || sender / roomSize != receiver / roomSize) {
                    misrouted.incrementAndGet();
                } else {
                    received.incrementAndGet(receiver * roomSize + sender % roomSize);
                }
            });

            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long until = start + o.duration().toNanos();
            LoadGenerator.Window window = new LoadGenerator.Window(start, until);
            gen.window(window);
            int[] sentBy = new int[n];
            AtomicLong published = new AtomicLong();
            AtomicLong lateMax = new AtomicLong();
            Thread publisher = new Thread(() -> publish(gen, roomOf, sentBy, o.rate(), start, until, published,
                    lateMax), "soak-publisher");
            publisher.setDaemon(true);
            publisher.start();

            List<Sample> samples = new ArrayList<>();
            long every = o.sampleEvery().toNanos();
            for (long at = start; at <= until; at += every) {
                OpenLoop.parkUntil(at);
                Sample s = server.sample((System.nanoTime() - start) / 1e9, published.get(), gen);
                samples.add(s);
                print(log, s);
            }
            publisher.join();
            long expected = published.get() * (roomSize - 1);
            settle(gen, published.get(), expected);
            Sample end = server.sample((System.nanoTime() - start) / 1e9, published.get(), gen);
            print(log, end);

            long missing = 0;
            long duplicated = 0;
            for (int r = 0; r < n; r++) {
                int room = r / roomSize * roomSize;
                for (int j = 0; j < roomSize; j++) {
                    int sender = room + j;
                    if (sender == r) {
                        continue;
                    }
                    int got = received.get(r * roomSize + j);
                    missing += Math.max(0, sentBy[sender] - got);
                    duplicated += Math.max(0, got - sentBy[sender]);
                }
            }
            Map<String, Long> errors = new TreeMap<>();
            gen.errorCodes.forEach((k, v) -> errors.put(k, v.sum()));
            gen.window(null);
            return new Result(o, Collections.unmodifiableList(samples), end, published.get(), gen.acks.sum(),
                    gen.sendErrors.sum(), expected, gen.deliveriesSeen.sum(), missing, duplicated, misrouted.get(),
                    gen.connectionsLost.sum(), Collections.unmodifiableMap(errors),
                    window.latency.getIntervalHistogram(), lateMax.get());
        }
    }

    private static void print(PrintStream log, Sample s) {
        log.printf("%8.0f  %17.1f  %7.1f  %12d  %7d  %10d  %11d  %10d%n", s.seconds(), s.heapAfterGc() / (double) MIB,
                s.rssKib() / 1024.0, s.serverConnections(), s.serverThreads(), s.published(), s.delivered(),
                s.connectionsLost());
    }

    private static void publish(LoadGenerator gen, String[] roomOf, int[] sentBy, int rate, long start, long until,
                                AtomicLong published, AtomicLong lateMax) {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        int n = roomOf.length;
        OpenLoop.run(start, until, interval, (i, scheduled, late) -> {
            lateMax.accumulateAndGet(late, Math::max);
            int sender = (int) (i % n);
            gen.publish(sender, roomOf[sender], scheduled);
            sentBy[sender]++;
            published.incrementAndGet();
        });
    }

    /** Waits until every send is answered and every delivery seen, or 30 s pass without progress. */
    private static void settle(LoadGenerator gen, long published, long expected) {
        long lastProgress = System.nanoTime();
        long seen = -1;
        while (true) {
            long answered = gen.acks.sum() + gen.sendErrors.sum();
            long delivered = gen.deliveriesSeen.sum();
            if (answered >= published && delivered >= expected) {
                return;
            }
            if (answered + delivered != seen) {
                seen = answered + delivered;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** Fails early, with what to do, when this machine cannot hold {@code connections} on loopback. */
    static void checkLimits(int connections) throws IOException {
        long fds = maxOpenFiles("self");
        if (fds < connections + 256L) {
            throw new IllegalStateException("the file-descriptor limit (" + fds + ") is too small for " + connections
                    + " connections: raise it, e.g. `ulimit -n " + (connections + 1024) + "` (up to `ulimit -Hn`)");
        }
        String[] range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim()
                .split("\\s+");
        int ports = Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
        if (ports < connections + 1000) {
            throw new IllegalStateException("the ephemeral port range has " + ports + " ports, too few for "
                    + connections + " connections from one address (net.ipv4.ip_local_port_range)");
        }
    }

    /** The soft "Max open files" limit of a process ({@code "self"} or a pid) from {@code /proc/…/limits}. */
    static long maxOpenFiles(String pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new IOException("no 'Max open files' in /proc/" + pid + "/limits");
    }

    /** The {@link SoakServer} child process: its port, probes and {@code VmRSS}. */
    private static final class ServerProcess implements AutoCloseable {
        final Process process;
        final URI uri;
        final Path log;
        private final BlockingQueue<String> probes;
        private final OutputStream stdin;

        private ServerProcess(Process process, URI uri, Path log, BlockingQueue<String> probes) {
            this.process = process;
            this.uri = uri;
            this.log = log;
            this.probes = probes;
            this.stdin = process.getOutputStream();
        }

        static ServerProcess start(Options o) throws Exception {
            Files.createDirectories(o.dataDir());
            Path log = o.dataDir().resolve("server.log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xms" + o.serverHeap(), "-Xmx" + o.serverHeap()));
            if (o.preTouch()) {
                command.add("-XX:+AlwaysPreTouch");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), SoakServer.class.getName(),
                    o.dataDir().toString(), Integer.toString(o.connections() + 100),
                    Integer.toString(o.leakBytesPerMessage())));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            CompletableFuture<Integer> port = new CompletableFuture<>();
            BlockingQueue<String> probes = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("PORT ")) {
                            port.complete(Integer.parseInt(line.substring(5).trim()));
                        } else if (line.startsWith("PROBE ")) {
                            probes.add(line);
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    port.completeExceptionally(e);
                }
                port.completeExceptionally(new IOException("the soak server exited before printing its port; see "
                        + log));
            }, "soak-server-stdout");
            reader.setDaemon(true);
            reader.start();
            try {
                int n = port.get(60, TimeUnit.SECONDS);
                return new ServerProcess(p, URI.create("ws://127.0.0.1:" + n + "/ws"), log, probes);
            } catch (Exception e) {
                p.destroyForcibly();
                throw e;
            }
        }

        long pid() {
            return process.pid();
        }

        void checkDescriptorLimit(int connections) throws IOException {
            long fds = maxOpenFiles(Long.toString(process.pid()));
            if (fds < connections + 256L) {
                throw new IllegalStateException("the server process's file-descriptor limit (" + fds
                        + ") is too small for " + connections + " connections: raise `ulimit -n`");
            }
        }

        Sample sample(double seconds, long published, LoadGenerator gen) throws Exception {
            stdin.write("probe\n".getBytes(StandardCharsets.US_ASCII));
            stdin.flush();
            String line = probes.poll(60, TimeUnit.SECONDS);
            if (line == null) {
                throw new IOException("the soak server did not answer a probe within 60 s; see " + log);
            }
            long rss = rssKib();
            return new Sample(seconds, field(line, "heapAfterGc"), rss, (int) field(line, "connections"),
                    (int) field(line, "threads"), published, gen.deliveriesSeen.sum(), gen.connectionsLost.sum());
        }

        private static long field(String line, String name) {
            int i = line.indexOf(name + "=") + name.length() + 1;
            int end = line.indexOf(' ', i);
            return Long.parseLong(end < 0 ? line.substring(i) : line.substring(i, end));
        }

        long rssKib() throws IOException {
            return dev.parley.bench.ServerProcess.rssKib(process.pid());
        }

        @Override
        public void close() throws Exception {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the process is gone already
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
