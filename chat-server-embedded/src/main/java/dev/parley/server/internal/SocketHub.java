package dev.parley.server.internal;

import dev.parley.core.ChatEngine;
import dev.parley.core.event.ChatEvent.MessageEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.server.ChatServerConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared state behind the WebSocket endpoint: every open {@link Connection}, the
 * registry of authenticated ones by user for fan-out, the worker pool, the heartbeat and the
 * per-user rate limits. One per endpoint; two servers in one JVM share nothing.
 */
public final class SocketHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketHub.class);
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    /** Far longer than a hello takes from the token check to registration. */
    private static final Duration REVOKED_MEMORY = Duration.ofMinutes(5);

    private final ChatEngine engine;
    private final ChatServerConfig config;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final CommandDispatcher dispatcher;
    private final OriginPolicy origins;
    private final Executor workers;
    private final ExecutorService ownedWorkers;
    private final ExecutorService writers;
    private final ScheduledExecutorService heartbeat;
    private final LongSupplier nanoTime;
    private final ChatMetrics metrics;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, UserConnections> byUser = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicInteger openCount = new AtomicInteger();
    private final AutoCloseable subscription;
    private final AutoCloseable missedSubscription;
    /** Recently revoked login sessions and when (nanoTime), so that a hello racing the revocation is closed too. */
    private final ConcurrentHashMap<String, Long> revokedSessions = new ConcurrentHashMap<>();
    /** Backstop for sockets the heartbeat cannot reach (a write blocked by a client that stopped reading); one shared instance. */
    private final Duration socketIdleTimeout;
    private volatile boolean closing;

    /** The authenticated sockets of one user and the user's rate limit. */
    private record UserConnections(Set<Connection> connections, TokenBucket bucket) {
    }

    /**
     * @param workers the host's executor, or {@code null} to create a pool of
     *                {@link ChatServerConfig#workerThreads()} threads named {@code parley-worker-N}
     * @param metrics where sockets, commands, deliveries and dropped frames are reported
     */
    public SocketHub(ChatEngine engine, Authenticator authenticator, ChatServerConfig config, Executor workers,
                     LongSupplier nanoTime, ChatMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
        this.config = config;
        this.nanoTime = nanoTime;
        this.origins = new OriginPolicy(config.allowedOrigins());
        this.socketIdleTimeout = Duration.ofMillis(Math.max(3 * config.pingInterval().toMillis(),
                2 * config.helloTimeout().toMillis()));
        this.dispatcher = new CommandDispatcher(engine, authenticator, codec, config);
        if (workers == null) {
            this.ownedWorkers = Executors.newFixedThreadPool(config.workerThreads(), new NamedThreadFactory("parley-worker"));
            this.workers = ownedWorkers;
        } else {
            this.ownedWorkers = null;
            this.workers = workers;
        }
        // Non-blocking socket writes only: a few threads, never starved by commands waiting on the store.
        int writerThreads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        this.writers = Executors.newFixedThreadPool(writerThreads, new NamedThreadFactory("parley-io"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("parley-heartbeat"));
        long tick = tickMillis(config);
        heartbeat.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        this.subscription = engine.subscribe(this::deliver);
        this.missedSubscription = engine.onDeliveriesMissed(this::deliveriesMissed);
    }

    /** Heartbeat resolution: a fraction of the shortest timer, between 5 ms and 1 s. */
    private static long tickMillis(ChatServerConfig config) {
        long shortest = Math.min(config.pingInterval().toMillis(), config.helloTimeout().toMillis());
        return Math.max(5, Math.min(1_000, shortest / 5));
    }

    /** The endpoint configuration to deploy; each upgrade gets a fresh {@link SocketEndpoint}. */
    public ServerEndpointConfig endpointConfig() {
        return ServerEndpointConfig.Builder.create(SocketEndpoint.class, config.wsPath())
                .subprotocols(List.of(ChatServerConfig.SUBPROTOCOL))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new SocketEndpoint(SocketHub.this));
                    }

                    @Override
                    public boolean checkOrigin(String originHeaderValue) {
                        // Second line of defence when the HandshakeFilter is not installed (no JSON body then).
                        return origins.allows(originHeaderValue);
                    }
                })
                .build();
    }

    // ------------------------------------------------------------------ connections

    /** A socket was upgraded; returns its connection, or {@code null} when it was refused (and is being closed). */
    Connection open(SocketLink link) {
        if (closing) {
            link.close(CloseCodes.GOING_AWAY, "server shutting down");
            return null;
        }
        if (!ChatServerConfig.SUBPROTOCOL.equals(link.subprotocol())) {
            link.close(CloseCodes.POLICY, "subprotocol " + ChatServerConfig.SUBPROTOCOL + " is required");
            return null;
        }
        link.configure(config.maxFrameBytes(), socketIdleTimeout);
        Connection connection = new Connection(this, link, "c" + connectionIds.incrementAndGet());
        connections.add(connection);
        openCount.incrementAndGet();
        metrics.connectionOpened();
        if (closing) { // close() ran while this socket was opening
            connection.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        return connection;
    }

    /** Whether a handshake from {@code origin} (may be null) is allowed. */
    public boolean allowsOrigin(String origin) {
        return origins.allows(origin);
    }

    /**
     * Adds an authenticated connection to the fan-out registry, or closes it with 4401 when its
     * login session was revoked while its hello was being checked.
     */
    void register(Connection connection) {
        String userId = connection.userId();
        byUser.compute(userId, (id, existing) -> {
            UserConnections entry = existing != null ? existing
                    : new UserConnections(new CopyOnWriteArraySet<>(), new TokenBucket(config.userRate(), nanoTime));
            entry.connections().add(connection);
            return entry;
        });
        // Registered first, checked second; closeSessions records first, scans second: one of the two sees the other.
        String session = connection.authSessionId();
        if (session != null && revokedSessions.containsKey(session)) {
            connection.close(CloseCodes.UNAUTHENTICATED, "session revoked");
        }
    }

    /**
     * Closes, with 4401, every socket of {@code userId} opened with one of the given login
     * sessions ({@link dev.parley.core.spi.Principal#sessionId()}): logout, revocation, a
     * disabled or deleted account. Queued frames are dropped: a revoked session gets nothing more.
     *
     * @return how many sockets were closed
     */
    public int closeSessions(String userId, Collection<String> sessionIds) {
        if (closing || userId == null || sessionIds == null || sessionIds.isEmpty()) {
            return 0;
        }
        long now = now();
        revokedSessions.values().removeIf(at -> now - at > REVOKED_MEMORY.toNanos());
        sessionIds.forEach(id -> revokedSessions.put(id, now));
        UserConnections entry = byUser.get(userId);
        if (entry == null) {
            return 0;
        }
        int closed = 0;
        for (Connection connection : entry.connections()) {
            String session = connection.authSessionId();
            if (session != null && sessionIds.contains(session)) {
                connection.close(CloseCodes.UNAUTHENTICATED, "session revoked");
                closed++;
            }
        }
        if (closed > 0) {
            log.info("closed {} socket(s) of user {}: session revoked", closed, userId);
        }
        return closed;
    }

    /** A connection closed (called once): leaves the registry, and its device is disconnected after its own commands ran. */
    void unregister(Connection connection, String userId, Executor lane) {
        openCount.decrementAndGet();
        metrics.connectionClosed();
        if (userId == null) {
            return;
        }
        byUser.computeIfPresent(userId, (id, entry) -> {
            entry.connections().remove(connection);
            return entry.connections().isEmpty() ? null : entry;
        });
        Runnable disconnected = () -> {
            try {
                engine.deviceDisconnected(userId);
            } catch (RuntimeException e) {
                log.warn("presence update for {} failed", userId, e);
            }
        };
        try {
            lane.execute(disconnected);
        } catch (RejectedExecutionException e) {
            disconnected.run();
        }
    }

    /** The container finished with the socket. */
    void forget(Connection connection) {
        synchronized (connections) {
            connections.remove(connection);
            connections.notifyAll();
        }
    }

    /** The rate limit shared by all sockets of {@code userId}, or {@code null} when not authenticated. */
    TokenBucket userBucket(String userId) {
        if (userId == null) {
            return null;
        }
        UserConnections entry = byUser.get(userId);
        return entry == null ? null : entry.bucket();
    }

    /** Sockets open and not yet being closed, authenticated or not. */
    public int connectionCount() {
        return openCount.get();
    }

    // ------------------------------------------------------------------ fan-out and heartbeat

    /** Hands one engine delivery to the local sockets of its recipients, encoded once. */
    void deliver(Delivery delivery) {
        TextFrame frame = null;
        int queued = 0;
        for (String userId : delivery.recipients()) {
            UserConnections entry = byUser.get(userId);
            if (entry == null) {
                continue;
            }
            for (Connection connection : entry.connections()) {
                if (frame == null) {
                    try {
                        frame = new TextFrame(codec.event(delivery.event()));
                    } catch (RuntimeException e) {
                        log.error("cannot encode {} event; dropped", delivery.event().type(), e);
                        return;
                    }
                }
                if (connection.push(frame)) {
                    queued++;
                }
            }
        }
        if (queued > 0 && delivery.event() instanceof MessageEvent) {
            metrics.messagesDelivered(queued);
        }
    }

    /**
     * The broker may have lost deliveries on their way to this node (clustered mode: a NATS
     * reconnect, an overflow). A lost last message leaves no seq gap a client could notice, so
     * every authenticated socket is closed with 1012: its client reconnects and resumes from
     * the store, the path every client already has. The broker coalesces these calls.
     */
    void deliveriesMissed() {
        if (closing) {
            return;
        }
        int count = 0;
        for (UserConnections entry : byUser.values()) {
            for (Connection connection : entry.connections()) {
                connection.close(CloseCodes.RESUME, "events may have been missed; resume");
                count++;
            }
        }
        log.warn("broker reported missed deliveries: closed {} socket(s) with {} so that their clients resume",
                count, CloseCodes.RESUME);
    }

    private void tick() {
        long now = now();
        for (Connection connection : connections) {
            try {
                connection.heartbeat(now);
            } catch (RuntimeException e) {
                log.warn("heartbeat of {} failed", connection, e);
            }
        }
    }

    // ------------------------------------------------------------------ plumbing

    ChatServerConfig config() {
        return config;
    }

    ChatMetrics metrics() {
        return metrics;
    }

    ProtocolCodec codec() {
        return codec;
    }

    CommandDispatcher dispatcher() {
        return dispatcher;
    }

    Executor workers() {
        return workers;
    }

    Executor writers() {
        return writers;
    }

    LongSupplier nanoTime() {
        return nanoTime;
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** Runs {@code task} on the worker pool, or here when the pool no longer accepts work. */
    void runOffThread(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    public boolean isClosing() {
        return closing;
    }

    /**
     * Closes every socket with 1001 and waits briefly for the close handshakes, then stops the
     * heartbeat and the worker pool it created. Idempotent.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            subscription.close();
            missedSubscription.close();
        } catch (Exception e) {
            log.warn("unsubscribing from the engine failed", e);
        }
        heartbeat.shutdownNow();
        for (Connection connection : connections) {
            connection.close(CloseCodes.GOING_AWAY, "server shutting down");
        }
        awaitConnectionsClosed();
        writers.shutdownNow();
        if (ownedWorkers != null) {
            ownedWorkers.shutdown();
            try {
                if (!ownedWorkers.awaitTermination(5, TimeUnit.SECONDS)) {
                    ownedWorkers.shutdownNow();
                }
            } catch (InterruptedException e) {
                ownedWorkers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitConnectionsClosed() {
        long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
        synchronized (connections) {
            while (!connections.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    log.debug("{} sockets did not finish closing in time", connections.size());
                    return;
                }
                try {
                    connections.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
