package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandshakeTest {
    private static final String ALLOWED = "https://chat.example.com";

    private final TestServer server = TestServer.start(c -> c.allowedOrigins(List.of(ALLOWED)));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anUpgradeWithoutTheSubprotocolIsRefusedWith400AndAJsonError() throws Exception {
        RawHttp.Response response = RawHttp.upgrade(server.server().port(), "/ws", Map.of());
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.headers().get("content-type")).startsWith("application/json");
        JsonNode body = WsClient.JSON.readTree(response.body());
        assertThat(body.path("error").path("code").asText()).isEqualTo("bad_request");
        assertThat(body.path("error").path("message").asText()).contains("parley.v1");
        assertThat(body.path("error").path("retryable").asBoolean()).isFalse();

        RawHttp.Response other = RawHttp.upgrade(server.server().port(), "/ws",
                Map.of("Sec-WebSocket-Protocol", "chat, superchat"));
        assertThat(other.status()).isEqualTo(400);
        server.assertServesNormalClient();
    }

    @Test
    void anUpgradeFromAnOriginNotAllowedIsRefusedWith403AndAJsonError() throws Exception {
        RawHttp.Response response = RawHttp.upgrade(server.server().port(), "/ws",
                Map.of("Sec-WebSocket-Protocol", "parley.v1", "Origin", "https://evil.example.com"));
        assertThat(response.status()).isEqualTo(403);
        JsonNode body = WsClient.JSON.readTree(response.body());
        assertThat(body.path("error").path("code").asText()).isEqualTo("forbidden");

        RawHttp.Response almost = RawHttp.upgrade(server.server().port(), "/ws",
                Map.of("Sec-WebSocket-Protocol", "parley.v1", "Origin", ALLOWED + ":443"));
        assertThat(almost.status()).as("origins match exactly").isEqualTo(403);
        server.assertServesNormalClient();
    }

    @Test
    void anAllowedOriginAndNoOriginBothUpgrade() throws Exception {
        RawHttp.Response response = RawHttp.upgrade(server.server().port(), "/ws",
                Map.of("Sec-WebSocket-Protocol", "parley.v1", "Origin", ALLOWED));
        assertThat(response.status()).isEqualTo(101);
        assertThat(response.headers().get("sec-websocket-protocol")).isEqualTo("parley.v1");
        try (WsClient browser = WsClient.connect(server.ws(), ALLOWED); WsClient app = server.connect()) {
            browser.ok("hello", "token", "dev:alice");
            app.ok("hello", "token", "dev:bob");
        }
    }

    @Test
    void healthAnswersOkOnTheSamePort() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.server().port() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        assertThat(WsClient.JSON.readTree(response.body())).isEqualTo(WsClient.JSON.readTree("{\"status\":\"ok\"}"));
    }
}
