package dev.parley.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * Many WebSocket chat clients in one JVM on one {@link Selector} thread (no thread per
 * connection). Each client does the WebSocket handshake, signs in as {@code <user>} the way its
 * {@link Dialect} does (Parley: subprotocol {@code parley.v1} and {@code hello} with a
 * {@code dev:<user>} token), answers WebSocket pings and the protocol's heartbeats (Parley's
 * {@code ping} events, Engine.IO's {@code 2}), and counts the {@code message} events it receives.
 *
 * <p>Benchmark messages carry their text as {@code "b <sender index> <scheduled nanoTime>"};
 * a delivery is such a message received by a client other than its sender, and its latency is
 * receive time minus the <em>scheduled</em> send time, recorded into the current
 * {@link Window} when the scheduled time falls inside it (open loop: a late publisher shows as
 * latency, not as fewer samples).
 */
final class LoadGenerator implements AutoCloseable {
    /** Command ids of sends start here; smaller ids are control commands with a future. */
    private static final long SEND_ID_BASE = 1L << 40;
    private static final int MAX_FRAME = 1 << 20;

    /** A measuring window: deliveries (and send acks) of messages scheduled in [from, until). */
    static final class Window {
        final long from;
        final long until;
        final Recorder latency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final LongAdder delivered = new LongAdder();
        /** Successful send replies (acks), latency from the scheduled send time. */
        final Recorder ackLatency = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final LongAdder acked = new LongAdder();

        Window(long from, long until) {
            this.from = from;
            this.until = until;
        }
    }

    private final Dialect dialect;
    private final InetSocketAddress address;
    private final String path;
    private final String hostHeader;
    private final Selector selector;
    private final Thread ioThread;
    private final Queue<Conn> toRegister = new ConcurrentLinkedQueue<>();
    private final Queue<Conn> wantWrite = new ConcurrentLinkedQueue<>();
    private final List<Conn> conns = new ArrayList<>();
    private final AtomicLong controlIds = new AtomicLong(10);
    private volatile boolean running = true;
    private volatile Window window;
    private volatile DeliveryObserver observer;

    /** Told of each delivery on the I/O thread (used by {@link SoakBench} to match deliveries to sends). */
    interface DeliveryObserver {
        void delivered(int receiver, int sender);
    }

    final LongAdder deliveriesSeen = new LongAdder();
    final LongAdder acks = new LongAdder();
    final LongAdder sendErrors = new LongAdder();
    final LongAdder closedByServer = new LongAdder();
    /** Connections that ended for any reason before {@link #close()}: a close frame, an EOF, an I/O or framing error. */
    final LongAdder connectionsLost = new LongAdder();
    final Map<String, LongAdder> errorCodes = new ConcurrentHashMap<>();

    LoadGenerator(URI webSocketUri) throws IOException {
        this(webSocketUri, Dialect.PARLEY);
    }

    /** Clients speaking {@code dialect} to the WebSocket endpoint at {@code webSocketUri} (its query kept). */
    LoadGenerator(URI webSocketUri, Dialect dialect) throws IOException {
        this.dialect = dialect;
        this.address = new InetSocketAddress(webSocketUri.getHost(), webSocketUri.getPort());
        String rawPath = webSocketUri.getRawPath() == null || webSocketUri.getRawPath().isEmpty() ? "/" : webSocketUri.getRawPath();
        this.path = webSocketUri.getRawQuery() == null ? rawPath : rawPath + "?" + webSocketUri.getRawQuery();
        this.hostHeader = webSocketUri.getHost() + ":" + webSocketUri.getPort();
        this.selector = Selector.open();
        this.ioThread = new Thread(this::loop, "loadgen-io");
        this.ioThread.setDaemon(true);
        this.ioThread.start();
    }

    long ioThreadId() {
        return ioThread.getId();
    }

    int size() {
        return conns.size();
    }

    void window(Window w) {
        this.window = w;
    }

    void observer(DeliveryObserver o) {
        this.observer = o;
    }

