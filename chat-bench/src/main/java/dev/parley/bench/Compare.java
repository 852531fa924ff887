package dev.parley.bench;

import dev.parley.bench.ComparisonReport.Latency;
import dev.parley.bench.ComparisonReport.Measure;
import dev.parley.bench.ComparisonReport.Scenario;
import dev.parley.bench.ComparisonReport.Step;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Parley side by side with a Node.js {@code ws} chat server and a Socket.IO 4 chat server, in one
 * run on one machine, from one open-loop {@link LoadGenerator} JVM. Each server runs in its own
 * process pinned to CPU 0 ({@code taskset}), the generator on CPU 1. Scenarios:
 * <ol>
 *   <li>{@code rooms}: 2,000 clients in 100 rooms of 20;</li>
 *   <li>{@code bigroom}: one room of 1,000 members;</li>
 *   <li>{@code pairs}: 1,000 one-to-one chats (both sides send);</li>
 *   <li>{@code idle}: server RSS with 1,000 and 10,000 idle connections, KiB per connection;</li>
 *   <li>{@code persist}: Parley's acked sends/s over the 1:1 chats (acks after commit).</li>
 * </ol>
 * Each load scenario steps its publish rate ({@link RateSearch}) to find the highest rate with
 * p50 latency at most 5 ms and nothing lost. Parley runs twice: as it runs by default (SQLite
 * store, persistence on) and on an in-memory store (persistence off, the pure transport).
 * The tables ({@link ComparisonReport}) go to standard output and to a new file in the results
 * directory, after a description of the machine.
 *
 * <pre>
 * bench/compare.sh [--servers parley,parley-mem,ws,socket.io] [--scenarios rooms,bigroom,pairs,idle,persist]
 *     [--step-seconds 1] [--warmup-seconds 8] [--jvm-warmup-seconds 20] [--max-steps 4 | --rate N] [--idle 1000,10000] [--results bench/results] [--no-pin]
 *     [--server-jvm-args "-XX:StartFlightRecording=filename=parley.jfr"] [--connect-batch 50]
 * </pre>
 */
public final class Compare {
    private static final int CLIENTS = 2000;
    private static final int ROOM_SIZE = 20;
    private static final int BIG_ROOM = 1000;
    /**
     * Handshakes in flight at once by default ({@code --connect-batch}). Kept at 50, the accept
     * backlog Parley's Jetty connector had before {@code acceptQueueSize} (more concurrent connects
     * overflowed it and waited for SYN retransmits), so that runs stay comparable.
     */
    private static final int CONNECT_BATCH = 50;
    private static final Scenario ROOMS = new Scenario("rooms",
            "Scenario 1 — rooms: 2,000 clients in 100 rooms of 20 (19 deliveries per message)", Measure.DELIVERIES);
    /*
     * One message to 999 members is 999 frames written one after another: at about 10 us each on
     * one core the median member waits about 5 ms before any queueing, so 5 ms cannot be the bound.
     */
    private static final Scenario BIGROOM = new Scenario("bigroom",
            "Scenario 2 — one room of 1,000 members (999 deliveries per message; sustained: p50 <= 20 ms)",
            Measure.DELIVERIES, TimeUnit.MILLISECONDS.toNanos(20));
    private static final Scenario PAIRS = new Scenario("pairs",
            "Scenario 3 — 1:1 chats: 2,000 clients in 1,000 pairs (1 delivery per message)", Measure.DELIVERIES);
    private static final Scenario PERSIST = new Scenario("persist",
            "Scenario 5 — persisted sends through the socket, acked after commit (1:1 chats; latency = ack)", Measure.ACKS);
    /*
     * First rates of the search: one doubling below where the servers sustained in earlier runs,
     * so that the 4 steps end by bisecting near the top instead of climbing from far below.
     */
    private static final Map<String, Integer> START_RATE = Map.of("rooms", 4000, "bigroom", 80, "pairs", 8000, "persist", 4000);

