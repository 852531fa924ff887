package dev.parley.bench;

import dev.parley.broker.nats.NatsBroker;
import dev.parley.client.ChatClient;
import dev.parley.core.ChatEngine;
import dev.parley.core.Conversation;
import dev.parley.core.Message;
import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Cross-node fan-out of clustered mode: the same offered load on 1 node and on 3 nodes, each
 * node a {@link ChatServer} with its own PostgreSQL store instance (one shared fresh schema)
 * and its own {@link NatsBroker} (one shared fresh subject prefix). Users are spread over the
 * nodes round robin ({@code user k} on node {@code k mod n}); each room has {@code --room-size}
 * members taken with a stride, so that with 3 nodes every room has members on every node and
 * four of a message's five deliveries cross NATS.
 *
 * <p>Open loop: one generator thread schedules sends at a fixed rate ({@code --rate} messages/s,
 * round robin over the users, each to its room) whatever the replies do; each message carries
 * its <em>scheduled</em> send time, so a stall of the generator counts as latency (no
 * coordinated omission), and the generator's own lateness is reported. A delivery is a message
 * pushed to a member other than its sender; its latency runs from the scheduled send time to
 * the recipient's {@code onMessage}. Only messages scheduled after the warm-up count.
 *
 * <p>Everything runs in this one JVM (nodes, Java clients, generator) and shares the machine
 * with PostgreSQL and NATS: the numbers are the whole system's on the given cores, not a
 * node's capacity. Nodes use {@code sendCacheSize(0)} as in {@code ClusterNode}, and lifted
 * rate limits.
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl chat-bench exec:java -Dexec.args="--cluster [--nodes 1,3 --seconds 20 --warmup 3 --rate 200
 *     --users 60 --room-size 6 --pg-url jdbc:postgresql://127.0.0.1:5432/test --pg-user postgres
 *     --nats-url nats://127.0.0.1:4222]"
 * </pre>
 */