    /**
     * Opens one connection per user, at most {@code batch} handshakes at a time, and waits until
     * each has its {@code hello} answered.
     *
     * @throws IOException when a connection fails or does not sign in within {@code timeoutSeconds}
     */
    void connect(List<String> userIds, int batch, int timeoutSeconds) throws IOException {
        // a sliding window: a new handshake starts as soon as one of the batch has signed in (or failed)
        Semaphore slots = new Semaphore(batch);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (String user : userIds) {
            try {
                if (!slots.tryAcquire(timeoutSeconds, TimeUnit.SECONDS)) {
                    throw new IOException("connections did not sign in within " + timeoutSeconds + " s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting", e);
            }
            Conn c = new Conn(conns.size(), user);
            conns.add(c);
            c.ready.whenComplete((ok, failure) -> slots.release());
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.socket().setTcpNoDelay(true);
            c.channel = ch;
            ch.connect(address);
            toRegister.add(c);
            selector.wakeup();
            all.add(c.ready);
        }
        await(all, timeoutSeconds);
    }

    private static void await(List<CompletableFuture<Void>> futures, int timeoutSeconds) throws IOException {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("connections did not sign in: " + e, e);
        }
    }

    /**
     * Sends a control command (JSON fields after the id, e.g. {@code "type":"…",…}) and returns its
     * reply. Parley and {@link Dialect#WS} only.
     */
    CompletableFuture<String> request(int conn, String fieldsAfterId) {
        if (dialect == Dialect.SOCKET_IO) {
            throw new IllegalStateException("Socket.IO clients emit events: use emit()");
        }
        Conn c = conns.get(conn);
        long id = controlIds.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        c.pending.put(id, reply);
        c.send(WsFrames.text("{\"id\":" + id + "," + fieldsAfterId + "}"));
        return reply;
    }

    /** Emits a Socket.IO event with an ack; the future gets the ack's data ({@code [ … ]}). */
    CompletableFuture<String> emit(int conn, String event, String argsJson) {
        if (dialect != Dialect.SOCKET_IO) {
            throw new IllegalStateException("emit() is for Socket.IO clients; this generator speaks " + dialect);
        }
        Conn c = conns.get(conn);
        long id = controlIds.incrementAndGet();
        CompletableFuture<String> reply = new CompletableFuture<>();
        c.pending.put(id, reply);
        c.send(WsFrames.text(EngineIo.event(event, argsJson, id)));
        return reply;
    }

    /**
     * Puts {@code conn} into room {@code room} of a baseline server ({@code join}); Parley has no
     * join: its rooms are conversations created with their members.
     */
    CompletableFuture<String> join(int conn, String room) {
        return switch (dialect) {
            case WS -> request(conn, "\"type\":\"join\",\"conversationId\":\"" + room + "\"");
            case SOCKET_IO -> emit(conn, "join", "\"" + room + "\"");
            case PARLEY -> throw new IllegalStateException("Parley rooms are created with conversation.create");
        };
    }

    /** Publishes one benchmark message from {@code conn} to {@code conversationId}. */
    void publish(int conn, String conversationId, long scheduledNanos) {
        Conn c = conns.get(conn);
        long n = c.sends++;
        String fields = "\"conversationId\":\"" + conversationId + "\",\"clientMsgId\":\"c" + n
                + "\",\"body\":{\"text\":\"b " + conn + " " + scheduledNanos + "\"}}";
        String json = dialect == Dialect.SOCKET_IO
                ? EngineIo.event("send", "{" + fields, SEND_ID_BASE + n)
                : "{\"id\":" + (SEND_ID_BASE + n) + ",\"type\":\"send\"," + fields;
        c.send(WsFrames.text(json));
    }

