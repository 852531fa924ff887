package dev.parley.it.crash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bare protocol v1 connection on the JDK's WebSocket: request/reply by command id, events
 * ignored. Any failure of the connection (closed, reset, no reply in time) is a
 * {@link ConnectionLost}, which is what a client sees when the server is killed.
 */
final class RawSocket implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    private final WebSocket ws;
    private final Map<Long, CompletableFuture<JsonNode>> inFlight;
    private final AtomicLong ids = new AtomicLong();

    private RawSocket(WebSocket ws, Map<Long, CompletableFuture<JsonNode>> inFlight) {
        this.ws = ws;
        this.inFlight = inFlight;
    }

    /** The connection was lost, or the server did not answer in time. */
    static final class ConnectionLost extends Exception {
        ConnectionLost(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Opens a socket with subprotocol {@code parley.v1} and says {@code hello} with {@code token}. */
    static RawSocket open(HttpClient http, URI uri, String token, Duration timeout) throws ConnectionLost {
        Map<Long, CompletableFuture<JsonNode>> inFlight = new ConcurrentHashMap<>();
        WebSocket ws;
        try {
            ws = http.newWebSocketBuilder()
                    .subprotocols("parley.v1")
                    .connectTimeout(timeout)
                    .buildAsync(uri, new Listener(inFlight))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ConnectionLost("cannot connect to " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionLost("interrupted", e);
        }
        RawSocket socket = new RawSocket(ws, inFlight);
        ObjectNode hello = JSON.createObjectNode().put("type", "hello").put("token", token);
        hello.putObject("client").put("name", "crash-test").put("version", "1");
        JsonNode reply = socket.request(hello, timeout);
        if (!reply.path("ok").asBoolean()) {
            socket.close();
            throw new ConnectionLost("hello refused: " + reply, null);
        }
        return socket;
    }

    /** Sends {@code command} with a fresh id and waits for its reply (ok or error). */
    JsonNode request(ObjectNode command, Duration timeout) throws ConnectionLost {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        inFlight.put(id, reply);
        try {
            ws.sendText(command.put("id", id).toString(), true).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            throw new ConnectionLost("no reply to " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectionLost("interrupted", e);
        } finally {
            inFlight.remove(id);
        }
    }

    @Override
    public void close() {
        ws.abort();
    }

    private static final class Listener implements WebSocket.Listener {
        private final Map<Long, CompletableFuture<JsonNode>> inFlight;
        private final StringBuilder partial = new StringBuilder();

        Listener(Map<Long, CompletableFuture<JsonNode>> inFlight) {
            this.inFlight = inFlight;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode frame = JSON.readTree(text);
                    if (frame.has("re")) {
                        CompletableFuture<JsonNode> reply = inFlight.get(frame.get("re").asLong());
                        if (reply != null) {
                            reply.complete(frame);
                        }
                    }
                } catch (JsonProcessingException e) {
                    failAll(new IllegalStateException("server sent a frame that is not JSON: " + text, e));
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            failAll(new IllegalStateException("closed " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            failAll(error);
        }

        private void failAll(Throwable cause) {
            inFlight.values().forEach(f -> f.completeExceptionally(cause));
        }
    }
}
