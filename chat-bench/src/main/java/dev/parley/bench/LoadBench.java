package dev.parley.bench;

import dev.parley.server.ChatServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * WebSocket load against an embedded Parley server, from one JVM whose clients share one
 * selector thread ({@link LoadGenerator}). Scenarios:
 * <ul>
 *   <li><b>rooms</b>: {@code --clients} clients (default 2,000) in rooms of {@code --room-size}
 *   (20), open-loop publishing at each rate of {@code --rates} (messages/s over all rooms) for
 *   {@code --step-seconds} each, stopping after the first step that delivers under 99 % of the
 *   offered deliveries;</li>
 *   <li><b>idle</b>: {@code --idle} connections (default 1,000) signed in and idle; the server's
 *   VmRSS before and after, in KiB per connection.</li>
 * </ul>
 * The server runs in its own process ({@link BenchServer#main}, same class path) so that its
 * CPU and memory are measured apart from the generator's; {@code --in-process} runs the rooms
 * scenario against a server in this JVM instead.
 *
 * <pre>
 * mvn -B -q -pl chat-bench exec:java -Dexec.args="--load [--scenario rooms,idle --clients 2000 --room-size 20
 *     --rates 250,500,1000,2000,4000,8000 --step-seconds 10 --idle 1000 --in-process]"
 * </pre>
 */
public final class LoadBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private LoadBench() {
    }

    /** The outcome of one rate step. */
    record Step(int rate, long published, long expected, long delivered, Histogram latency, Histogram lateness,
                double generatorCpuPercent, double ioThreadCpuPercent, double serverCpuPercent, long acks,
                long sendErrors) {
        double deliveredRatio() {
            return expected == 0 ? 1 : (double) delivered / expected;
        }
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = Arrays.asList(StoreBench.stringArg(args, "--scenario", "rooms,idle").split(","));
        int clients = StoreBench.intArg(args, "--clients", 2000);
        int roomSize = StoreBench.intArg(args, "--room-size", 20);
        int stepSeconds = StoreBench.intArg(args, "--step-seconds", 10);
        int idle = StoreBench.intArg(args, "--idle", 1000);
        int[] rates = Arrays.stream(StoreBench.stringArg(args, "--rates", "250,500,1000,2000,4000,8000").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        boolean inProcess = Arrays.asList(args).contains("--in-process");
        if (clients < roomSize || clients % roomSize != 0 || roomSize < 2 || stepSeconds < 1) {
            throw new IllegalArgumentException("need --clients a multiple of --room-size (>= 2) and --step-seconds >= 1");
        }
        System.out.printf("Parley WebSocket load — %d cores, Java %s; generator: one JVM, one selector thread%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (scenarios.contains("rooms")) {
            System.out.printf("%nrooms: %d clients in %d rooms of %d, %d s per step, server %s%n", clients,
                    clients / roomSize, roomSize, stepSeconds, inProcess ? "in this JVM" : "in its own process");
            System.out.println("msg/s  deliveries/s offered  delivered %   p50 ms   p99 ms  p99.9 ms  max ms"
                    + "  late p99/max ms  gen CPU %  io thread %  server CPU %  send errors");
            try (ServerHandle server = inProcess ? ServerHandle.inProcess(clients * 2) : ServerHandle.spawn(clients * 2)) {
                for (int rate : rates) {
                    // fresh users and rooms per step would be fairer but slower; one set serves every step
                    Step s = server.rooms(clients, roomSize, rate, stepSeconds);
                    System.out.printf("%5d  %20d  %10.2f  %7.1f  %7.1f  %8.1f  %6.1f  %7.1f/%-7.1f  %9.0f  %11.0f  %12.0f  %d%n",
                            s.rate(), (long) s.rate() * (roomSize - 1), 100 * s.deliveredRatio(),
                            ms(s.latency().getValueAtPercentile(50)), ms(s.latency().getValueAtPercentile(99)),
                            ms(s.latency().getValueAtPercentile(99.9)), ms(s.latency().getMaxValue()),
                            ms(s.lateness().getValueAtPercentile(99)), ms(s.lateness().getMaxValue()),
                            s.generatorCpuPercent(), s.ioThreadCpuPercent(), s.serverCpuPercent(), s.sendErrors());
                    if (s.deliveredRatio() < 0.99) {
                        break;
                    }
                }
            }
        }
        if (scenarios.contains("idle")) {
            try (ServerHandle server = ServerHandle.spawn(idle + 1000)) {
                long before = server.rssKib();
                try (LoadGenerator gen = new LoadGenerator(server.uri)) {
                    gen.connect(users("idle", idle), 200, 60);
                    Thread.sleep(2000);
                    long after = server.rssKib();
                    System.out.printf("%nidle: %d signed-in connections; server VmRSS %d KiB before, %d KiB after:"
                            + " %.1f KiB per connection%n", idle, before, after, (after - before) / (double) idle);
                }
            }
        }
    }

    static List<String> users(String prefix, int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Runs one open-loop step against {@code gen}, whose clients are in {@code roomOf}'s rooms. */
    static Step step(LoadGenerator gen, String[] roomOf, int roomSize, int rate, int seconds, ServerHandle server)
            throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long until = start + TimeUnit.SECONDS.toNanos(seconds);
        LoadGenerator.Window window = new LoadGenerator.Window(start, until);
        gen.window(window);
        Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long acks0 = gen.acks.sum();
        long errors0 = gen.sendErrors.sum();
        long cpu0 = processCpuNanos();
        long io0 = THREADS.getThreadCpuTime(gen.ioThreadId());
        long server0 = server == null ? 0 : server.cpuNanos();
        long wall0 = System.nanoTime();
        int n = roomOf.length;
        long published = OpenLoop.run(start, until, interval, (i, scheduled, late) -> {
            lateness.recordValue(Math.min(late, TimeUnit.SECONDS.toNanos(60)));
            int sender = (int) (i % n);
            gen.publish(sender, roomOf[sender], scheduled);
        });
        long wall = System.nanoTime() - wall0;
        double cpu = 100.0 * (processCpuNanos() - cpu0) / wall;
        double io = 100.0 * (THREADS.getThreadCpuTime(gen.ioThreadId()) - io0) / wall;
        double serverCpu = server == null ? Double.NaN : 100.0 * (server.cpuNanos() - server0) / wall;
        Thread.sleep(2000); // deliveries still in flight count if they arrive within 2 s
        gen.window(null);
        return new Step(rate, published, published * (roomSize - 1), window.delivered.sum(),
                window.latency.getIntervalHistogram(), lateness, cpu, io, serverCpu, gen.acks.sum() - acks0,
                gen.sendErrors.sum() - errors0);
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** Creates the rooms: the first member of each room creates it as a group of all its members. */
    static String[] createRooms(LoadGenerator gen, List<String> userIds, int roomSize) throws Exception {
        String[] roomOf = new String[userIds.size()];
        for (int r = 0; r < userIds.size() / roomSize; r++) {
            StringBuilder members = new StringBuilder();
            for (int j = 0; j < roomSize; j++) {
                members.append(j == 0 ? "" : ",").append('"').append(userIds.get(r * roomSize + j)).append('"');
            }
            String reply = gen.request(r * roomSize, "\"type\":\"conversation.create\",\"kind\":\"group\",\"name\":\"room "
                    + r + "\",\"memberIds\":[" + members + "]").get(30, TimeUnit.SECONDS);
            String id = LoadGenerator.stringField(reply, "id", reply.indexOf("\"conversation\""));
            if (!reply.contains("\"ok\":true") || id == null) {
                throw new IOException("conversation.create failed: " + reply);
            }
            for (int j = 0; j < roomSize; j++) {
                roomOf[r * roomSize + j] = id;
            }
        }
        return roomOf;
    }

    /** A server under test: in this JVM, or a child process whose CPU and RSS come from /proc. */
    static final class ServerHandle implements AutoCloseable {
        final URI uri;
        private final ChatServer inProcess;
        private final Process process;
        private LoadGenerator gen;
        private String[] roomOf;
        private List<String> userIds;

        private ServerHandle(URI uri, ChatServer inProcess, Process process) {
            this.uri = uri;
            this.inProcess = inProcess;
            this.process = process;
        }

        static ServerHandle inProcess(int maxConnections) {
            ChatServer s = BenchServer.start(maxConnections);
            return new ServerHandle(s.webSocketUri(), s, null);
        }

        static ServerHandle spawn(int maxConnections) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    BenchServer.class.getName(), Integer.toString(maxConnections))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("PORT ")) {
                // skip anything the server prints before its port
            }
            if (line == null) {
                p.destroyForcibly();
                throw new IOException("the server process exited before printing its port");
            }
            return new ServerHandle(URI.create("ws://127.0.0.1:" + line.substring(5).trim() + "/ws"), null, p);
        }

        Step rooms(int clients, int roomSize, int rate, int seconds) throws Exception {
            if (gen == null) {
                gen = new LoadGenerator(uri);
                userIds = users("u", clients);
                gen.connect(userIds, 200, 60);
                roomOf = createRooms(gen, userIds, roomSize);
            }
            return step(gen, roomOf, roomSize, rate, seconds, process == null ? null : this);
        }

        /** Server CPU (user + system) from /proc/&lt;pid&gt;/stat. */
        long cpuNanos() {
            return ServerProcess.cpuNanos(process.pid());
        }

        long rssKib() throws IOException {
            return ServerProcess.rssKib(process.pid());
        }

        @Override
        public void close() throws Exception {
            if (gen != null) {
                gen.close();
            }
            if (inProcess != null) {
                inProcess.close();
            }
            if (process != null) {
                process.getOutputStream().close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
