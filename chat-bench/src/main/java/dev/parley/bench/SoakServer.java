package dev.parley.bench;

import dev.parley.core.ChatEngine;
import dev.parley.core.Message;
import dev.parley.core.spi.ChatListener;
import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server of the soak test ({@link SoakBench}), in its own process: an embedded
 * {@link ChatServer} on 127.0.0.1 with the default SQLite store ({@code <dataDir>/parley.db}, as
 * an embedded application runs it, so that messages live on disk and not in the heap), the
 * {@link DevelopmentAuthenticator} and lifted rate limits.
 *
 * <p>It prints {@code PORT <n>}, then answers each line {@code probe} on its standard input
 * with a full collection ({@link System#gc()}) and one line
 * {@code PROBE heapAfterGc=<bytes> connections=<n> threads=<n>}; it closes the server and exits
 * when its standard input ends (the parent closed it or died).
 *
 * <pre>
 * java -cp … dev.parley.bench.SoakServer &lt;dataDir&gt; &lt;maxConnections&gt; [&lt;leakBytesPerMessage&gt;]
 * </pre>
 *
 * <p>{@code leakBytesPerMessage} (default 0) makes the server keep that many bytes for every
 * message it sends, forever: a deliberate leak, to show that the soak's heap check fails when
 * the server retains memory per message.
 */
public final class SoakServer {
    private SoakServer() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int maxConnections = Integer.parseInt(args[1]);
        int leakBytes = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Files.createDirectories(dataDir);
        JdbcChatStore store = JdbcChatStore.sqlite(dataDir.resolve("parley.db"));
        ChatEngine.Builder engineBuilder = ChatEngine.builder().store(store);
        List<byte[]> leaked = new ArrayList<>();
        if (leakBytes > 0) {
            engineBuilder.listener(new ChatListener() {
                @Override
                public void onMessage(Message message) {
                    synchronized (leaked) {
                        leaked.add(new byte[leakBytes]);
                    }
                }
            });
        }
        ChatEngine engine = engineBuilder.build();
        // The server closes neither an engine nor a store it was given.
        ChatServerConfig config = ChatServerConfig.builder()
                .connectionRate(100_000, 100_000)
                .userRate(100_000, 100_000)
                .maxConnections(maxConnections)
                .build();
        try (ChatServer server = ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                .authenticator(new DevelopmentAuthenticator(engine)).config(config).start()) {
            System.out.println("PORT " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.trim().equals("probe")) {
                    System.gc();
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    System.out.println("PROBE heapAfterGc=" + heap + " connections=" + server.connectionCount()
                            + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount());
                    System.out.flush();
                }
            }
        } finally {
            engine.close();
            store.close();
        }
    }
}
