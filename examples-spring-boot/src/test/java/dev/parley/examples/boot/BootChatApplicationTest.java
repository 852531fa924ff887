package dev.parley.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.client.ChatClient;
import dev.parley.core.Conversation;
import dev.parley.core.Message;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Starts the example application on a free port, on Tomcat, with Boot's own dependency versions,
 * and chats through it like a user would: accounts over HTTP, messages over WebSocket.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BootChatApplicationTest {
    private static final Duration PATIENCE = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = tempDir();

    @LocalServerPort
    int port;

    @Autowired
    ServletWebServerApplicationContext context;

    @Autowired
    MeterRegistry meters;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void dataInTemporaryDirectory(DynamicPropertyRegistry registry) {
        registry.add("parley.store.sqlite-file", () -> DATA.resolve("parley.db").toString());
        registry.add("parley.files.dir", () -> DATA.resolve("blobs").toString());
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("parley-boot-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void twoUsersChatThroughTheApplicationsOwnTomcat() throws Exception {
        assertThat(context.getWebServer())
                .as("Tomcat wins although chat-server-embedded brings Jetty onto the test classpath")
                .isInstanceOf(TomcatWebServer.class);
        JsonNode alice = signUp("alice");
        JsonNode bob = signUp("bob");
        List<Message> bobGot = new CopyOnWriteArrayList<>();
        URI ws = URI.create("ws://127.0.0.1:" + port + "/ws");
        try (ChatClient aliceClient = ChatClient.builder().uri(ws).token(alice.path("token").asText()).build();
             ChatClient bobClient = ChatClient.builder().uri(ws).token(bob.path("token").asText()).build()) {
            bobClient.addListener(new ChatClient.Listener() {
                @Override
                public void onMessage(Message message) {
                    bobGot.add(message);
                }
            });
            aliceClient.connect().join();
            bobClient.connect().join();

            Conversation dm = aliceClient.createDirect(bob.path("userId").asText()).join();
            Message sent = aliceClient.send(dm.id(), "hello from Boot").join();

            await().atMost(PATIENCE).until(() -> !bobGot.isEmpty());
            assertThat(bobGot.get(0).body().text()).isEqualTo("hello from Boot");
            assertThat(bobGot.get(0).senderId()).isEqualTo(alice.path("userId").asText());
            assertThat(sent.seq()).isEqualTo(bobGot.get(0).seq());

            // The history over HTTP, from the API mounted in the same Tomcat.
            JsonNode history = get("/api/v1/conversations/" + dm.id() + "/messages", bob.path("token").asText());
            assertThat(history.path("messages").findValuesAsText("text")).contains("hello from Boot");

            // Micrometer meters, wired because Actuator made a MeterRegistry.
            assertThat(meters.get("parley.messages.sent").counter().count()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("parley.connections.active").gauge().value()).isEqualTo(2);
            assertThat(meters.get("parley.command.duration").tags("command", "send", "outcome", "ok").timer().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void healthShowsTheParleyComponent() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/actuator/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode parley = JSON.readTree(response.body()).path("components").path("parley");
        assertThat(parley.path("status").asText()).isEqualTo("UP");
        assertThat(parley.path("details").path("path").asText()).isEqualTo("/ws");
        assertThat(parley.path("details").has("connections")).isTrue();
    }

    @Test
    void aHandshakeFromAForeignOriginIsRefusedWithJson() throws Exception {
        // java.net.http will not send Upgrade headers by hand: a raw request, as a browser makes it.
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) PATIENCE.toMillis());
            String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: parley.v1\r\nOrigin: https://evil.example\r\n"
                    + "Connection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 403");
            assertThat(response).contains("\"code\":\"forbidden\"");
        }
    }

    private JsonNode signUp(String username) throws Exception {
        JsonNode registered = post("/api/v1/auth/register", Map.of("username", username, "password", "correct horse battery " + username.length()));
        assertThat(registered.path("userId").asText()).isNotEmpty();
        return post("/api/v1/auth/login", Map.of("username", username, "password", "correct horse battery " + username.length()));
    }

    private JsonNode post(String path, Map<String, String> body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isBetween(200, 201);
        return JSON.readTree(response.body());
    }

    private JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(path))
                        .header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
