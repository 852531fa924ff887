package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A raw protocol client for tests, on the JDK's WebSocket: sends JSON commands, collects every
 * server frame, and waits for frames matching a predicate. Can stop reading ({@link #pause()})
 * to play a slow consumer.
 */
public final class WsClient implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WebSocket ws;
    private final Listener listener;
    private final AtomicLong ids = new AtomicLong();

    private WsClient(WebSocket ws, Listener listener) {
        this.ws = ws;
        this.listener = listener;
        listener.owner = this;
    }

    public static WsClient connect(URI uri) {
        return connect(uri, null);
    }

    /** Connects with subprotocol {@code parley.v1} and, if not null, an {@code Origin} header. */
    public static WsClient connect(URI uri, String origin) {
        Listener listener = new Listener();
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("parley.v1")
                .connectTimeout(TIMEOUT);
        if (origin != null) {
            builder.header("Origin", origin);
        }
        WebSocket ws = builder.buildAsync(uri, listener).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        assertThat(ws.getSubprotocol()).isEqualTo("parley.v1");
        return new WsClient(ws, listener);
    }

    /** Connects and says hello as {@code userId} with the development token; asserts success. */
    public static WsClient signedIn(URI uri, String userId) {
        WsClient client = connect(uri);
        JsonNode reply = client.request("hello", "token", "dev:" + userId);
        assertThat(reply.path("ok").asBoolean()).as("hello reply %s", reply).isTrue();
        return client;
    }

    // ------------------------------------------------------------------ sending

    /** Sends {@code {"id":n,"type":type,...fields}}; returns the id. */
    public long send(String type, Object... fields) {
        long id = ids.incrementAndGet();
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id);
        node.put("type", type);
        putAll(node, fields);
        sendRaw(node.toString());
        return id;
    }

    /** Sends a command without id (fire-and-forget). */
    public void sendWithoutId(String type, Object... fields) {
        ObjectNode node = JSON.createObjectNode();
        node.put("type", type);
        putAll(node, fields);
        sendRaw(node.toString());
    }

    /** Sends a command and waits for its reply (ok or error). */
    public JsonNode request(String type, Object... fields) {
        return awaitReply(send(type, fields));
    }

    /** Sends a command, waits for its reply and asserts it is ok. */
    public JsonNode ok(String type, Object... fields) {
        JsonNode reply = request(type, fields);
        assertThat(reply.has("error")).as("reply to %s: %s", type, reply).isFalse();
        assertThat(reply.path("ok").asBoolean()).as("reply to %s: %s", type, reply).isTrue();
        return reply;
    }

    public synchronized void sendRaw(String text) {
        ws.sendText(text, true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Sends one text message as several WebSocket frames (a first frame and continuations). */
    public synchronized void sendFragments(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            ws.sendText(parts[i], i == parts.length - 1).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
    }

    /** Sends one binary message as several WebSocket frames. */
    public synchronized void sendBinaryFragments(byte[]... parts) {
        for (int i = 0; i < parts.length; i++) {
            ws.sendBinary(java.nio.ByteBuffer.wrap(parts[i]), i == parts.length - 1)
                    .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        }
    }

    public synchronized void sendBinary(byte[] data) {
        ws.sendBinary(java.nio.ByteBuffer.wrap(data), true).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static void putAll(ObjectNode node, Object[] fields) {
        if (fields.length % 2 != 0) {
            throw new IllegalArgumentException("fields are name/value pairs");
        }
        for (int i = 0; i < fields.length; i += 2) {
            node.set((String) fields[i], JSON.valueToTree(fields[i + 1]));
        }
    }

    // ------------------------------------------------------------------ receiving

    /** Waits for the reply to command {@code id} and consumes it. */
    public JsonNode awaitReply(Object id) {
        return await(f -> f.has("re") && f.get("re").asText().equals(String.valueOf(id)), "reply to " + id);
    }

    /** Waits for an event of {@code type} matching {@code filter} and consumes it. */
    public JsonNode awaitEvent(String type, Predicate<JsonNode> filter) {
        return await(f -> !f.has("re") && type.equals(f.path("type").asText()) && filter.test(f), type + " event");
    }

    public JsonNode awaitEvent(String type) {
        return awaitEvent(type, f -> true);
    }

    /** Waits for the first not yet consumed frame matching {@code filter}, and consumes it. */
    public JsonNode await(Predicate<JsonNode> filter, String what) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (listener) {
            while (true) {
                for (Iterator<JsonNode> it = listener.unconsumed.iterator(); it.hasNext(); ) {
                    JsonNode frame = it.next();
                    if (filter.test(frame)) {
                        it.remove();
                        return frame;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + what + " within " + TIMEOUT + "; unconsumed frames: "
                            + listener.unconsumed + "; closed: " + listener.closeCode);
                }
                try {
                    listener.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Every frame received so far, in arrival order (consumed ones included). */
    public List<JsonNode> frames() {
        synchronized (listener) {
            return List.copyOf(listener.all);
        }
    }

    /** Frames not consumed by an await yet. */
    public List<JsonNode> unconsumed() {
        synchronized (listener) {
            return List.copyOf(listener.unconsumed);
        }
    }

    /** Waits for the server's close frame; returns its status code (1006 when the connection just broke). */
    public int awaitClose() {
        return listener.closeCode.orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    public boolean isClosed() {
        return listener.closeCode.isDone();
    }

    /** Answers the server's {@code ping} events with {@code pong}. */
    public WsClient autoPong(boolean on) {
        listener.autoPong = on;
        return this;
    }

    /** Stops reading from the socket: the server's writes back up. */
    public void pause() {
        listener.paused = true;
    }

    /** Reads again. */
    public void resume() {
        listener.paused = false;
        ws.request(Long.MAX_VALUE);
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            try {
                ws.sendClose(1000, "bye").orTimeout(2, TimeUnit.SECONDS).exceptionally(t -> null).join();
            } catch (RuntimeException ignored) {
                // the socket may already be gone
            }
        }
        ws.abort();
    }

    /** Closes normally and waits for the close to complete. */
    public void disconnect() {
        ws.sendClose(1000, "bye").orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        awaitClose();
    }

    /** WebSocket-level ping control frames received so far. */
    public int webSocketPings() {
        return listener.webSocketPings.get();
    }

    private static final class Listener implements WebSocket.Listener {
        final List<JsonNode> unconsumed = new ArrayList<>();
        final List<JsonNode> all = new ArrayList<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        final StringBuilder partial = new StringBuilder();
        volatile boolean autoPong;
        volatile boolean paused;
        final java.util.concurrent.atomic.AtomicInteger webSocketPings = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public CompletionStage<?> onPing(WebSocket ws, java.nio.ByteBuffer message) {
            webSocketPings.incrementAndGet();
            return WebSocket.Listener.super.onPing(ws, message); // the JDK answers with a pong
        }
        volatile WsClient owner;

        @Override
        public void onOpen(WebSocket ws) {
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                JsonNode frame;
                try {
                    frame = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    frame = JSON.createObjectNode().put("unparseable", text);
                }
                if (autoPong && "ping".equals(frame.path("type").asText()) && !frame.has("re")) {
                    WsClient client = owner;
                    CompletableFuture.runAsync(() -> client.sendRaw("{\"type\":\"pong\"}"));
                }
                synchronized (this) {
                    unconsumed.add(frame);
                    all.add(frame);
                    notifyAll();
                }
            }
            if (!paused) {
                ws.request(1);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closeCode.complete(statusCode);
            synchronized (this) {
                notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closeCode.complete(1006);
            synchronized (this) {
                notifyAll();
            }
        }
    }

    /** The strings of a JSON array. */
    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText()));
        return out;
    }
}
