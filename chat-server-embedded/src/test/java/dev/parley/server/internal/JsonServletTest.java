package dev.parley.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatException;
import dev.parley.core.protocol.ProtocolCodec;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JsonServletTest {
    private final ProtocolCodec codec = new ProtocolCodec();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final HttpClient http = HttpClient.newHttpClient();
    private Server jetty;
    private int port;

    /** Echoes a posted {@code name}; fails on request the way handlers do. */
    private final class EchoServlet extends JsonServlet {
        EchoServlet() {
            super(codec, 1_000);
        }

        @Override
        protected JsonReply post(HttpServletRequest request, ObjectNode body) {
            String name = body.path("name").asText();
            if (name.equals("forbidden")) {
                throw ChatException.forbidden("not you");
            }
            if (name.equals("bug")) {
                throw new IllegalStateException("boom");
            }
            return new JsonReply(201, JsonNodeFactory.instance.objectNode().put("hello", name));
        }
    }

    @BeforeEach
    void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HealthServlet(codec, closing::get)), "/health");
        context.addServlet(new ServletHolder(new EchoServlet()), "/echo");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        jetty.stop();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode json(HttpResponse<String> response) {
        return codec.read(response.body());
    }

    @Test
    void healthIsOkThen503WhileClosing() throws Exception {
        HttpResponse<String> ok = get("/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).path("status").asText()).isEqualTo("ok");
        closing.set(true);
        HttpResponse<String> down = get("/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down).path("status").asText()).isEqualTo("closing");
    }

    @Test
    void aHandlerResultIsWrittenAsJson() throws Exception {
        HttpResponse<String> response = post("/echo", "{\"name\":\"ada\"}");
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(json(response).path("hello").asText()).isEqualTo("ada");
    }

    @Test
    void errorsMapToTheirHttpStatusWithAJsonErrorBody() throws Exception {
        HttpResponse<String> malformed = post("/echo", "{\"name\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).path("error").path("code").asText()).isEqualTo("bad_request");

        HttpResponse<String> notAnObject = post("/echo", "[]");
        assertThat(notAnObject.statusCode()).isEqualTo(400);

        HttpResponse<String> forbidden = post("/echo", "{\"name\":\"forbidden\"}");
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(json(forbidden).path("error").path("code").asText()).isEqualTo("forbidden");
        assertThat(json(forbidden).path("error").path("message").asText()).isEqualTo("not you");

        HttpResponse<String> bug = post("/echo", "{\"name\":\"bug\"}");
        assertThat(bug.statusCode()).isEqualTo(500);
        assertThat(json(bug).path("error").path("code").asText()).isEqualTo("internal");
        assertThat(bug.body()).doesNotContain("boom");

        HttpResponse<String> tooLarge = post("/echo", "{\"name\":\"" + "x".repeat(2_000) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).path("error").path("code").asText()).isEqualTo("too_large");

        HttpResponse<String> wrongMethod = get("/echo");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(json(wrongMethod).path("error").path("code").asText()).isEqualTo("unsupported");
    }
}