    /** Extracts the string value of the first {@code "field":"…"} after {@code from} (no escapes expected). */
    static String stringField(String json, String field, int from) {
        String key = "\"" + field + "\":\"";
        int i = json.indexOf(key, from);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    private void loop() {
        while (running) {
            try {
                selector.select(100);
                Conn c;
                while ((c = toRegister.poll()) != null) {
                    c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                }
                while ((c = wantWrite.poll()) != null) {
                    if (c.key != null && c.key.isValid()) {
                        c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
                    }
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn conn = (Conn) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            conn.channel.finishConnect();
                            key.interestOps(SelectionKey.OP_READ);
                            conn.startHandshake();
                        }
                        if (key.isValid() && key.isWritable()) {
                            conn.flush();
                        }
                        if (key.isValid() && key.isReadable()) {
                            conn.read();
                        }
                    } catch (IOException | WsFrames.ProtocolError e) {
                        conn.fail(e);
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            ioThread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Conn c : conns) {
            if (c.channel != null) {
                c.channel.close();
            }
        }
        selector.close();
    }

    private enum State { HANDSHAKE, OPENING, HELLO, READY, CLOSED }

    /** One client connection; its reads run on the I/O thread, its writes on any thread (locked). */
    private final class Conn implements WsFrames.Handler {
        final int index;
        final String user;
        final String wsKey = WsFrames.newKey();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        final Map<Long, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
        final WsFrames.Parser parser = new WsFrames.Parser(MAX_FRAME);
        final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(2048);
        State state = State.HANDSHAKE;
        long sends;

        Conn(int index, String user) {
            this.index = index;
            this.user = user;
        }

        void startHandshake() {
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + wsKey + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (dialect == Dialect.PARLEY ? "Sec-WebSocket-Protocol: parley.v1\r\n" : "") + "\r\n";
            send(request.getBytes(StandardCharsets.US_ASCII));
        }

        synchronized void send(byte[] bytes) {
            if (state == State.CLOSED) {
                return;
            }
            ByteBuffer b = ByteBuffer.wrap(bytes);
            if (outbound.isEmpty()) {
                try {
                    channel.write(b);
                } catch (IOException e) {
                    fail(e);
                    return;
                }
                if (!b.hasRemaining()) {
                    return;
                }
                outbound.add(b);
                wantWrite.add(this);
                selector.wakeup();
            } else {
                outbound.add(b);
            }
        }

        synchronized void flush() throws IOException {
            while (!outbound.isEmpty()) {
                ByteBuffer b = outbound.peek();
                channel.write(b);
                if (b.hasRemaining()) {
                    return;
                }
                outbound.poll();
            }
            SelectionKey k = channel.keyFor(selector);
            k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
        }

        void read() throws IOException, WsFrames.ProtocolError {
            while (true) {
                if (!in.hasRemaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                int n = channel.read(in);
                if (n < 0) {
                    fail(new IOException("server closed the connection"));
                    return;
                }
                if (n == 0) {
                    return;
                }
                in.flip();
                if (state == State.HANDSHAKE && !readHandshake()) {
                    in.compact();
                    continue;
                }
                parser.feed(in, this);
                in.compact();
            }
        }

        private boolean readHandshake() throws IOException {
            int end = -1;
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    end = i + 4;
                    break;
                }
            }
            if (end < 0) {
                return false;
            }
            byte[] head = new byte[end - in.position()];
            in.get(head);
            String response = new String(head, StandardCharsets.ISO_8859_1);
            String lower = response.toLowerCase(java.util.Locale.ROOT);
            if (!response.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + response.lines().findFirst().orElse(""));
            }
            if (!lower.contains("sec-websocket-accept: " + WsFrames.acceptFor(wsKey).toLowerCase(java.util.Locale.ROOT))) {
                throw new IOException("handshake answered with a wrong Sec-WebSocket-Accept");
            }
            if (dialect == Dialect.SOCKET_IO) {
                state = State.OPENING; // the server speaks first: Engine.IO's open packet
                return true;
            }
            state = State.HELLO;
            send(WsFrames.text("{\"id\":1,\"type\":\"hello\",\"token\":\"dev:" + user
                    + "\",\"client\":{\"name\":\"parley-loadgen\",\"version\":\"1\"}}"));
            return true;
        }

        @Override
        public void onText(String text) {
            if (dialect == Dialect.SOCKET_IO) {
                onEngineIo(text);
                return;
            }
            if (text.startsWith("{\"re\":") || text.contains("\"re\":")) {
                onReply(text);
                return;
            }
            if (!onDelivery(text) && text.contains("\"type\":\"ping\"")) {
                send(WsFrames.text("{\"type\":\"pong\"}"));
            }
        }

        private void onEngineIo(String text) {
            EngineIo.Packet p;
            try {
                p = EngineIo.decode(text);
            } catch (EngineIo.MalformedPacket e) {
                fail(new IOException(e.getMessage(), e));
                return;
            }
            switch (p.type()) {
                case OPEN -> {
                    if (state == State.OPENING) {
                        state = State.HELLO;
                        send(WsFrames.text(EngineIo.connect("{\"token\":\"dev:" + user + "\"}")));
                    }
                }
                case PING -> send(WsFrames.text(EngineIo.pong()));
                case CLOSE -> fail(new IOException("Engine.IO close from the server"));
                case MESSAGE -> {
                    switch (p.socketType()) {
                        case EVENT -> onDelivery(p.data());
                        case ACK -> onReply(p.ackId(), p.data().contains("\"ok\":true"), p.data());
                        case CONNECT -> {
                            if (state == State.HELLO) {
                                state = State.READY;
                                ready.complete(null);
                            }
                        }
                        case CONNECT_ERROR -> {
                            ready.completeExceptionally(new IOException("Socket.IO connect refused for " + user + ": " + p.data()));
                            countError(p.data());
                        }
                        case DISCONNECT -> fail(new IOException("Socket.IO disconnect from the server"));
                    }
                }
                case PONG, UPGRADE, NOOP -> {
                    // nothing to do on the WebSocket transport
                }
            }
        }

        /** Counts and times a benchmark message from another client; false when {@code text} holds none. */
        private boolean onDelivery(String text) {
            int t = text.indexOf("\"text\":\"b ");
            if (t < 0) {
                return false;
            }
            int s = t + 10;
            int space = text.indexOf(' ', s);
            int sender = Integer.parseInt(text, s, space, 10);
            if (sender == index) {
                return true;
            }
            long now = System.nanoTime();
            long scheduled = Long.parseLong(text, space + 1, text.indexOf('"', space + 1), 10);
            deliveriesSeen.increment();
            DeliveryObserver o = observer;
            if (o != null) {
                o.delivered(index, sender);
            }
            Window w = window;
            if (w != null && scheduled >= w.from && scheduled < w.until) {
                w.latency.recordValue(Math.min(Math.max(0, now - scheduled), TimeUnit.SECONDS.toNanos(60)));
                w.delivered.increment();
            }
            return true;
        }

        private void onReply(String text) {
            int r = text.indexOf("\"re\":") + 5;
            int end = r;
            while (end < text.length() && Character.isDigit(text.charAt(end))) {
                end++;
            }
            if (end == r) {
                countError(text);
                return;
            }
            onReply(Long.parseLong(text, r, end, 10), text.contains("\"ok\":true"), text);
        }

        private void onReply(long id, boolean ok, String text) {
            if (id >= SEND_ID_BASE) {
                if (ok) {
                    acks.increment();
                    onAck(text);
                } else {
                    sendErrors.increment();
                    countError(text);
                }
            } else if (id == 1 && state == State.HELLO) {
                if (ok) {
                    state = State.READY;
                    ready.complete(null);
                } else {
                    ready.completeExceptionally(new IOException("hello refused for " + user + ": " + text));
                }
            } else {
                CompletableFuture<String> f = pending.remove(id);
                if (f != null) {
                    f.complete(text);
                }
            }
        }

        /** Times a send's ack by the scheduled time its echoed message carries. */
        private void onAck(String text) {
            Window w = window;
            int t = text.indexOf("\"text\":\"b ");
            if (w == null || t < 0) {
                return;
            }
            long now = System.nanoTime();
            int space = text.indexOf(' ', t + 10);
            long scheduled = Long.parseLong(text, space + 1, text.indexOf('"', space + 1), 10);
            if (scheduled >= w.from && scheduled < w.until) {
                w.ackLatency.recordValue(Math.min(Math.max(0, now - scheduled), TimeUnit.SECONDS.toNanos(60)));
                w.acked.increment();
            }
        }

        private void countError(String text) {
            String code = stringField(text, "code", 0);
            errorCodes.computeIfAbsent(code == null ? "?" : code, k -> new LongAdder()).increment();
        }

        @Override
        public void onPing(byte[] payload) {
            send(WsFrames.clientFrame(WsFrames.PONG, payload));
        }

        @Override
        public void onClose(int code, String reason) {
            closedByServer.increment();
            errorCodes.computeIfAbsent("close " + code, k -> new LongAdder()).increment();
            send(WsFrames.clientFrame(WsFrames.CLOSE, new byte[] {(byte) (code >>> 8), (byte) code}));
            fail(new IOException("closed by the server: " + code + " " + reason));
        }

        void fail(Exception e) {
            synchronized (this) {
                if (state == State.CLOSED) {
                    return;
                }
                state = State.CLOSED;
            }
            connectionsLost.increment();
            ready.completeExceptionally(e);
            pending.values().forEach(f -> f.completeExceptionally(e));
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
