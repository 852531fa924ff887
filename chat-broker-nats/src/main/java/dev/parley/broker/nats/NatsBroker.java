package dev.parley.broker.nats;

import dev.parley.broker.nats.internal.DeliveryCodec;
import dev.parley.broker.nats.internal.MalformedPayload;
import dev.parley.broker.nats.internal.NamedThreadFactory;
import dev.parley.broker.nats.internal.OrderedLane;
import dev.parley.broker.nats.internal.PresenceMesh;
import dev.parley.broker.nats.internal.MissedSignal;
import dev.parley.core.ChatException;
import dev.parley.core.event.Delivery;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.Broker;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.core.spi.ClusterPresence;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ServerInfo;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Broker} over core NATS for multi-node deployments: every node publishes the
 * engine's deliveries on {@code <prefix>.events} and hands the deliveries of all nodes to its
 * own subscribers; presence is shared on {@code <prefix>.presence} (see
 * {@link #clusterPresence()}). Fan-out is at-most-once; every loss this node can notice
 * (reconnect, a full subscriber queue, a gap in a publisher's numbering) is reported through
 * {@link #onDeliveriesMissed} so that clients catch up from the store. The design and its
 * bounds are in {@code docs/clustering.md}.
 *
 * <pre>{@code
 * try (NatsBroker broker = NatsBroker.builder()
 *         .servers("nats://127.0.0.1:4222")
 *         .subjectPrefix("parley")
 *         .nodeId("node-a")
 *         .build();
 *      ChatEngine engine = ChatEngine.builder().store(store).broker(broker).build()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Deliveries published by one node reach each subscriber of every node in publish order
 * (one NATS connection, one subject, one ordered queue per subscriber). Each subscriber has
 * its own bounded queue drained on the broker's executor, so a slow subscriber never blocks
 * the NATS dispatcher: when its queue is full, deliveries to it are dropped, counted
 * ({@link NatsBrokerStats#droppedForSlowSubscribers()}) and reported as missed.
 */
public final class NatsBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(NatsBroker.class);
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final long DEFAULT_MAX_PAYLOAD = 1024 * 1024;
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration CLOSE_FLUSH = Duration.ofSeconds(2);

    private final Connection connection;
    private final boolean ownsConnection;
    private final String eventsSubject;
    private final String presenceSubject;
    private final String nodeId;
    private final String incarnation;
    private final int subscriberQueueCapacity;
    private final DeliveryCodec deliveries;
    private final Clock clock;
    private final ChatMetrics metrics;
    private final ProtocolCodec codec = new ProtocolCodec();
    private final ScheduledExecutorService scheduler;
    private final Executor pool;
    private final ExecutorService ownedPool;
    private final CopyOnWriteArrayList<OrderedLane<Delivery>> lanes = new CopyOnWriteArrayList<>();
    private final PresenceMesh mesh;
    private final MissedSignal missed;
    private final Dispatcher dispatcher;
    private final ConnectionListener connectionListener = this::connectionEvent;

    /** Guards the numbering and the order of everything this node publishes. */
    private final Object publishLock = new Object();
    private long deliverySeq;
    /** Last delivery number seen from each publishing incarnation, to notice gaps; dispatcher thread only. */
    private final ConcurrentHashMap<String, PublisherState> publishers = new ConcurrentHashMap<>();

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong publishFailures = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong droppedForSlowSubscribers = new AtomicLong();
    private final AtomicLong missingFromPublishers = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);
    private volatile long natsDroppedSeen;
    private volatile boolean closed;

    private static final class PublisherState {
        long lastSeq;
        long lastHeardNanos;

        PublisherState(long lastSeq, long now) {
            this.lastSeq = lastSeq;
            this.lastHeardNanos = now;
        }
    }

    private NatsBroker(Builder b) {
        this.nodeId = b.nodeId != null ? b.nodeId : "node-" + randomHex(4);
        this.incarnation = nodeId + "-" + randomHex(8);
        this.eventsSubject = b.subjectPrefix + ".events";
        this.presenceSubject = b.subjectPrefix + ".presence";
        this.subscriberQueueCapacity = b.subscriberQueueCapacity;
        this.deliveries = new DeliveryCodec(codec);
        this.clock = b.clock;
        this.metrics = b.metrics;
        this.ownsConnection = b.connection == null;
        this.connection = ownsConnection ? connect(b, nodeId, new ErrorListener() {
            @Override
            public void slowConsumerDetected(Connection conn, Consumer consumer) {
                warnLimited("NATS slow consumer: the client is dropping messages (pending "
                        + consumer.getPendingMessageCount() + ")", null);
            }

            @Override
            public void errorOccurred(Connection conn, String error) {
                log.warn("NATS broker {}: server error: {}", nodeId, error);
            }

            @Override
            public void exceptionOccurred(Connection conn, Exception exp) {
                log.debug("NATS broker {}: connection exception: {}", nodeId, exp.toString());
            }
        }) : b.connection;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(new NamedThreadFactory("parley-nats-" + nodeId));
        if (b.executor == null) {
            this.ownedPool = Executors.newFixedThreadPool(2, new NamedThreadFactory("parley-nats-deliver-" + nodeId));
            this.pool = ownedPool;
        } else {
            this.ownedPool = null;
            this.pool = b.executor;
        }
        this.missed = new MissedSignal(pool, scheduler, b.heartbeatInterval, System::nanoTime);
        this.mesh = new PresenceMesh(nodeId, incarnation, b.heartbeatInterval, b.presenceTtl, scheduler, pool,
                new PresenceMesh.Transport() {
                    @Override
                    public void publish(LongFunction<byte[]> build) {
                        publishPresence(build);
                    }

                    @Override
                    public boolean connected() {
                        return connection.getStatus() == Connection.Status.CONNECTED;
                    }
                }, codec.mapper(), System::nanoTime, b.clock);
        connection.addConnectionListener(connectionListener);
        this.dispatcher = connection.createDispatcher();
        dispatcher.subscribe(eventsSubject, this::onDelivery);
        dispatcher.subscribe(presenceSubject, this::onPresence);
        try {
            connection.flush(Duration.ofSeconds(5)); // the subscriptions are active when build() returns
        } catch (Exception e) {
            log.warn("NATS flush after subscribing did not complete: {}", e.toString());
        }
        mesh.start();
        long check = b.heartbeatInterval.toNanos();
        scheduler.scheduleAtFixedRate(this::housekeeping, check, check, TimeUnit.NANOSECONDS);
        log.info("NATS broker {} ({}) on {} and {}", nodeId, incarnation, eventsSubject, presenceSubject);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Connection connect(Builder b, String nodeId, ErrorListener errors) {
        Options options = new Options.Builder()
                .servers(b.servers.toArray(String[]::new))
                .connectionName("parley-" + nodeId)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(500))
                .noEcho()
                .errorListener(errors)
                .build();
        try {
            return Nats.connect(options);
        } catch (IOException e) {
            throw ChatException.unavailable("cannot connect to NATS at " + b.servers + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ChatException.unavailable("interrupted while connecting to NATS", e);
        }
    }

    // ------------------------------------------------------------------ Broker

    /**
     * Publishes to every node and hands the delivery to this node's subscribers directly (no
     * round trip through NATS, so a node keeps serving its own users while NATS is away). A
     * failure to publish is logged and counted, never thrown: fan-out is at-most-once.
     */
    @Override
    public void publish(Delivery delivery) {
        Objects.requireNonNull(delivery, "delivery");
        if (closed) {
            return;
        }
        String event = deliveries.event(delivery.event());
        synchronized (publishLock) {
            publishSplit(new ArrayList<>(delivery.recipients()), event, maxPayload());
            offerLocally(delivery);
        }
    }

    /** Recipient lists too long for one NATS message are split; the parts leave back to back. */
    private void publishSplit(List<String> recipients, String event, long maxPayload) {
        byte[] payload = deliveries.encode(incarnation, deliverySeq + 1, clock.millis(), new HashSet<>(recipients), event);
        if (payload.length > maxPayload && recipients.size() > 1) {
            int half = recipients.size() / 2;
            publishSplit(recipients.subList(0, half), event, maxPayload);
            publishSplit(recipients.subList(half, recipients.size()), event, maxPayload);
            return;
        }
        deliverySeq++;
        try {
            if (payload.length > maxPayload) {
                throw new IllegalArgumentException("delivery of " + payload.length + " bytes exceeds the NATS max payload "
                        + maxPayload);
            }
            connection.publish(eventsSubject, payload);
            published.incrementAndGet();
        } catch (RuntimeException e) {
            // The number is spent: receivers see the gap and report missed deliveries.
            publishFailures.incrementAndGet();
            warnLimited("NATS publish failed (" + e.getMessage() + "); other nodes miss this delivery", e);
        }
    }

    @Override
    public void publishLocal(Delivery delivery) {
        Objects.requireNonNull(delivery, "delivery");
        if (!closed) {
            offerLocally(delivery);
        }
    }

    @Override
    public AutoCloseable subscribe(java.util.function.Consumer<Delivery> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (closed) {
            throw new IllegalStateException("broker is closed");
        }
        OrderedLane<Delivery> lane = new OrderedLane<>("nats subscriber", subscriber, pool, subscriberQueueCapacity);
        lanes.add(lane);
        return () -> {
            lanes.remove(lane);
            lane.close();
        };
    }

    /** Presence shared with the other nodes over NATS; always present. */
    @Override
    public Optional<ClusterPresence> clusterPresence() {
        return Optional.of(mesh);
    }

    @Override
    public AutoCloseable onDeliveriesMissed(Runnable callback) {
        return missed.add(Objects.requireNonNull(callback, "callback"));
    }

    /** This node's id. */
    public String nodeId() {
        return nodeId;
    }

    /** Ids of the nodes whose presence this node currently holds (heard within the TTL, in sync), this one included. */
    public Set<String> liveNodes() {
        return mesh.liveNodes();
    }

    /** Counters since this broker started. */
    public NatsBrokerStats stats() {
        return new NatsBrokerStats(published.get(), publishFailures.get(), received.get(), malformed.get(),
                droppedForSlowSubscribers.get(), natsDropped(), missingFromPublishers.get(), reconnects.get(),
                missed.fired(), mesh.liveNodes().size());
    }

    /**
     * Tells the other nodes that this one leaves (its users go offline there at once), stops
     * the subscriptions and, when the broker opened the connection, closes it. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        mesh.close();
        closed = true;
        lanes.forEach(OrderedLane::close);
        lanes.clear();
        try {
            connection.removeConnectionListener(connectionListener);
            if (connection.getStatus() != Connection.Status.CLOSED) {
                connection.closeDispatcher(dispatcher);
                connection.flush(CLOSE_FLUSH);
            }
        } catch (Exception e) {
            log.debug("NATS broker {}: unsubscribing on close: {}", nodeId, e.toString());
        }
        if (ownsConnection) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        scheduler.shutdownNow();
        if (ownedPool != null) {
            ownedPool.shutdown();
            try {
                // deliveries already handed to subscribers finish before close returns, so that a
                // caller closing its engine and store next does not race them (bounded wait)
                if (!ownedPool.awaitTermination(CLOSE_FLUSH.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("NATS broker {}: subscriber tasks still running after {}", nodeId, CLOSE_FLUSH);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        log.info("NATS broker {} closed", nodeId);
    }

    // ------------------------------------------------------------------ receiving (NATS dispatcher thread)

    private void onDelivery(Message message) {
        DeliveryCodec.Envelope envelope;
        try {
            envelope = deliveries.decode(message.getData());
        } catch (MalformedPayload e) {
            malformed(message, e);
            return;
        }
        if (envelope.from().equals(incarnation)) {
            return; // our own, echoed by an app-owned connection: already delivered locally
        }
        received.incrementAndGet();
        if (envelope.publishedAtMillis() >= 0) {
            long lagMillis = Math.max(0, clock.millis() - envelope.publishedAtMillis());
            metrics.brokerLag(TimeUnit.MILLISECONDS.toNanos(lagMillis));
        }
        checkSequence(envelope.from(), envelope.seq(), false);
        offerLocally(envelope.delivery());
    }

    private void onPresence(Message message) {
        PresenceMesh.Msg msg;
        try {
            msg = PresenceMesh.parse(codec.mapper(), message.getData());
        } catch (MalformedPayload e) {
            malformed(message, e);
            return;
        }
        if (mesh.isOwn(msg)) {
            return;
        }
        if (msg.type().equals("hb")) {
            // Same dispatcher as the deliveries, so a heartbeat is seen after the deliveries sent before it.
            checkSequence(msg.inc(), msg.dseq(), true);
        }
        mesh.receive(msg);
    }

    /**
     * Notices deliveries of one publisher that never arrived: a jump in its numbers, or a
     * heartbeat announcing a number above the last one seen. The first contact sets the start.
     */
    private void checkSequence(String from, long seq, boolean heartbeat) {
        long now = System.nanoTime();
        PublisherState state = publishers.get(from);
        if (state == null) {
            publishers.put(from, new PublisherState(seq, now));
            return;
        }
        state.lastHeardNanos = now;
        long expected = heartbeat ? state.lastSeq : state.lastSeq + 1;
        if (seq > expected) {
            long lost = heartbeat ? seq - state.lastSeq : seq - state.lastSeq - 1;
            missingFromPublishers.addAndGet(lost);
            missed.signal(lost + " delivery(ies) from " + from + " never arrived");
        }
        if (seq > state.lastSeq) {
            state.lastSeq = seq;
        }
    }

    private void offerLocally(Delivery delivery) {
        for (OrderedLane<Delivery> lane : lanes) {
            if (!lane.offer(delivery)) {
                droppedForSlowSubscribers.incrementAndGet();
                warnLimited("subscriber queue full (" + subscriberQueueCapacity + "); delivery dropped", null);
                missed.signal("a subscriber's queue overflowed");
            }
        }
    }

    private void malformed(Message message, MalformedPayload e) {
        malformed.incrementAndGet();
        warnLimited("dropped a malformed payload on " + message.getSubject() + ": " + e.getMessage(), null);
    }

    // ------------------------------------------------------------------ connection, housekeeping

    private void publishPresence(LongFunction<byte[]> build) {
        synchronized (publishLock) {
            connection.publish(presenceSubject, build.apply(deliverySeq));
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> log.warn("NATS broker {}: connection lost; cross-node deliveries stop until it is back",
                    nodeId);
            case RECONNECTED -> {
                reconnects.incrementAndGet();
                log.info("NATS broker {}: reconnected to {}", nodeId, conn.getConnectedUrl());
                mesh.reconnected();
                missed.signal("NATS connection was lost and is back");
            }
            case CLOSED -> {
                if (!closed) {
                    log.error("NATS broker {}: the NATS connection was closed under the broker; no more cross-node "
                            + "deliveries or presence", nodeId);
                }
            }
            case LAME_DUCK -> log.info("NATS broker {}: server entering lame duck mode; expect a reconnect", nodeId);
            default -> log.debug("NATS broker {}: {}", nodeId, event);
        }
    }

    /** Notices messages the NATS client dropped, and forgets publishers long gone. */
    private void housekeeping() {
        try {
            long dropped = natsDropped();
            if (dropped > natsDroppedSeen) {
                warnLimited("NATS client dropped " + (dropped - natsDroppedSeen) + " message(s) (slow consumer)", null);
                natsDroppedSeen = dropped;
                missed.signal("the NATS client dropped messages");
            }
            long stale = System.nanoTime() - TimeUnit.HOURS.toNanos(1);
            publishers.values().removeIf(p -> p.lastHeardNanos < stale);
        } catch (RuntimeException e) {
            log.warn("NATS broker housekeeping failed", e);
        }
    }

    private long natsDropped() {
        try {
            return dispatcher.getDroppedCount();
        } catch (RuntimeException e) {
            return natsDroppedSeen;
        }
    }

    private long maxPayload() {
        ServerInfo info = connection.getServerInfo();
        return info == null || info.getMaxPayload() <= 0 ? DEFAULT_MAX_PAYLOAD : info.getMaxPayload();
    }

    private void warnLimited(String message, Throwable t) {
        long now = System.nanoTime();
        long last = lastWarnNanos.get();
        if (now - last >= WARN_EVERY_NANOS && lastWarnNanos.compareAndSet(last, now)) {
            log.warn("NATS broker {}: {} (further ones within 1 s at debug)", nodeId, message, t);
        } else {
            log.debug("NATS broker {}: {}", nodeId, message, t);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ builder

    /**
     * Configures a {@link NatsBroker}. Setting an option twice fails; invalid values fail in
     * {@link #build()} with the option's name. Exactly one of {@link #servers} and
     * {@link #connection} is required.
     */
    public static final class Builder {
        private List<String> servers;
        private Connection connection;
        private String subjectPrefix = "parley";
        private String nodeId;
        private Duration heartbeatInterval = Duration.ofSeconds(2);
        private Duration presenceTtl = Duration.ofSeconds(10);
        private int subscriberQueueCapacity = 10_000;
        private Executor executor;
        private Clock clock = Clock.systemUTC();
        private ChatMetrics metrics = ChatMetrics.none();
        private final Set<String> set = new HashSet<>();

        private Builder() {
        }

        private void once(String option) {
            if (!set.add(option)) {
                throw new IllegalStateException(option + " is already set");
            }
        }

        /** NATS server URLs ({@code nats://host:port}); the broker opens, owns and closes the connection. */
        public Builder servers(String... urls) {
            once("servers");
            this.servers = List.of(Objects.requireNonNull(urls, "servers"));
            return this;
        }

        /**
         * A connection the application owns (its own options, credentials, TLS); the broker
         * never closes it. With {@code noEcho} off the broker still ignores its own messages.
         */
        public Builder connection(Connection connection) {
            once("connection");
            this.connection = Objects.requireNonNull(connection, "connection");
            return this;
        }

        /** First subject tokens, e.g. {@code parley} or {@code acme.chat} (default {@code parley}); all nodes of a deployment use the same. */
        public Builder subjectPrefix(String prefix) {
            once("subjectPrefix");
            this.subjectPrefix = Objects.requireNonNull(prefix, "subjectPrefix");
            return this;
        }

        /** This node's id, unique in the deployment: 1–64 of {@code A-Z a-z 0-9 _ . -} (default random). */
        public Builder nodeId(String nodeId) {
            once("nodeId");
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /** How often this node refreshes its presence lease (default 2 s). */
        public Builder heartbeatInterval(Duration interval) {
            once("heartbeatInterval");
            this.heartbeatInterval = Objects.requireNonNull(interval, "heartbeatInterval");
            return this;
        }

        /**
         * How long a node may stay silent before the others drop its users as offline (default
         * 10 s; at least twice the heartbeat interval). A dead node's users go offline within
         * TTL + one heartbeat interval of its last message.
         */
        public Builder presenceTtl(Duration ttl) {
            once("presenceTtl");
            this.presenceTtl = Objects.requireNonNull(ttl, "presenceTtl");
            return this;
        }

        /** Deliveries waiting for one local subscriber; more are dropped and reported (default 10,000). */
        public Builder subscriberQueueCapacity(int capacity) {
            once("subscriberQueueCapacity");
            this.subscriberQueueCapacity = capacity;
            return this;
        }

        /** Runs subscribers and presence watchers (default: a pool of 2 daemon threads the broker owns). */
        public Builder executor(Executor executor) {
            once("executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Time source for last-seen times (default UTC system clock). */
        public Builder clock(Clock clock) {
            once("clock");
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the broker reports {@code brokerLag}: for each delivery from another node, the
         * time since that node published it, by the two nodes' {@link #clock clocks} (whose
         * difference it includes); default {@link ChatMetrics#none()}.
         *
         * @since 0.1.0
         */
        public Builder metrics(ChatMetrics metrics) {
            once("metrics");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Validates, connects (when {@link #servers} was given) and subscribes.
         *
         * @throws IllegalArgumentException for an invalid option, naming it
         * @throws IllegalStateException    when neither or both of servers and connection are set
         * @throws ChatException            {@code unavailable} when NATS cannot be reached
         */
        public NatsBroker build() {
            if ((servers == null) == (connection == null)) {
                throw new IllegalStateException("set exactly one of servers and connection");
            }
            if (servers != null) {
                if (servers.isEmpty()) {
                    throw new IllegalArgumentException("servers must not be empty");
                }
                for (String url : servers) {
                    if (url == null || url.isBlank()) {
                        throw new IllegalArgumentException("servers must not contain a blank URL");
                    }
                }
            }
            if (!PREFIX.matcher(subjectPrefix).matches()) {
                throw new IllegalArgumentException("subjectPrefix must be dot-separated tokens of A-Z a-z 0-9 _ -: '"
                        + subjectPrefix + "'");
            }
            if (nodeId != null && !NODE_ID.matcher(nodeId).matches()) {
                throw new IllegalArgumentException("nodeId must be 1-64 of A-Z a-z 0-9 _ . -: '" + nodeId + "'");
            }
            if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
                throw new IllegalArgumentException("heartbeatInterval must be positive: " + heartbeatInterval);
            }
            if (presenceTtl.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("presenceTtl must be at least twice heartbeatInterval: "
                        + presenceTtl + " < 2 x " + heartbeatInterval);
            }
            if (subscriberQueueCapacity < 1) {
                throw new IllegalArgumentException("subscriberQueueCapacity must be positive: " + subscriberQueueCapacity);
            }
            return new NatsBroker(this);
        }
    }
}
