package dev.parley.web3.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A JSON-RPC endpoint on 127.0.0.1 whose answers a test writes: {@code handler} gets the request
 * and returns {@code [status, body]}.
 */
public final class StubRpcServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;

    public record Answer(int status, String body) {
        /** A JSON-RPC result for request {@code id}. */
        public static Answer result(JsonNode request, String resultJson) {
            return new Answer(200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + resultJson + "}");
        }
    }

    public StubRpcServer(Function<JsonNode, Answer> handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                JsonNode request = JSON.readTree(exchange.getRequestBody());
                Answer a = handler.apply(request);
                if (a == null) {
                    return; // close without an answer
                }
                byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(a.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    /** A stub whose {@code results} function gives each request's JSON {@code result}. */
    public static StubRpcServer start(Function<JsonNode, String> results) throws IOException {
        return new StubRpcServer(r -> Answer.result(r, results.apply(r)));
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
