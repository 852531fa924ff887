package dev.parley.examples;

import dev.parley.broker.nats.NatsBroker;
import dev.parley.core.ChatEngine;
import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import dev.parley.store.jdbc.JdbcChatStore;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * One node of a clustered Parley deployment: the PostgreSQL store, the NATS broker and the
 * server with the demo web UI and password accounts. Run three of them on one machine (see
 * the README, "Run a local cluster"):
 *
 * <pre>
 * mvn -B -q install -DskipTests
 * mvn -B -q -pl examples exec:java -Dexec.mainClass=dev.parley.examples.ClusterNode \
 *     -Dparley.port=8081 -Dparley.node=node-1
 * </pre>
 *
 * System properties (defaults in brackets):
 * <ul>
 *   <li>{@code parley.host} [127.0.0.1], {@code parley.port} [8080]</li>
 *   <li>{@code parley.node} [{@code node-<port>}]: the node id, unique in the cluster</li>
 *   <li>{@code parley.pg.url} [{@code jdbc:postgresql://127.0.0.1:5432/test}],
 *       {@code parley.pg.user} [postgres], the password from the environment variable
 *       {@code PARLEY_PG_PASSWORD} [none], {@code parley.pg.schema} [parley]</li>
 *   <li>{@code parley.nats.url} [{@code nats://127.0.0.1:4222}, several comma separated],
 *       {@code parley.nats.prefix} [parley]: the same on every node</li>
 *   <li>{@code parley.rate} [the server's defaults, 20 commands/s per socket and 50 per
 *       user]: commands per second allowed per socket and per user (burst twice that); for
 *       load tests</li>
 * </ul>
 *
 * <p>Every node shares accounts, sessions, conversations and history through the database, so
 * a token from one node signs in on every other. The engine's send-context cache is off
 * ({@code sendCacheSize(0)}): another node may change a conversation's members behind this
 * node's back. Not shared across nodes: uploads (no blob store is set, so file uploads answer
 * 404), login throttling counters and two-factor challenges (log in and answer the challenge
 * on one node).
 *
 * <p>Once it accepts connections it prints one line starting with {@value #READY} and the
 * port, for scripts and tests that wait for it. SIGTERM (Ctrl+C) closes it cleanly: its users
 * go offline on the other nodes at once; SIGKILL leaves them online until the presence TTL
 * runs out (12 s at most).
 */
public final class ClusterNode {
    /** Prefix of the line printed once the node accepts connections ({@code PARLEY_READY port=8081 node=node-1}). */
    public static final String READY = "PARLEY_READY port=";

    private ClusterNode() {
    }

    public static void main(String[] args) throws InterruptedException {
        String host = System.getProperty("parley.host", "127.0.0.1");
        int port = Integer.getInteger("parley.port", 8080);
        String nodeId = System.getProperty("parley.node", "node-" + port);
        String[] natsUrls = Arrays.stream(System.getProperty("parley.nats.url", "nats://127.0.0.1:4222").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("parley.port must be 1 to 65535 (the allowed page origins need it): "
                    + port);
        }

        JdbcChatStore.Builder storeBuilder = JdbcChatStore.builder()
                .postgres(System.getProperty("parley.pg.url", "jdbc:postgresql://127.0.0.1:5432/test"))
                .postgresUser(System.getProperty("parley.pg.user", "postgres"))
                .schema(System.getProperty("parley.pg.schema", "parley"));
        String password = System.getenv("PARLEY_PG_PASSWORD");
        if (password != null) {
            storeBuilder.postgresPassword(password);
        }
        JdbcChatStore store = storeBuilder.build();
        NatsBroker broker = NatsBroker.builder()
                .servers(natsUrls)
                .subjectPrefix(System.getProperty("parley.nats.prefix", "parley"))
                .nodeId(nodeId)
                .build();
        ChatEngine engine = ChatEngine.builder().store(store).broker(broker).sendCacheSize(0).build();

        ChatServerConfig.Builder config = ChatServerConfig.builder()
                .allowedOrigins(DemoServer.allowedOrigins(host, port));
        String rate = System.getProperty("parley.rate");
        if (rate != null) {
            double perSecond = Double.parseDouble(rate);
            int burst = (int) Math.max(1, Math.ceil(2 * perSecond));
            config.connectionRate(perSecond, burst).userRate(perSecond, burst);
        }
        ChatServer server = ChatServer.builder()
                .host(host)
                .port(port)
                .engine(engine)
                .staticResources(DemoServer.WEB_ROOT)
                .config(config.build())
                .start();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();     // sockets first, then what they use
            engine.close();
            broker.close();     // says goodbye: this node's users go offline everywhere at once
            store.close();
            stopped.countDown();
        }, "parley-node-shutdown"));
        System.out.println(READY + server.port() + " node=" + nodeId);
        System.out.println("Parley node " + nodeId + ": http://" + host + ":" + server.port() + "/ (Ctrl+C stops)");
        System.out.flush();
        stopped.await();
    }
}
