package dev.parley.broker.nats.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.spi.ClusterPresence;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster presence over plain NATS publish/subscribe: node leases refreshed by heartbeats,
 * user sets replicated by numbered deltas, snapshots on demand. See {@code docs/clustering.md}.
 *
 * <p>Messages on the presence subject (JSON), each with {@code node} (the node id) and
 * {@code inc} (the incarnation: one per broker instance, so a restarted node is told apart):
 * <ul>
 *   <li>{@code hb}: {@code seq} (the node's last delta number), {@code dseq} (its last delivery
 *       number), every heartbeat interval;</li>
 *   <li>{@code up}: one local transition, {@code seq}, {@code user}, {@code online},
 *       {@code lastSeen} when offline;</li>
 *   <li>{@code snap}: the node's whole user set at {@code seq}, in {@code parts} chunks;</li>
 *   <li>{@code sync}: asks node {@code target} ({@code *}: every node) for a snapshot;</li>
 *   <li>{@code bye}: the node leaves; its users go offline at once.</li>
 * </ul>
 * A node's state at {@code seq} 0 is empty. A receiver that sees a gap in a node's numbers
 * stops applying its deltas and asks it for a snapshot; a node not heard from for the TTL
 * is dropped and its users go offline. All state lives on one lane thread; {@link #current}
 * reads concurrent maps.
 */
public final class PresenceMesh implements ClusterPresence, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PresenceMesh.class);
    /** Users per snapshot message: ~30 bytes each keeps a chunk far below NATS's 1 MB default payload. */
    static final int SNAPSHOT_CHUNK = 1_000;
    private static final long SNAPSHOT_COALESCE_MS = 20;

    /** Where the mesh's messages go. */
    public interface Transport {
        /**
         * Publishes a message built from the node's current delivery number, atomically with
         * respect to the node's deliveries (a heartbeat must not overtake a delivery it counts).
         */
        void publish(LongFunction<byte[]> build);

        /** Whether the NATS connection is up now; while it is down, silent nodes are not expired. */
        boolean connected();
    }

    /** A parsed presence message. */
    public record Msg(String type, String node, String inc, long seq, long dseq, String user, boolean online,
                      Instant lastSeen, int part, int parts, List<String> users, String target) {
    }

    private static final class Remote {
        final String node;
        final String inc;
        long seq;
        boolean synced;
        /** Its first snapshot only teaches a node that just started what it missed: not announced. */
        boolean quietSnapshot;
        final Set<String> users = new HashSet<>();
        long lastHeardNanos;
        Instant lastHeardAt;
        long pendingSeq = -1;
        int pendingNext;
        List<String> pendingUsers;

        Remote(String node, String inc) {
            this.node = node;
            this.inc = inc;
        }
    }

    private final String nodeId;
    private final String incarnation;
    private final Duration heartbeat;
    private final Duration ttl;
    private final ScheduledExecutorService lane;
    private final Executor watcherPool;
    private final Transport transport;
    private final ObjectMapper mapper;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final long startedNanos;

    private final Set<String> localVisible = ConcurrentHashMap.newKeySet();
    /** How many nodes (this one included) list each online user; written on the lane. */
    private final ConcurrentHashMap<String, Integer> holders = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<OrderedLane<PresenceEvent>> watchers = new CopyOnWriteArrayList<>();
    private volatile Set<String> liveNodes;

    // lane-confined
    private final Set<String> localUsers = new HashSet<>();
    private long localSeq;
    private final Map<String, Remote> remotes = new HashMap<>();
    private boolean snapshotScheduled;
    private final Set<String> duplicateIdWarned = new HashSet<>();
    private volatile boolean closed;

    public PresenceMesh(String nodeId, String incarnation, Duration heartbeat, Duration ttl,
                        ScheduledExecutorService lane, Executor watcherPool, Transport transport, ObjectMapper mapper,
                        LongSupplier nanoTime, Clock clock) {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.heartbeat = heartbeat;
        this.ttl = ttl;
        this.lane = lane;
        this.watcherPool = watcherPool;
        this.transport = transport;
        this.mapper = mapper;
        this.nanoTime = nanoTime;
        this.clock = clock;
        this.startedNanos = nanoTime.getAsLong();
        this.liveNodes = Set.of(nodeId);
    }

    /** Announces this node (heartbeat at seq 0), asks every node for its snapshot, starts the heartbeat. */
    public void start() {
        run(() -> {
            publishHeartbeat();
            publish(message("sync").put("target", "*"));
        });
        long period = heartbeat.toNanos();
        lane.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    }

    // ------------------------------------------------------------------ ClusterPresence

    @Override
    public void localOnline(String userId) {
        localVisible.add(userId);
        run(() -> {
            if (localUsers.add(userId)) {
                localSeq++;
                publish(message("up").put("seq", localSeq).put("user", userId).put("online", true));
                addHolder(userId, true);
            }
        });
    }

    @Override
    public void localOffline(String userId, Instant lastSeenAt) {
        Instant at = lastSeenAt != null ? lastSeenAt : now();
        localVisible.remove(userId);
        run(() -> {
            if (localUsers.remove(userId)) {
                localSeq++;
                publish(message("up").put("seq", localSeq).put("user", userId).put("online", false)
                        .put("lastSeen", at.toString()));
                removeHolder(userId, at, true);
            }
        });
    }

    @Override
    public PresenceEvent current(String userId) {
        if (localVisible.contains(userId) || holders.containsKey(userId)) {
            return new PresenceEvent(userId, PresenceStatus.ONLINE, null);
        }
        return new PresenceEvent(userId, PresenceStatus.OFFLINE, lastSeen.get(userId));
    }

    @Override
    public AutoCloseable watch(java.util.function.Consumer<PresenceEvent> transitions) {
        OrderedLane<PresenceEvent> watcher = new OrderedLane<>("presence watcher", transitions, watcherPool,
                Integer.MAX_VALUE);
        watchers.add(watcher);
        return () -> {
            watchers.remove(watcher);
            watcher.close();
        };
    }

    /** Node ids whose presence this node holds now (heard within the TTL and in sync), this one included. */
    public Set<String> liveNodes() {
        return liveNodes;
    }

    // ------------------------------------------------------------------ receiving

    /**
     * Parses a presence message (on the caller's thread, so that a bad one is counted there).
     *
     * @throws MalformedPayload when it is not a presence message this version reads
     */
    public static Msg parse(ObjectMapper mapper, byte[] payload) throws MalformedPayload {
        JsonNode m;
        try {
            m = mapper.readTree(payload);
        } catch (IOException e) {
            throw new MalformedPayload("not valid JSON");
        }
        if (m == null || !m.isObject()) {
            throw new MalformedPayload("not a JSON object");
        }
        String type = text(m, "t");
        String node = text(m, "node");
        String inc = text(m, "inc");
        if (type == null || node == null || inc == null) {
            throw new MalformedPayload("t, node and inc are required");
        }
        long seq = m.path("seq").asLong(0);
        if (seq < 0) {
            throw new MalformedPayload("negative seq");
        }
        switch (type) {
            case "hb" -> {
                return new Msg(type, node, inc, seq, m.path("dseq").asLong(0), null, false, null, 0, 0, null, null);
            }
            case "up" -> {
                String user = text(m, "user");
                if (user == null || seq < 1 || !m.path("online").isBoolean()) {
                    throw new MalformedPayload("up needs user, seq >= 1 and online");
                }
                Instant at = null;
                if (m.hasNonNull("lastSeen")) {
                    try {
                        at = Instant.parse(m.get("lastSeen").asText());
                    } catch (DateTimeParseException e) {
                        throw new MalformedPayload("lastSeen is not a time");
                    }
                }
                return new Msg(type, node, inc, seq, 0, user, m.get("online").asBoolean(), at, 0, 0, null, null);
            }
            case "snap" -> {
                int part = m.path("part").asInt(-1);
                int parts = m.path("parts").asInt(-1);
                JsonNode users = m.get("users");
                if (part < 0 || parts < 1 || part >= parts || users == null || !users.isArray()) {
                    throw new MalformedPayload("snap needs 0 <= part < parts and users");
                }
                List<String> list = new ArrayList<>(users.size());
                for (JsonNode u : users) {
                    if (!u.isTextual()) {
                        throw new MalformedPayload("snap user is not a string");
                    }
                    list.add(u.asText());
                }
                return new Msg(type, node, inc, seq, 0, null, false, null, part, parts, list, null);
            }
            case "sync" -> {
                String target = text(m, "target");
                if (target == null) {
                    throw new MalformedPayload("sync needs target");
                }
                return new Msg(type, node, inc, 0, 0, null, false, null, 0, 0, null, target);
            }
            case "bye" -> {
                return new Msg(type, node, inc, 0, 0, null, false, null, 0, 0, null, null);
            }
            default -> throw new MalformedPayload("unknown presence message " + type);
        }
    }

    /** Whether the message came from this very broker (NATS echo of an app-owned connection). */
    public boolean isOwn(Msg msg) {
        return incarnation.equals(msg.inc());
    }

    /** Applies a parsed message from another node, on the lane. */
    public void receive(Msg msg) {
        if (isOwn(msg)) {
            return;
        }
        run(() -> apply(msg));
    }

    private void apply(Msg msg) {
        if (msg.node().equals(nodeId)) {
            if (duplicateIdWarned.add(msg.inc())) {
                log.error("another broker uses this node id '{}' (incarnation {}); give each node its own id",
                        nodeId, msg.inc());
            }
            return;
        }
        switch (msg.type()) {
            case "sync" -> {
                if (msg.target().equals("*") || msg.target().equals(nodeId)) {
                    scheduleSnapshot();
                }
            }
            case "bye" -> {
                Remote r = remotes.get(msg.node());
                if (r != null && r.inc.equals(msg.inc())) {
                    log.info("presence: node {} left; {} user(s) no longer held by it", r.node, r.users.size());
                    drop(r, now());
                }
            }
            case "hb" -> {
                Remote r = touch(msg, msg.seq() == 0);
                if (r.synced && msg.seq() > r.seq) {
                    unsync(r, "heartbeat says seq " + msg.seq() + ", have " + r.seq);
                }
            }
            case "up" -> {
                Remote r = touch(msg, msg.seq() == 1);
                if (!r.synced || msg.seq() <= r.seq) {
                    return; // a snapshot asked for covers it, or it is old
                }
                if (msg.seq() != r.seq + 1) {
                    unsync(r, "delta " + msg.seq() + " after " + r.seq);
                    return;
                }
                r.seq = msg.seq();
                if (msg.online()) {
                    if (r.users.add(msg.user())) {
                        addHolder(msg.user(), true);
                    }
                } else if (r.users.remove(msg.user())) {
                    removeHolder(msg.user(), msg.lastSeen() != null ? msg.lastSeen() : now(), true);
                }
            }
            case "snap" -> applySnapshotPart(touch(msg, false), msg);
            default -> log.debug("presence message {} ignored", msg.type());
        }
        refreshLiveNodes();
    }

    /**
     * The remote for a message, created or replaced (a new incarnation: the node restarted, its
     * old users are dropped). A node first met at its very beginning starts in sync, empty.
     */
    private Remote touch(Msg msg, boolean atStart) {
        Remote r = remotes.get(msg.node());
        if (r != null && !r.inc.equals(msg.inc())) {
            log.info("presence: node {} restarted (incarnation {} replaces {})", msg.node(), msg.inc(), r.inc);
            drop(r, now());
            r = null;
        }
        if (r == null) {
            r = new Remote(msg.node(), msg.inc());
            if (atStart) {
                r.synced = true;
                r.seq = 0;
            } else {
                r.quietSnapshot = warmingUp();
                requestSnapshot(r);
            }
            remotes.put(r.node, r);
            log.debug("presence: met node {} ({}), {}", r.node, r.inc, r.synced ? "in sync" : "asking for a snapshot");
        }
        r.lastHeardNanos = nanoTime.getAsLong();
        r.lastHeardAt = now();
        return r;
    }

    private void applySnapshotPart(Remote r, Msg msg) {
        if (r.synced && msg.seq() <= r.seq) {
            return; // another node asked for it; we are up to date
        }
        if (msg.part() == 0) {
            r.pendingSeq = msg.seq();
            r.pendingNext = 0;
            r.pendingUsers = new ArrayList<>();
        } else if (msg.seq() != r.pendingSeq || msg.part() != r.pendingNext) {
            r.pendingSeq = -1; // a part is missing: wait for the next snapshot
            r.pendingUsers = null;
            return;
        }
        r.pendingUsers.addAll(msg.users());
        r.pendingNext++;
        if (r.pendingNext < msg.parts()) {
            return;
        }
        Set<String> next = new HashSet<>(r.pendingUsers);
        boolean announce = !r.quietSnapshot;
        r.quietSnapshot = false;
        r.pendingSeq = -1;
        r.pendingUsers = null;
        Instant at = now();
        for (String u : new ArrayList<>(r.users)) {
            if (!next.contains(u)) {
                r.users.remove(u);
                removeHolder(u, at, true);
            }
        }
        for (String u : next) {
            if (r.users.add(u)) {
                addHolder(u, announce);
            }
        }
        r.seq = msg.seq();
        r.synced = true;
    }

    private void unsync(Remote r, String why) {
        log.debug("presence: node {} out of sync ({}); asking for a snapshot", r.node, why);
        r.synced = false;
        requestSnapshot(r);
    }

    private void requestSnapshot(Remote r) {
        publish(message("sync").put("target", r.node));
    }

    private void drop(Remote r, Instant lastSeenAt) {
        remotes.remove(r.node, r);
        for (String u : r.users) {
            removeHolder(u, lastSeenAt, true);
        }
        r.users.clear();
        refreshLiveNodes();
    }

    // ------------------------------------------------------------------ timers and connection

    private void tick() {
        if (closed) {
            return;
        }
        try {
            publishHeartbeat();
            if (!transport.connected()) {
                return; // we are the one cut off: nobody is expired while we cannot hear them
            }
            long now = nanoTime.getAsLong();
            for (Remote r : new ArrayList<>(remotes.values())) {
                if (now - r.lastHeardNanos > ttl.toNanos()) {
                    log.warn("presence: node {} silent for more than {} ms; its {} user(s) are offline", r.node,
                            ttl.toMillis(), r.users.size());
                    drop(r, r.lastHeardAt);
                } else if (!r.synced) {
                    requestSnapshot(r);
                }
            }
            refreshLiveNodes();
        } catch (RuntimeException e) {
            log.warn("presence heartbeat failed", e);
        }
    }

    /** The connection came back: give every node a fresh lease and re-read all of them. */
    public void reconnected() {
        run(() -> {
            long now = nanoTime.getAsLong();
            for (Remote r : remotes.values()) {
                r.lastHeardNanos = now;
                r.synced = false;
            }
            publishHeartbeat();
            publish(message("sync").put("target", "*"));
            refreshLiveNodes();
        });
    }

    private void scheduleSnapshot() {
        if (snapshotScheduled) {
            return;
        }
        snapshotScheduled = true;
        try {
            lane.schedule(this::publishSnapshot, SNAPSHOT_COALESCE_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            snapshotScheduled = false;
        }
    }

    private void publishSnapshot() {
        snapshotScheduled = false;
        List<String> users = new ArrayList<>(localUsers);
        int parts = Math.max(1, (users.size() + SNAPSHOT_CHUNK - 1) / SNAPSHOT_CHUNK);
        for (int part = 0; part < parts; part++) {
            ObjectNode m = message("snap").put("seq", localSeq).put("part", part).put("parts", parts);
            ArrayNode list = m.putArray("users");
            users.subList(part * SNAPSHOT_CHUNK, Math.min(users.size(), (part + 1) * SNAPSHOT_CHUNK)).forEach(list::add);
            publish(m);
        }
    }

    private void publishHeartbeat() {
        ObjectNode hb = message("hb").put("seq", localSeq);
        send("hb", dseq -> bytes(hb.put("dseq", dseq)));
    }

    /** Tells the other nodes that this one leaves (its users go offline there at once) and stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            lane.submit(() -> publish(message("bye"))).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("presence: bye not sent: {}", e.toString());
        }
        closed = true;
        watchers.forEach(OrderedLane::close);
        watchers.clear();
    }

    // ------------------------------------------------------------------ state

    private void addHolder(String userId, boolean announce) {
        if (holders.merge(userId, 1, Integer::sum) == 1 && announce) {
            emit(new PresenceEvent(userId, PresenceStatus.ONLINE, null));
        }
    }

    private void removeHolder(String userId, Instant at, boolean announce) {
        Integer left = holders.computeIfPresent(userId, (k, n) -> n <= 1 ? null : n - 1);
        if (left == null) {
            Instant seen = at.truncatedTo(ChronoUnit.MILLIS);
            lastSeen.put(userId, seen);
            if (announce) {
                emit(new PresenceEvent(userId, PresenceStatus.OFFLINE, seen));
            }
        }
    }

    private void emit(PresenceEvent event) {
        for (OrderedLane<PresenceEvent> watcher : watchers) {
            watcher.offer(event);
        }
    }

    private void refreshLiveNodes() {
        Set<String> live = new HashSet<>();
        live.add(nodeId);
        remotes.values().stream().filter(r -> r.synced).forEach(r -> live.add(r.node));
        if (!live.equals(liveNodes)) {
            liveNodes = Set.copyOf(live);
        }
    }

    private boolean warmingUp() {
        return nanoTime.getAsLong() - startedNanos < ttl.toNanos();
    }

    private ObjectNode message(String type) {
        return mapper.createObjectNode().put("t", type).put("node", nodeId).put("inc", incarnation);
    }

    private void publish(ObjectNode message) {
        byte[] payload = bytes(message);
        send(message.path("t").asText(), dseq -> payload);
    }

    private void send(String type, LongFunction<byte[]> build) {
        try {
            transport.publish(build);
        } catch (RuntimeException e) {
            log.debug("presence message {} not sent: {}", type, e.toString());
        }
    }

    private byte[] bytes(ObjectNode message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a presence message", e);
        }
    }

    private void run(Runnable task) {
        if (closed) {
            return;
        }
        try {
            lane.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.warn("presence update failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("presence lane closed; update dropped");
        }
    }

    private Instant now() {
        return clock.instant();
    }

    private static String text(JsonNode m, String field) {
        JsonNode n = m.get(field);
        return n != null && n.isTextual() && !n.asText().isEmpty() ? n.asText() : null;
    }
}