    private final List<String> servers;
    private final List<String> scenarios;
    private final double stepSeconds;
    private final double warmupSeconds;
    private final double jvmWarmupSeconds;
    private final int fixedRate;
    private final int maxSteps;
    private final int[] idleCounts;
    private final int connectBatch;
    private final Path nodeDir;
    private final Path workDir;
    private final List<String> serverJvmArgs;
    private final String serverCpus;
    private final PrintStream out;
    private final ComparisonReport report = new ComparisonReport();

    private Compare(String[] args, PrintStream out, String serverCpus) {
        this.out = out;
        this.serverCpus = serverCpus;
        this.servers = list(StoreBench.stringArg(args, "--servers", "parley,parley-mem,ws,socket.io"));
        this.scenarios = list(StoreBench.stringArg(args, "--scenarios", "rooms,bigroom,pairs,idle,persist"));
        this.stepSeconds = Double.parseDouble(StoreBench.stringArg(args, "--step-seconds", "1"));
        this.maxSteps = StoreBench.intArg(args, "--max-steps", 4);
        this.fixedRate = StoreBench.intArg(args, "--rate", 0);
        this.warmupSeconds = Double.parseDouble(StoreBench.stringArg(args, "--warmup-seconds", "8"));
        this.jvmWarmupSeconds = Double.parseDouble(StoreBench.stringArg(args, "--jvm-warmup-seconds", "20"));
        this.connectBatch = StoreBench.intArg(args, "--connect-batch", CONNECT_BATCH);
        this.idleCounts = list(StoreBench.stringArg(args, "--idle", "1000,10000")).stream().mapToInt(Integer::parseInt).toArray();
        this.nodeDir = Path.of(StoreBench.stringArg(args, "--node-dir", "chat-bench/node"));
        this.workDir = Path.of(StoreBench.stringArg(args, "--work-dir", "chat-bench/target/compare"));
        String jvmArgs = StoreBench.stringArg(args, "--server-jvm-args", "");
        this.serverJvmArgs = jvmArgs.isBlank() ? List.of() : List.of(jvmArgs.trim().split("\\s+"));
        for (String s : servers) {
            if (!List.of(ComparisonReport.PARLEY, ComparisonReport.PARLEY_MEMORY, ComparisonReport.WS, ComparisonReport.SOCKET_IO)
                    .contains(s)) {
                throw new IllegalArgumentException("--servers: unknown server " + s + " (parley, parley-mem, ws, socket.io)");
            }
        }
        for (String s : scenarios) {
            if (!List.of("rooms", "bigroom", "pairs", "idle", "persist").contains(s)) {
                throw new IllegalArgumentException("--scenarios: unknown scenario " + s + " (rooms, bigroom, pairs, idle, persist)");
            }
        }
        if (!(stepSeconds >= 0.5) || !(warmupSeconds >= 0) || !(jvmWarmupSeconds >= 0) || maxSteps < 1 || idleCounts.length != 2 || idleCounts[0] < 1 || idleCounts[1] <= idleCounts[0]) {
            throw new IllegalArgumentException("need --step-seconds >= 0.5, --warmup-seconds and --jvm-warmup-seconds >= 0, --max-steps >= 1 and --idle A,B with 0 < A < B");
        }
        report.server(ComparisonReport.PARLEY, "Parley")
                .server(ComparisonReport.PARLEY_MEMORY, "Parley mem")
                .server(ComparisonReport.WS, "Node ws")
                .server(ComparisonReport.SOCKET_IO, "Socket.IO");
        report.scenario(ROOMS).scenario(BIGROOM).scenario(PAIRS).scenario(PERSIST);
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        String startedAt = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(ZonedDateTime.now(ZoneOffset.UTC));
        Path results = Path.of(StoreBench.stringArg(args, "--results", "bench/results"));
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeStream(System.out, copy), true, StandardCharsets.UTF_8);
        String serverCpus = pin(Arrays.asList(args).contains("--no-pin"), out);
        Compare c = new Compare(args, out, serverCpus);
        out.print(MachineDescription.describe(startedAt));
        out.println("pinning: " + (serverCpus == null ? "none" : "server on CPU " + serverCpus + ", generator on CPU "
                + MachineDescription.ownCpus()));
        out.println("servers: " + String.join(", ", c.servers) + "; scenarios: " + String.join(", ", c.scenarios)
                + "; steps of " + c.stepSeconds + " s, at most " + c.maxSteps + " per scenario; sustained = p50 <= 5 ms"
                + " (20 ms in the room of 1,000), nothing lost (1 s grace), no send error; warm-up before the load"
                + " scenarios (not reported): " + c.jvmWarmupSeconds + " s for the Parley (JVM) servers, "
                + c.warmupSeconds + " s for the Node servers");
        out.println("server CPU = utime + stime of the server process (/proc/PID/stat); kernel softirq time"
                + " (most of loopback TCP) is not charged to it, nor to the generator; core % = how busy the server's"
                + " core was with anything (/proc/stat): well above server CPU means other processes took it");
        c.run();
        out.print(c.report.render());
        out.printf(Locale.ROOT, "%nwhole run: %.0f s%n", (System.nanoTime() - t0) / 1e9);
        Files.createDirectories(results);
        Path file = results.resolve("compare-" + startedAt + ".txt");
        Files.write(file, copy.toByteArray());
        System.out.println("results written to " + file);
    }

    private void run() throws Exception {
        Files.createDirectories(workDir);
        boolean node = nodeReady();
        for (String server : servers) {
            if (isNode(server) && !node) {
                out.println("\n" + server + ": skipped — node or " + nodeDir.resolve("node_modules")
                        + " missing (run npm ci in " + nodeDir + ")");
                continue;
            }
            if (scenarios.contains("idle") && !server.equals(ComparisonReport.PARLEY_MEMORY)) {
                runIdle(server);
            }
            List<Scenario> load = new ArrayList<>();
            for (Scenario s : List.of(ROOMS, BIGROOM, PAIRS, PERSIST)) {
                if (scenarios.contains(s.key()) && (s != PERSIST || server.equals(ComparisonReport.PARLEY))) {
                    load.add(s);
                }
            }
            if (!load.isEmpty()) {
                runLoad(server, load);
            }
        }
    }

    private static boolean isNode(String server) {
        return server.equals(ComparisonReport.WS) || server.equals(ComparisonReport.SOCKET_IO);
    }

    private boolean nodeReady() {
        if (!Files.isDirectory(nodeDir.resolve("node_modules/ws")) || !Files.isDirectory(nodeDir.resolve("node_modules/socket.io"))) {
            return false;
        }
        try {
            return new ProcessBuilder("node", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private ServerProcess start(String server, int maxConnections) throws IOException {
        Path log = workDir.resolve(server + ".log");
        List<String> cmd = new ArrayList<>();
        switch (server) {
            case ComparisonReport.PARLEY, ComparisonReport.PARLEY_MEMORY -> {
                cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                cmd.add("-Xmx1g");
                cmd.addAll(serverJvmArgs);
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchServer.class.getName(),
                        Integer.toString(maxConnections)));
                if (server.equals(ComparisonReport.PARLEY)) {
                    Path db = workDir.resolve("parley-" + System.nanoTime() + ".db").toAbsolutePath();
                    cmd.addAll(List.of("sqlite", db.toString()));
                } else {
                    cmd.add("memory");
                }
            }
            case ComparisonReport.WS -> cmd.addAll(List.of("node", "--expose-gc", nodeDir.resolve("ws-server.js").toString()));
            case ComparisonReport.SOCKET_IO -> cmd.addAll(List.of("node", "--expose-gc",
                    nodeDir.resolve("socketio-server.js").toString()));
            default -> throw new IllegalArgumentException(server);
        }
        return ServerProcess.start(cmd, serverCpus, log);
    }

    private static Dialect dialect(String server) {
        return switch (server) {
            case ComparisonReport.WS -> Dialect.WS;
            case ComparisonReport.SOCKET_IO -> Dialect.SOCKET_IO;
            default -> Dialect.PARLEY;
        };
    }

    private static URI uri(String server, int port) {
        String base = "ws://127.0.0.1:" + port;
        return URI.create(dialect(server) == Dialect.SOCKET_IO ? base + EngineIo.PATH : base + "/ws");
    }

    // ---- scenario 4: idle connections ----

    private void runIdle(String server) throws Exception {
        long began = System.nanoTime();
        out.printf("%n%s: idle connections %d then %d ...%n", server, idleCounts[0], idleCounts[1]);
        try {
            measureIdle(server);
        } finally {
            out.printf(Locale.ROOT, "  (%.0f s)%n", (System.nanoTime() - began) / 1e9);
        }
    }

    private void measureIdle(String server) throws Exception {
        try (ServerProcess sp = start(server, idleCounts[1] + 100);
             LoadGenerator gen = new LoadGenerator(uri(server, sp.port), dialect(server))) {
            Thread.sleep(500);
            sp.gc();
            long base = sp.rssKib();
            long t0 = System.nanoTime();
            gen.connect(users("idle", 0, idleCounts[0]), connectBatch, 120);
            long t1 = System.nanoTime();
            Thread.sleep(1000);
            sp.gc();
            long first = sp.rssKib();
            long t2 = System.nanoTime();
            gen.connect(users("idle", idleCounts[0], idleCounts[1]), connectBatch, 120);
            long t3 = System.nanoTime();
            out.printf(Locale.ROOT, "  signed in %d connections in %.1f s, %d more in %.1f s%n", idleCounts[0], (t1 - t0) / 1e9,
                    idleCounts[1] - idleCounts[0], (t3 - t2) / 1e9);
            Thread.sleep(1000);
            long secondNoGc = sp.rssKib();
            sp.gc();
            long second = sp.rssKib();
            String note = gen.closedByServer.sum() > 0 ? gen.closedByServer.sum() + " closed by the server" : null;
            report.add(new ComparisonReport.Idle(server, idleCounts[0], idleCounts[1], base, first, second, secondNoGc, note));
            out.printf(Locale.ROOT, "  RSS %d KiB with none, %d KiB with %d, %d KiB with %d (%d before GC)%n", base, first,
                    idleCounts[0], second, idleCounts[1], secondNoGc);
            sp.kill(); // no graceful stop of 10,000 sessions needed
        }
    }

    // ---- scenarios 1, 2, 3, 5 ----

    /** The clients of one server and the rooms they are in (indexes into the generator's connections). */
    private final class Clients implements AutoCloseable {
        final String server;
        final ServerProcess sp;
        LoadGenerator gen;
        final String[] roomOf = new String[CLIENTS];
        final String[] pairOf = new String[CLIENTS];
        String bigRoom;

        Clients(String server, ServerProcess sp) {
            this.server = server;
            this.sp = sp;
        }

        /** Connects all clients and puts them into their rooms (creating Parley's conversations once). */
        void connect() throws Exception {
            if (gen != null) {
                gen.close();
            }
            gen = new LoadGenerator(uri(server, sp.port), dialect(server));
            gen.connect(users("u", 0, CLIENTS), connectBatch, 120);
            List<CompletableFuture<String>> replies = new ArrayList<>();
            if (dialect(server) == Dialect.PARLEY) {
                if (bigRoom != null) {
                    return; // conversations live in the server; signing in again is enough
                }
                Map<Integer, CompletableFuture<String>> created = new LinkedHashMap<>();
                for (int r = 0; r < CLIENTS / ROOM_SIZE; r++) {
                    created.put(r, gen.request(r * ROOM_SIZE, "\"type\":\"conversation.create\",\"kind\":\"group\",\"name\":\"room "
                            + r + "\",\"memberIds\":[" + memberIds(r * ROOM_SIZE, ROOM_SIZE) + "]"));
                }
                for (var e : created.entrySet()) {
                    String id = conversationId(e.getValue());
                    Arrays.fill(roomOf, e.getKey() * ROOM_SIZE, (e.getKey() + 1) * ROOM_SIZE, id);
                }
                created.clear();
                for (int p = 0; p < CLIENTS / 2; p++) {
                    created.put(p, gen.request(2 * p, "\"type\":\"conversation.create\",\"kind\":\"direct\",\"userId\":\"u"
                            + (2 * p + 1) + "\""));
                }
                for (var e : created.entrySet()) {
                    String id = conversationId(e.getValue());
                    pairOf[2 * e.getKey()] = id;
                    pairOf[2 * e.getKey() + 1] = id;
                }
                bigRoom = conversationId(gen.request(0, "\"type\":\"conversation.create\",\"kind\":\"group\",\"name\":\"big\","
                        + "\"memberIds\":[" + memberIds(0, BIG_ROOM) + "]"));
            } else {
                for (int i = 0; i < CLIENTS; i++) {
                    roomOf[i] = "r" + i / ROOM_SIZE;
                    pairOf[i] = "p" + i / 2;
                    replies.add(gen.join(i, roomOf[i]));
                    replies.add(gen.join(i, pairOf[i]));
                    if (i < BIG_ROOM) {
                        replies.add(gen.join(i, "big"));
                    }
                }
                bigRoom = "big";
                for (CompletableFuture<String> f : replies) {
                    String reply = f.get(60, TimeUnit.SECONDS);
                    if (!reply.contains("\"ok\":true")) {
                        throw new IOException("join refused: " + reply);
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            if (gen != null) {
                gen.close();
            }
        }
    }

    private static String memberIds(int from, int n) {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < n; j++) {
            b.append(j == 0 ? "" : ",").append("\"u").append(from + j).append('"');
        }
        return b.toString();
    }

    private static String conversationId(CompletableFuture<String> reply) throws Exception {
        String text = reply.get(60, TimeUnit.SECONDS);
        String id = LoadGenerator.stringField(text, "id", Math.max(0, text.indexOf("\"conversation\"")));
        if (!text.contains("\"ok\":true") || id == null) {
            throw new IOException("conversation.create failed: " + text);
        }
        return id;
    }

    private void runLoad(String server, List<Scenario> load) throws Exception {
        long began = System.nanoTime();
        out.printf("%n%s: %d clients ...%n", server, CLIENTS);
        try {
            measureLoad(server, load);
        } finally {
            out.printf(Locale.ROOT, "  (%.0f s)%n", (System.nanoTime() - began) / 1e9);
        }
    }

    private void measureLoad(String server, List<Scenario> load) throws Exception {
        try (ServerProcess sp = start(server, CLIENTS + 500); Clients clients = new Clients(server, sp)) {
            clients.connect();
            boolean jvm = server.equals(ComparisonReport.PARLEY) || server.equals(ComparisonReport.PARLEY_MEMORY);
            warmUp(clients, load, jvm ? jvmWarmupSeconds : warmupSeconds);
            for (Scenario s : load) {
                RateSearch search = new RateSearch(fixedRate > 0 ? fixedRate : START_RATE.get(s.key()),
                        fixedRate > 0 ? 1 : maxSteps, 0.15);
                List<Step> steps = new ArrayList<>();
                String note = null;
                for (int rate = search.first(); rate > 0; ) {
                    Step st = step(clients, s, rate, stepSeconds);
                    steps.add(st);
                    boolean passed = s.sustained(st);
                    out.printf(Locale.ROOT, "  %-8s %6d msg/s: %s/s %s, p50 %s ms, server CPU %.0f %% (its core busy %.0f %%),"
                            + " generator CPU %.0f %%%s%n",
                            s.key(), rate, ComparisonReport.count(st.throughput(s.measure())),
                            s.measure() == Measure.ACKS ? "acked" : "delivered",
                            ComparisonReport.ms((s.measure() == Measure.ACKS ? st.ackLatency() : st.latency()).p50()),
                            st.serverCpuPercent(), st.serverCoresBusyPercent(), st.generatorCpuPercent(),
                            passed ? "" : "  (not sustained)");
                    if (st.closedByServer() > 0) {
                        note = "the server closed connections at " + rate + " msg/s; clients reconnected";
                        clients.connect();
                    }
                    rate = search.next(rate, passed);
                }
                report.add(new ComparisonReport.Run(s, server, steps, note));
            }
        }
    }

    /**
     * Warm-up, not reported: each load scenario in turn at its start rate in one-second steps.
     * The servers are measured in their steady state, and a JVM gets there later than Node: on
     * its one pinned core C2 compiles the hot paths for tens of seconds (compilations of 0.1 to
     * 1.3 s each kept coming for about 40 s; the compiler threads took 15–40 % of the core), V8
     * a small server within seconds. So the Parley servers get {@code --jvm-warmup-seconds}
     * (20) and the Node servers {@code --warmup-seconds} (8); with 2 s the first scenarios
     * measured Parley's compiler rather than its steady state.
     */
    private void warmUp(Clients clients, List<Scenario> load, double seconds) throws Exception {
        List<Scenario> rounds = load.isEmpty() ? List.of(ROOMS) : load;
        long until = System.nanoTime() + (long) (seconds * 1e9);
        for (int i = 0; System.nanoTime() < until; i++) {
            Scenario s = rounds.get(i % rounds.size());
            step(clients, s, START_RATE.get(s.key()), 1);
        }
    }

    /** One open-loop step of {@code scenario} at {@code rate} messages/s for {@code seconds}. */
    private Step step(Clients clients, Scenario scenario, int rate, double seconds) throws Exception {
        LoadGenerator gen = clients.gen;
        int senders;
        int fanOut;
        String[] target;
        switch (scenario.key()) {
            case "rooms" -> {
                senders = CLIENTS;
                fanOut = ROOM_SIZE - 1;
                target = clients.roomOf;
            }
            case "bigroom" -> {
                senders = BIG_ROOM;
                fanOut = BIG_ROOM - 1;
                target = new String[BIG_ROOM];
                Arrays.fill(target, clients.bigRoom);
            }
            case "pairs", "persist" -> {
                senders = CLIENTS;
                fanOut = 1;
                target = clients.pairOf;
            }
            default -> throw new IllegalArgumentException(scenario.key());
        }
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long until = start + (long) (seconds * 1e9);
        LoadGenerator.Window window = new LoadGenerator.Window(start, until);
        Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long closed0 = gen.closedByServer.sum();
        long errors0 = gen.sendErrors.sum();
        long acks0 = gen.acks.sum();
        gen.window(window);
        long genCpu0 = LoadBench.processCpuNanos();
        long serverCpu0 = clients.sp.cpuNanos();
        long[] cores0 = coresBusyAndTotal();
        long wall0 = System.nanoTime();
        long published = OpenLoop.run(start, until, interval, (i, scheduled, late) -> {
            lateness.recordValue(Math.min(late, TimeUnit.SECONDS.toNanos(60)));
            int sender = (int) (i % senders);
            gen.publish(sender, target[sender], scheduled);
        });
        long expected = published * fanOut;
        // drain: everything arrived (deliveries and replies), or 1 s of grace after the last scheduled send
        long graceEnd = until + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < graceEnd && (window.delivered.sum() < expected
                || gen.acks.sum() + gen.sendErrors.sum() - acks0 - errors0 < published)) {
            Thread.sleep(5);
        }
        long wall = System.nanoTime() - wall0;
        long serverCpu = clients.sp.cpuNanos() - serverCpu0;
        long genCpu = LoadBench.processCpuNanos() - genCpu0;
        long[] cores = coresBusyAndTotal();
        double coresBusy = cores[1] - cores0[1] <= 0 ? Double.NaN : 100.0 * (cores[0] - cores0[0]) / (cores[1] - cores0[1]);
        gen.window(null);
        Step st = new Step(rate, fanOut, seconds, published, expected, window.delivered.sum(),
                Latency.of(window.latency.getIntervalHistogram()), window.acked.sum(),
                Latency.of(window.ackLatency.getIntervalHistogram()), gen.sendErrors.sum() - errors0, serverCpu / 1e9,
                genCpu / 1e9, wall / 1e9, Latency.of(lateness), gen.closedByServer.sum() - closed0, coresBusy);
        if (!scenario.sustained(st)) {
            quiesce(gen, clients.sp);
        }
        return st;
    }

    /**
     * Busy and total jiffies of the servers' CPUs (all CPUs when not pinned) from {@code /proc/stat};
     * busy = everything but idle and iowait.
     */
    private long[] coresBusyAndTotal() {
        List<Integer> cpus = serverCpus == null ? List.of() : MachineDescription.cpuList(serverCpus);
        long busy = 0;
        long total = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (!line.startsWith("cpu")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                boolean wanted = cpus.isEmpty() ? f[0].equals("cpu")
                        : !f[0].equals("cpu") && cpus.contains(Integer.parseInt(f[0].substring(3)));
                if (!wanted) {
                    continue;
                }
                long all = 0;
                for (int i = 1; i < Math.min(f.length, 9); i++) { // user … steal
                    all += Long.parseLong(f[i]);
                }
                total += all;
                busy += all - Long.parseLong(f[4]) - Long.parseLong(f[5]);
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
        return new long[] {busy, total};
    }

    /**
     * After a step that left work behind: waits (at most 20 s) until nothing has arrived and the
     * server used under 10 % of a core for two 200 ms periods in a row, so that a backlog (queued
     * frames, uncommitted sends) does not spill into the next step.
     */
    private static void quiesce(LoadGenerator gen, ServerProcess sp) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long lastSeen = -1;
        long lastCpu = sp.cpuNanos();
        int quiet = 0;
        while (System.nanoTime() < deadline && quiet < 2) {
            Thread.sleep(200);
            long seen = gen.deliveriesSeen.sum() + gen.acks.sum();
            long cpu = sp.cpuNanos();
            quiet = seen == lastSeen && cpu - lastCpu < TimeUnit.MILLISECONDS.toNanos(20) ? quiet + 1 : 0;
            lastSeen = seen;
            lastCpu = cpu;
        }
    }

    static List<String> users(String prefix, int from, int to) {
        List<String> ids = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Pins this JVM (all its threads) to the last CPU with {@code taskset}, unless it was started
     * pinned already (by {@code taskset -c}), and returns the other CPUs for the servers; null when
     * pinning is off, {@code taskset} is missing or there is one CPU.
     */
    private static String pin(boolean off, PrintStream out) throws Exception {
        int cpus = MachineDescription.onlineCpus();
        if (off || cpus < 2) {
            return null;
        }
        List<Integer> mine = MachineDescription.cpuList(MachineDescription.ownCpus());
        if (mine.size() == cpus) {
            mine = List.of(cpus - 1);
            Process p;
            try {
                p = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(cpus - 1),
                        Long.toString(ProcessHandle.current().pid()))
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                out.println("taskset is missing: server and generator share all CPUs");
                return null;
            }
            if (p.waitFor() != 0) {
                out.println("taskset failed: server and generator share all CPUs");
                return null;
            }
        }
        List<String> others = new ArrayList<>();
        for (int c = 0; c < cpus; c++) {
            if (!mine.contains(c)) {
                others.add(Integer.toString(c));
            }
        }
        return others.isEmpty() ? null : String.join(",", others);
    }

    /** Writes to two streams (standard output and the copy kept for the results file). */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
