package dev.parley.it.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.examples.ClusterNode;
import dev.parley.it.support.LocalServices;
import dev.parley.it.support.ServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Server nodes of one cluster, each {@link ClusterNode} (the example's main) in its own JVM on
 * 127.0.0.1, sharing one PostgreSQL schema and one NATS subject prefix. Node logs go to
 * {@code target/cluster/<node>.log}.
 */
final class LocalCluster implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LOGS = Path.of("target", "cluster");

    /** A signed-in account: its user id and a session token (valid on every node). */
    record Account(String username, String userId, String token) {
    }

    private final String schema;
    private final String natsPrefix;
    private final List<ServerProcess> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Starts {@code count} nodes: the first alone (it migrates the schema), the others together. */
    LocalCluster(int count, String schema, String natsPrefix) throws IOException {
        this.schema = schema;
        this.natsPrefix = natsPrefix;
        try {
            nodes.add(startNode(1));
            List<CompletableFuture<ServerProcess>> rest = new ArrayList<>();
            for (int i = 2; i <= count; i++) {
                int n = i;
                rest.add(CompletableFuture.supplyAsync(() -> startNode(n)));
            }
            for (CompletableFuture<ServerProcess> f : rest) {
                nodes.add(f.join());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ServerProcess startNode(int n) {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // the node needs its real port up front (allowed page origins)
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
        String id = "node-" + n;
        return ServerProcess.start(ClusterNode.class, List.of(), Map.of(
                "parley.port", Integer.toString(port),
                "parley.node", id,
                "parley.pg.url", LocalServices.PG_URL,
                "parley.pg.user", LocalServices.PG_USER,
                "parley.pg.schema", schema,
                "parley.nats.url", LocalServices.NATS_URL,
                "parley.nats.prefix", natsPrefix,
                "parley.rate", "1000",
                "org.slf4j.simpleLogger.showDateTime", "true"), LOGS.resolve(id + ".log"));
    }

    /** Node {@code n}, counted from 1. */
    ServerProcess node(int n) {
        return nodes.get(n - 1);
    }

    /** Registers {@code username} through node {@code registerAt} and logs in through node {@code loginAt}. */
    Account register(String username, int registerAt, int loginAt) throws IOException, InterruptedException {
        String password = "correct-horse-battery-staple";
        JsonNode registered = post(node(registerAt).httpUri(), "/api/v1/auth/register",
                Map.of("username", username, "password", password), 201);
        JsonNode login = post(node(loginAt).httpUri(), "/api/v1/auth/login",
                Map.of("username", username, "password", password), 200);
        if (!login.path("userId").asText().equals(registered.path("userId").asText())) {
            throw new IllegalStateException("login as " + username + " answered another user: " + login);
        }
        return new Account(username, login.path("userId").asText(), login.path("token").asText());
    }

    private JsonNode post(URI base, String path, Map<String, String> body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** SIGKILLs every node still running. */
    @Override
    public void close() {
        nodes.forEach(ServerProcess::close);
    }
}
