package dev.parley.server.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The HTTP API from a test: JSON in, status + headers + JSON out, on the JDK's HttpClient. */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final URI base;

    /** @param base {@code http://127.0.0.1:port/} */
    public ApiClient(URI base) {
        this.base = base;
    }

    /** A response; {@link #json()} parses the body. */
    public record Response(int status, HttpHeaders headers, String body) {
        public JsonNode json() {
            try {
                return WsClient.JSON.readTree(body);
            } catch (JsonProcessingException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        /** The error code of an error body, e.g. {@code "bad_request"}. */
        public String errorCode() {
            return json().path("error").path("code").asText();
        }

        public String errorMessage() {
            return json().path("error").path("message").asText();
        }

        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Response get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Response delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    /** POSTs {@code body} as JSON ({@code null}: no body at all). */
    public Response post(String path, String token, Object body) {
        String json;
        try {
            json = body == null ? "" : WsClient.JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return postRaw(path, token, json);
    }

    /** PUTs {@code body} as JSON. */
    public Response put(String path, String token, Object body) {
        try {
            return send(request(path, token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(WsClient.JSON.writeValueAsString(body))));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** POSTs a body exactly as given (malformed JSON, huge bodies). */
    public Response postRaw(String path, String token, String body) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path))
                .timeout(TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new AssertionError("HTTP request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
