package dev.parley.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.accounts.AccountSettings;
import dev.parley.accounts.PasswordHasher;
import dev.parley.server.ChatServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo server as {@link DemoServer} builds it, on 127.0.0.1 with a free port, a data
 * directory of the test's and a cheap password hasher; plus the few HTTP API calls the tests
 * make as "the other side".
 */
final class DemoFixture implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final String PASSWORD = "purple-otter-42-lamp";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Path dataDir;
    private final int port;
    private ChatServer server;

    DemoFixture(Path dataDir) {
        this.dataDir = dataDir;
        this.port = freePort();
        start();
    }

    /** The page URL as a user types it. */
    String url() {
        return "http://" + HOST + ":" + port + "/";
    }

    ChatServer server() {
        return server;
    }

    /** Starts the server (again) on the same port with the same data. */
    void start() {
        server = DemoServer.builder(HOST, port, dataDir, List.of(), "http://" + HOST + ":" + port)
                .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
                .start();
    }

    /** Stops the server: every socket is closed, the port is free. */
    void stop() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
    }

    // ---------------------------------------------------------------- HTTP API

    /** Registers and logs in; returns {@code {token, userId, …}}. */
    JsonNode register(String username, String displayName) {
        post("/api/v1/auth/register", null, Map.of("username", username, "password", PASSWORD,
                "displayName", displayName), 201);
        return login(username);
    }

    JsonNode login(String username) {
        return post("/api/v1/auth/login", null, Map.of("username", username, "password", PASSWORD), 200);
    }

    JsonNode post(String path, String token, Object body, int expectedStatus) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : JSON.writeValueAsString(body)));
            return send(b, token, expectedStatus);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode get(String path, String token) {
        return get(path, token, 200);
    }

    JsonNode get(String path, String token, int expectedStatus) {
        return send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
                .timeout(Duration.ofSeconds(10)).GET(), token, expectedStatus);
    }

    private JsonNode send(HttpRequest.Builder b, String token, int expectedStatus) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = b.build();
        try {
            HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != expectedStatus) {
                throw new AssertionError(request.method() + " " + request.uri().getPath() + ": expected "
                        + expectedStatus + ", got " + res.statusCode() + " " + res.body());
            }
            return res.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
