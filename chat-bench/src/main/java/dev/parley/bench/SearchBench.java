package dev.parley.bench;

import dev.parley.core.ChatEngine;
import dev.parley.core.SearchRequest;
import dev.parley.store.jdbc.JdbcChatStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.HdrHistogram.Histogram;

/**
 * Full-text search latency (SQLite FTS5, bm25, snippets) through {@link ChatEngine#search} over
 * a store of 1,000,000 messages filled like {@link StoreBench}'s history benchmark. Texts are 8
 * words drawn from a 5,000-word vocabulary with a skewed (Zipf-like) frequency plus one of
 * 200,000 rare words, so queries range from about 5 matches to hundreds of thousands.
 *
 * <pre>
 * mvn -B -q -pl chat-bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=target/bench-classpath.txt
 * java -cp chat-bench/target/classes:$(cat chat-bench/target/bench-classpath.txt) dev.parley.bench.StoreBench \
 *     --search [--messages 1000000 --queries 2000]
 * </pre>
 */
public final class SearchBench {
    private static final int VOCABULARY = 5_000;
    /** One of these is in every message: each about 5 times in a million messages. */
    private static final int RARE_WORDS = 200_000;
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "zu", "ba", "do",
            "fe", "gi", "ho", "ju", "ly", "mo", "nu", "pe"};

    private SearchBench() {
    }

    public static void main(String[] args) throws Exception {
        int totalMessages = intArg(args, "--messages", 1_000_000);
        int queries = intArg(args, "--queries", 2_000);
        String[] words = new String[VOCABULARY];
        for (int i = 0; i < VOCABULARY; i++) {
            words[i] = SYLLABLES[i % 20] + SYLLABLES[(i / 20) % 20] + SYLLABLES[(i / 400) % 20];
        }
        SplittableRandom textRandom = new SplittableRandom(42);
        IntFunction<String> text = k -> {
            StringBuilder sb = new StringBuilder();
            for (int w = 0; w < 8; w++) {
                sb.append(w == 0 ? "" : " ").append(words[skewed(textRandom)]);
            }
            sb.append(" q").append(textRandom.nextInt(RARE_WORDS));
            return sb.toString();
        };
        System.out.printf("Parley search benchmark — %d cores, Java %s, %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.name"));
        Path dir = Files.createTempDirectory("parley-search-bench");
        try (JdbcChatStore store = JdbcChatStore.sqlite(dir.resolve("search.db"));
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            List<String> conversations = StoreBench.fill(store, engine, totalMessages, text, "search");
            SplittableRandom random = new SplittableRandom(7);
            System.out.printf("%,d searches per kind via ChatEngine.search (membership join, bm25, snippet, 20 results);"
                    + " the searcher is in all %,d conversations:%n", queries, conversations.size());
            run(engine, "rare word (~5 matches)", queries,
                    () -> SearchRequest.of("q" + random.nextInt(RARE_WORDS)));
            run(engine, "mid word (~2.5k-7k matches)", queries,
                    () -> SearchRequest.of(words[100 + random.nextInt(400)]));
            run(engine, "two mid words (AND)", queries,
                    () -> SearchRequest.of(words[100 + random.nextInt(400)] + " " + words[100 + random.nextInt(400)]));
            run(engine, "common word (60k-460k matches)", Math.max(1, queries / 20),
                    () -> SearchRequest.of(words[random.nextInt(5)]));
            run(engine, "mid word in one conversation", queries,
                    () -> new SearchRequest(words[100 + random.nextInt(400)],
                            conversations.get(random.nextInt(conversations.size())), null, null, null, null, null, null));
        } finally {
            StoreBench.deleteTree(dir);
        }
    }

    /** Index skewed to small values: word 0 is the most frequent. */
    private static int skewed(SplittableRandom random) {
        double r = random.nextDouble();
        return Math.min(VOCABULARY - 1, (int) (VOCABULARY * r * r * r));
    }

    private static void run(ChatEngine engine, String label, int n, java.util.function.Supplier<SearchRequest> next) {
        for (int warm = 0; warm < Math.min(50, Math.max(5, n / 10)); warm++) {
            engine.search("a", next.get());
        }
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SearchRequest r = next.get();
            long s = System.nanoTime();
            int found = engine.search("a", r).results().size();
            h.recordValue(Math.min(System.nanoTime() - s, TimeUnit.SECONDS.toNanos(60)));
            sizes.add(found);
        }
        System.out.printf("  %-30s median %8.3f ms   p99 %8.3f ms   (avg %.1f results)%n", label,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                sizes.stream().mapToInt(Integer::intValue).average().orElse(0));
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