public final class ClusterBench {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The outcome of one configuration. */
    private record Result(int nodes, long scheduled, long failedSends, long expected, long delivered, double seconds,
                          Histogram latency, Histogram lateness, double cpuMicrosPerDelivery, String loadAverage) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = StoreBench.intArg(args, "--seconds", 20);
        int warmup = StoreBench.intArg(args, "--warmup", 3);
        int rate = StoreBench.intArg(args, "--rate", 200);
        int users = StoreBench.intArg(args, "--users", 60);
        int roomSize = StoreBench.intArg(args, "--room-size", 6);
        String pgUrl = StoreBench.stringArg(args, "--pg-url", "jdbc:postgresql://127.0.0.1:5432/test");
        String pgUser = StoreBench.stringArg(args, "--pg-user", "postgres");
        String natsUrl = StoreBench.stringArg(args, "--nats-url", "nats://127.0.0.1:4222");
        int[] nodeCounts = Arrays.stream(StoreBench.stringArg(args, "--nodes", "1,3").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        if (users % roomSize != 0 || roomSize < 2 || rate < 1 || seconds < 1) {
            throw new IllegalArgumentException("need --users a multiple of --room-size (>= 2), --rate and --seconds >= 1");
        }

        System.out.printf("Parley cluster fan-out — %d cores, Java %s; PostgreSQL %s, NATS %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), pgUrl, natsUrl);
        System.out.printf("%d users in %d rooms of %d, open loop %d messages/s (%d deliveries/s offered), %d s measured"
                        + " after %d s warm-up, nodes and clients in this JVM%n%n", users, users / roomSize, roomSize, rate,
                rate * (roomSize - 1), seconds, warmup);
        System.out.println("nodes  deliveries/s  delivered/expected  p50 ms  p99 ms  max ms  failed sends"
                + "  generator late p99/max ms  CPU us/delivery (this JVM)  load average");
        for (int n : nodeCounts) {
            Result r = run(n, seconds, warmup, rate, users, roomSize, pgUrl, pgUser, natsUrl);
            System.out.printf("%5d  %12.0f  %9d/%-8d  %6.1f  %6.1f  %6.1f  %12d  %14.1f/%-10.1f  %26.0f  %s%n", r.nodes(),
                    r.delivered() / r.seconds(), r.delivered(), r.expected(), ms(r.latency().getValueAtPercentile(50)),
                    ms(r.latency().getValueAtPercentile(99)), ms(r.latency().getMaxValue()), r.failedSends(),
                    ms(r.lateness().getValueAtPercentile(99)), ms(r.lateness().getMaxValue()), r.cpuMicrosPerDelivery(),
                    r.loadAverage());
        }
    }

    private static Result run(int nodeCount, int seconds, int warmup, int rate, int userCount, int roomSize,
                              String pgUrl, String pgUser, String natsUrl) throws Exception {
        String schema = "parley_bench_" + hex();
        String prefix = "parleybench." + hex();
        execute(pgUrl, pgUser, "CREATE SCHEMA \"" + schema + "\"");
        // closed in reverse order of kind: clients, then servers, engines, brokers, stores of every node
        List<AutoCloseable> stores = new ArrayList<>();
        List<AutoCloseable> brokers = new ArrayList<>();
        List<AutoCloseable> engines = new ArrayList<>();
        List<AutoCloseable> serversAndClients = new ArrayList<>();
        ExecutorService callbacks = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bench-callbacks");
            t.setDaemon(true);
            return t;
        });
        try {
            List<ChatServer> servers = new ArrayList<>();
            ChatEngine first = null;
            for (int i = 0; i < nodeCount; i++) {
                JdbcChatStore store = JdbcChatStore.builder().postgres(pgUrl).postgresUser(pgUser).schema(schema).build();
                stores.add(store);
                NatsBroker broker = NatsBroker.builder().servers(natsUrl).subjectPrefix(prefix).nodeId("bench-" + i)
                        .build();
                brokers.add(broker);
                ChatEngine engine = ChatEngine.builder().store(store).broker(broker).sendCacheSize(0).build();
                engines.add(engine);
                ChatServer server = ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                        .authenticator(new DevelopmentAuthenticator(engine))
                        .config(ChatServerConfig.builder().connectionRate(100_000, 100_000)
                                .userRate(100_000, 100_000).build())
                        .start();
                serversAndClients.add(server);
                servers.add(server);
                first = first == null ? engine : first;
            }

            List<String> userIds = new ArrayList<>();
            for (int k = 0; k < userCount; k++) {
                userIds.add(first.putUser("u" + k, "User " + k).id());
            }
            int rooms = userCount / roomSize;
            String[] roomOf = new String[userCount];
            for (int r = 0; r < rooms; r++) {
                List<String> members = new ArrayList<>();
                for (int j = 0; j < roomSize; j++) {
                    members.add(userIds.get(r + j * rooms)); // stride: consecutive users sit on different nodes
                }
                Conversation room = first.createGroup(members.get(0), "room " + r, members);
                for (int j = 0; j < roomSize; j++) {
                    roomOf[r + j * rooms] = room.id();
                }
            }

            ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
            LongAdder delivered = new LongAdder();
            LongAdder allDelivered = new LongAdder();
            long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
            long measureUntil = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            List<ChatClient> clients = new ArrayList<>();
            for (int k = 0; k < userCount; k++) {
                String self = userIds.get(k);
                ChatClient client = ChatClient.builder()
                        .uri(servers.get(k % nodeCount).webSocketUri())
                        .token("dev:" + self)
                        .executor(callbacks)
                        .requestTimeout(Duration.ofSeconds(60))
                        .listener(new ChatClient.Listener() {
                            @Override
                            public void onMessage(Message m) {
                                if (m.senderId().equals(self)) {
                                    return;
                                }
                                long now = System.nanoTime();
                                allDelivered.increment();
                                long sentAt = Long.parseLong(m.body().text().substring(2));
                                if (sentAt >= measureFrom && sentAt < measureUntil) {
                                    latency.recordValue(Math.max(0, now - sentAt));
                                    delivered.increment();
                                }
                            }
                        })
                        .build();
                serversAndClients.add(client);
                client.connect().get(30, TimeUnit.SECONDS);
                client.track(roomOf[k], 0);
                clients.add(client);
            }

            // the open-loop generator
            long cpuBefore = processCpuNanos();
            Histogram lateness = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicInteger failed = new AtomicInteger();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            AtomicLong inWindowCount = new AtomicLong();
            OpenLoop.run(start, measureUntil, interval, (i, scheduled, late) -> {
                lateness.recordValue(late);
                int k = (int) (i % userCount);
                clients.get(k).send(roomOf[k], "t=" + scheduled).whenComplete((m, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
                if (scheduled >= measureFrom) {
                    inWindowCount.incrementAndGet();
                }
            });
            long inWindow = inWindowCount.get();
            long expected = inWindow * (roomSize - 1);
            long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (delivered.sum() < expected && System.nanoTime() < drainUntil) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
            long cpu = processCpuNanos() - cpuBefore;
            long all = allDelivered.sum();
            return new Result(nodeCount, inWindow, failed.get(), expected, delivered.sum(), seconds, latency, lateness,
                    all == 0 ? 0 : cpu / 1e3 / all, loadAverage());
        } finally {
            for (List<AutoCloseable> kind : List.of(serversAndClients, engines, brokers, stores)) {
                for (int i = kind.size() - 1; i >= 0; i--) {
                    try {
                        kind.get(i).close();
                    } catch (Exception e) {
                        System.err.println("closing " + kind.get(i) + " failed: " + e);
                    }
                }
            }
            callbacks.shutdownNow();
            execute(pgUrl, pgUser, "DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
        }
    }

    private static void execute(String url, String user, String sql) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** CPU time of this whole JVM (nodes, clients, generator; not PostgreSQL or NATS). */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The machine's 1-minute load average after the run: how much else competed for the cores. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String hex() {
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private ClusterBench() {
    }
}
