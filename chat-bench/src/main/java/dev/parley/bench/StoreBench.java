package dev.parley.bench;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatLimits;
import dev.parley.core.Conversation;
import dev.parley.core.MessageBody;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.core.spi.NewMessage;
import dev.parley.store.jdbc.JdbcChatStore;
import dev.parley.store.jdbc.Synchronous;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Storage benchmarks of the embedded mode (SQLite, synchronous=FULL): persisted sends per
 * second through {@link ChatEngine} with 1, 8 and 64 concurrent senders (each send waits for
 * its ack, which comes after the commit), and the time to fetch a 50-message history page
 * from a store holding 1,000,000 messages.
 *
 * <pre>
 * mvn -B -q -pl chat-bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/bench-classpath.txt
 * java -cp chat-bench/target/classes:$(cat chat-bench/target/bench-classpath.txt) dev.parley.bench.StoreBench \
 *     [--seconds 5 --messages 1000000 --synchronous full|normal --sends-only --senders 1,8,64]
 * java ... dev.parley.bench.StoreBench --search [--messages 1000000 --queries 2000]   (see SearchBench)
 * java ... dev.parley.bench.StoreBench --load [--scenario rooms,idle --clients 2000]   (see LoadBench)
 * java ... dev.parley.bench.StoreBench --compare [--servers parley,ws]   (see Compare; bench/compare.sh)
 * java ... dev.parley.bench.StoreBench --cluster [--nodes 1,3 --seconds 20 --rate 200]   (see ClusterBench)
 * </pre>
 * The reactor build puts this worktree's modules on the class path; nothing is installed into
 * the local repository. Each sends line also has the store writer thread's CPU per send and the
 * sends per commit over the measured seconds, and the load average at the end (on a shared
 * machine the writer's CPU per send is steadier than sends/s). {@code -Dbench.threads=true} adds
 * each thread's CPU per send.
 */
public final class StoreBench {

    public static void main(String[] args) throws Exception {
        int seconds = intArg(args, "--seconds", 5);
        int totalMessages = intArg(args, "--messages", 1_000_000);
        Synchronous sync = Synchronous.valueOf(stringArg(args, "--synchronous", "FULL").toUpperCase(java.util.Locale.ROOT));
        if (java.util.Arrays.asList(args).contains("--cluster")) {
            ClusterBench.main(args);
            return;
        }
        if (java.util.Arrays.asList(args).contains("--compare")) {
            Compare.main(args);
            return;
        }
        if (java.util.Arrays.asList(args).contains("--load")) {
            LoadBench.main(args);
            return;
        }
        if (java.util.Arrays.asList(args).contains("--search")) {
            SearchBench.main(args);
            return;
        }
        boolean sendsOnly = java.util.Arrays.asList(args).contains("--sends-only");
        System.out.printf("Parley store benchmark — %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.name"));
        System.out.println();
        System.out.println("persisted sends/s (SQLite WAL, synchronous=" + sync + ", ack after commit, " + seconds + " s each)");
        System.out.println("senders   sends/s   ack p50 ms   ack p99 ms   CPU us/send (whole JVM)"
                + "   writer us/send   sends/commit   load avg");
        int[] senderCounts = java.util.Arrays.stream(stringArg(args, "--senders", "1,8,64").split(","))
                .mapToInt(Integer::parseInt).toArray();
        for (int senders : senderCounts) {
            sendThroughput(senders, seconds, sync);
        }
        if (sendsOnly) {
            return;
        }
        System.out.println();
        historyLatency(totalMessages);
    }

    private static void sendThroughput(int senders, int seconds, Synchronous sync) throws Exception {
        Path dir = Files.createTempDirectory("parley-bench");
        LongAdder commits = new LongAdder();
        LongAdder committedWrites = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean(false);
        ChatMetrics commitCounter = new ChatMetrics() {
            @Override
            public void storeCommitted(int writes, long durationNanos) {
                if (counting.get()) {
                    commits.increment();
                    committedWrites.add(writes);
                }
            }
        };
        try (JdbcChatStore store = JdbcChatStore.builder().sqlite(dir.resolve("bench.db")).synchronous(sync)
                     .metrics(commitCounter).build();
             ChatEngine engine = ChatEngine.builder().store(store).limits(ChatLimits.defaults()).build()) {
            List<String[]> pairs = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                engine.putUser("s" + i, "Sender " + i);
                engine.putUser("r" + i, "Receiver " + i);
                Conversation c = engine.createDirect("s" + i, "r" + i);
                pairs.add(new String[] {"s" + i, c.id()});
            }
            AtomicBoolean measuring = new AtomicBoolean(false);
            AtomicBoolean stop = new AtomicBoolean(false);
            LongAdder acked = new LongAdder();
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            List<Thread> threads = new ArrayList<>();
            for (String[] pair : pairs) {
                Thread t = new Thread(() -> {
                    long n = 0;
                    Histogram mine = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                    while (!stop.get()) {
                        long start = System.nanoTime();
                        engine.sendAndWait(pair[0], pair[1], "m" + n++, new MessageBody("benchmark message " + n), null);
                        if (measuring.get()) {
                            acked.increment();
                            mine.recordValue(Math.min(System.nanoTime() - start, TimeUnit.SECONDS.toNanos(10)));
                        }
                    }
                    synchronized (latency) {
                        latency.add(mine);
                    }
                }, "bench-sender");
                threads.add(t);
                t.start();
            }
            Thread.sleep(1000); // warm-up
            com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            java.util.Map<String, Long> byThread0 = threadCpuByName();
            measuring.set(true);
            counting.set(true);
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            measuring.set(false);
            counting.set(false);
            long elapsed = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            java.util.Map<String, Long> byThread = threadCpuByName();
            byThread0.forEach((name, ns) -> byThread.merge(name, -ns, Long::sum));
            stop.set(true);
            for (Thread t : threads) {
                t.join();
            }
            // The writer thread's CPU per send is steadier than sends/s on a shared machine: it does
            // not depend on how much of the second core other processes take.
            long writerNs = byThread.getOrDefault("parley-store-writer", 0L);
            System.out.printf("%7d %9.0f %12.2f %12.2f %12.1f %16.1f %14.1f %10.2f%n", senders,
                    acked.sum() / (elapsed / 1e9),
                    latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                    cpu / 1e3 / Math.max(1, acked.sum()), writerNs / 1e3 / Math.max(1, acked.sum()),
                    committedWrites.sum() / (double) Math.max(1, commits.sum()), os.getSystemLoadAverage());
            if (Boolean.getBoolean("bench.threads")) {
                byThread.forEach((name, ns) -> {
                    if (ns > 0) {
                        System.out.printf("        %-28s %8.1f us/send%n", name, ns / 1e3 / Math.max(1, acked.sum()));
                    }
                });
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static void historyLatency(int totalMessages) throws Exception {
        int conversations = Math.max(1, totalMessages / 1000);
        int perConversation = totalMessages / conversations;
        Path dir = Files.createTempDirectory("parley-bench");
        try (JdbcChatStore store = JdbcChatStore.sqlite(dir.resolve("history.db"));
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            List<String> ids = fill(store, engine, totalMessages, k -> "history message number " + k, "history");

            Histogram latest = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
            Histogram older = new Histogram(TimeUnit.SECONDS.toNanos(1), 3);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int warm = 0; warm < 2_000; warm++) {
                engine.history("a", ids.get(random.nextInt(ids.size())), null, null, 50);
            }
            for (int i = 0; i < 10_000; i++) {
                String id = ids.get(random.nextInt(ids.size()));
                long s = System.nanoTime();
                engine.history("a", id, null, null, 50);
                latest.recordValue(System.nanoTime() - s);
                long before = 51 + random.nextInt(perConversation - 50);
                s = System.nanoTime();
                engine.history("a", id, before, null, 50);
                older.recordValue(System.nanoTime() - s);
            }
            System.out.println("50-message history page via ChatEngine (membership check + query), 10,000 fetches each:");
            System.out.printf("  newest page:        median %.3f ms   p99 %.3f ms%n",
                    latest.getValueAtPercentile(50) / 1e6, latest.getValueAtPercentile(99) / 1e6);
            System.out.printf("  page before a seq:  median %.3f ms   p99 %.3f ms%n",
                    older.getValueAtPercentile(50) / 1e6, older.getValueAtPercentile(99) / 1e6);
        } finally {
            deleteTree(dir);
        }
    }

    /**
     * Fills the store with {@code totalMessages} messages from users {@code a} and {@code b} in
     * groups of 1,000 messages each (both are members of all), many appends in flight so that
     * group commit batches them.
     *
     * @param text the text of the k-th message of a conversation
     * @return the conversation ids
     */
    static List<String> fill(JdbcChatStore store, ChatEngine engine, int totalMessages,
                             java.util.function.IntFunction<String> text, String label) {
        int conversations = Math.max(1, totalMessages / 1000);
        int perConversation = totalMessages / conversations;
        engine.putUser("a", "A");
        engine.putUser("b", "B");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            ids.add(engine.createGroup("a", "g" + i, List.of("b")).id());
        }
        long t0 = System.nanoTime();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        Instant now = Instant.now();
        long n = 0;
        for (String id : ids) {
            for (int k = 0; k < perConversation; k++) {
                inFlight.add(store.append(new NewMessage(engine.ids().next(), id, k % 2 == 0 ? "a" : "b",
                        "f" + n++, new MessageBody(text.apply(k)), null, now), r -> { }));
            }
            if (inFlight.size() >= 20_000) {
                CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                inFlight.clear();
            }
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
        double fillSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: filled %,d messages in %d conversations in %.1f s (%.0f appends/s, batched)%n",
                label, n, conversations, fillSeconds, n / fillSeconds);
        return ids;
    }

    /**
     * CPU time of live threads since their start, summed by name without trailing digits; the
     * bench prints the difference over the measured seconds.
     */
    private static java.util.Map<String, Long> threadCpuByName() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long ns = mx.getThreadCpuTime(info.getThreadId());
                out.merge(info.getThreadName().replaceAll("[-\\d]+$", ""), Math.max(0, ns), Long::sum);
            }
        }
        return out;
    }

    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private StoreBench() {
    }
}
