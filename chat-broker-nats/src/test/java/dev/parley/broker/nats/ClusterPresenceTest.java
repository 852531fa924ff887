package dev.parley.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatLimits;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.local.InMemoryChatStore;
import io.nats.client.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Presence across nodes: engines sharing one store, each with its own {@link NatsBroker}.
 * Heartbeats every 100 ms and a 600 ms TTL keep the dead-node tests short.
 */
class ClusterPresenceTest {
    private static final Duration HEARTBEAT = Duration.ofMillis(100);
    private static final Duration TTL = Duration.ofMillis(600);
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    private String prefix;
    private InMemoryChatStore store;
    private final List<Node> nodes = new ArrayList<>();

    /** One server node: its broker, its engine and what its sockets would receive. */
    private record Node(String id, NatsBroker broker, ChatEngine engine, Connection ownConnection,
                        List<Delivery> deliveries) {
        /** Presence statuses of {@code userId} delivered to {@code viewer} on this node, in order. */
        List<PresenceStatus> seenBy(String viewer, String userId) {
            return deliveries.stream()
                    .filter(d -> d.recipients().contains(viewer) && d.event() instanceof PresenceEvent p
                            && p.userId().equals(userId))
                    .map(d -> ((PresenceEvent) d.event()).status()).collect(Collectors.toList());
        }

        PresenceStatus current(String viewer, String userId) {
            return engine.presence(viewer, List.of(userId)).get(0).status();
        }
    }

    @BeforeEach
    void setUp() {
        LocalNats.require();
        prefix = LocalNats.uniquePrefix();
        store = new InMemoryChatStore();
    }

    @AfterEach
    void tearDown() {
        for (Node node : nodes) {
            node.engine().close();
            node.broker().close();
            if (node.ownConnection() != null) {
                try {
                    node.ownConnection().close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        store.close();
    }

    private Node start(String id) throws Exception {
        return start(id, TTL, false);
    }

    private Node start(String id, Duration ttl, boolean ownConnection) throws Exception {
        Connection connection = ownConnection ? LocalNats.connect() : null;
        NatsBroker.Builder builder = NatsBroker.builder().subjectPrefix(prefix).nodeId(id)
                .heartbeatInterval(HEARTBEAT).presenceTtl(ttl);
        NatsBroker broker = (connection != null ? builder.connection(connection) : builder.servers(LocalNats.URL)).build();
        ChatEngine engine = ChatEngine.builder().store(store).broker(broker)
                .limits(ChatLimits.builder().presenceGrace(Duration.ofMillis(50)).build()).build();
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        engine.subscribe(deliveries::add);
        Node node = new Node(id, broker, engine, connection, deliveries);
        if (nodes.isEmpty()) {
            for (String user : List.of("alice", "bob", "carol", "dave")) {
                engine.putUser(user, user);
            }
            // bob shares a conversation with each of the others: he watches their presence.
            engine.createDirect("bob", "alice");
            engine.createDirect("bob", "carol");
            engine.createDirect("bob", "dave");
        }
        nodes.add(node);
        return node;
    }

    /** Waits until every node holds the presence of every node (the mesh is in sync). */
    private void awaitMesh(Node... members) {
        Set<String> ids = Arrays.stream(members).map(Node::id).collect(Collectors.toSet());
        await().atMost(PATIENCE).until(() -> Arrays.stream(members).allMatch(n -> n.broker().liveNodes().equals(ids)));
    }

    /**
     * A marker transition: {@code user} comes online on {@code on}; once every node announced it,
     * every presence change published before it by that node has been handled everywhere.
     */
    private void barrier(String user, Node on, Node... everywhere) {
        on.engine().deviceConnected(user);
        for (Node n : everywhere) {
            await().atMost(PATIENCE).until(() -> n.seenBy("bob", user).contains(PresenceStatus.ONLINE));
        }
    }

    @Test
    void onlineOnOneNodeIsAnnouncedOnEveryNodeAndOfflineAfterTheGrace() throws Exception {
        Node a = start("a");
        Node b = start("b");
        awaitMesh(a, b);

        a.engine().deviceConnected("alice");
        await().atMost(PATIENCE).until(() -> b.seenBy("bob", "alice").equals(List.of(PresenceStatus.ONLINE)));
        await().atMost(PATIENCE).until(() -> a.seenBy("bob", "alice").equals(List.of(PresenceStatus.ONLINE)));
        assertThat(b.current("bob", "alice")).isEqualTo(PresenceStatus.ONLINE);

        a.engine().deviceDisconnected("alice");
        await().atMost(PATIENCE).until(() -> b.seenBy("bob", "alice").size() == 2);
        await().atMost(PATIENCE).until(() -> a.seenBy("bob", "alice").size() == 2);
        assertThat(b.seenBy("bob", "alice")).containsExactly(PresenceStatus.ONLINE, PresenceStatus.OFFLINE);
        PresenceEvent offline = b.engine().presence("bob", List.of("alice")).get(0);
        assertThat(offline.status()).isEqualTo(PresenceStatus.OFFLINE);
        assertThat(offline.lastSeenAt()).isNotNull();
    }

    @Test
    void devicesOnTwoNodesMakeOneOnlineAndOneOffline() throws Exception {
        Node a = start("a");
        Node b = start("b");
        awaitMesh(a, b);

        a.engine().deviceConnected("alice");
        await().atMost(PATIENCE).until(() -> b.seenBy("bob", "alice").size() == 1);
        b.engine().deviceConnected("alice"); // second device, other node: no new "online"
        barrier("carol", b, a, b);
        a.engine().deviceDisconnected("alice"); // still on b: no "offline" after the grace
        a.engine().deviceConnected("dave");
        a.engine().deviceDisconnected("dave"); // dave's offline follows alice's on a's timer
        for (Node n : List.of(a, b)) {
            await().atMost(PATIENCE).until(() -> n.seenBy("bob", "dave").contains(PresenceStatus.OFFLINE));
        }
        for (Node n : List.of(a, b)) {
            assertThat(n.seenBy("bob", "alice")).containsExactly(PresenceStatus.ONLINE);
            assertThat(n.current("bob", "alice")).isEqualTo(PresenceStatus.ONLINE);
        }

        b.engine().deviceDisconnected("alice"); // the last device anywhere
        for (Node n : List.of(a, b)) {
            await().atMost(PATIENCE).until(() -> n.seenBy("bob", "alice").size() == 2);
            assertThat(n.seenBy("bob", "alice")).containsExactly(PresenceStatus.ONLINE, PresenceStatus.OFFLINE);
            assertThat(n.current("bob", "alice")).isEqualTo(PresenceStatus.OFFLINE);
        }
    }

    @Test
    void theUsersOfANodeThatDiesGoOfflineWithinTheTtl() throws Exception {
        Node a = start("a", TTL, true);
        Node b = start("b");
        awaitMesh(a, b);
        a.engine().deviceConnected("alice");
        await().atMost(PATIENCE).until(() -> b.seenBy("bob", "alice").size() == 1);

        a.ownConnection().close(); // the node dies: no goodbye, no disconnects
        // The documented bound is TTL + one heartbeat after its last message; PATIENCE only stops a hung test.
        await().atMost(PATIENCE).until(() -> b.seenBy("bob", "alice").size() == 2);
        assertThat(b.seenBy("bob", "alice")).containsExactly(PresenceStatus.ONLINE, PresenceStatus.OFFLINE);
        assertThat(b.current("bob", "alice")).isEqualTo(PresenceStatus.OFFLINE);
        assertThat(b.broker().liveNodes()).containsExactly("b");
        assertThat(b.engine().presence("bob", List.of("alice")).get(0).lastSeenAt()).isNotNull();
    }

    @Test
    void aUserOnASurvivingNodeStaysOnlineWhenAnotherNodeDies() throws Exception {
        Node a = start("a", TTL, true);
        Node b = start("b");
        Node c = start("c");
        awaitMesh(a, b, c);
        a.engine().deviceConnected("alice");
        c.engine().deviceConnected("alice");
        barrier("carol", c, a, b, c);

        a.ownConnection().close();
        await().atMost(PATIENCE).until(() -> b.broker().liveNodes().equals(Set.of("b", "c"))
                && c.broker().liveNodes().equals(Set.of("b", "c")));
        for (Node n : List.of(b, c)) {
            assertThat(n.seenBy("bob", "alice")).containsExactly(PresenceStatus.ONLINE);
            assertThat(n.current("bob", "alice")).isEqualTo(PresenceStatus.ONLINE);
        }

        c.engine().deviceDisconnected("alice");
        for (Node n : List.of(b, c)) {
            await().atMost(PATIENCE).until(() -> n.seenBy("bob", "alice").size() == 2);
            assertThat(n.seenBy("bob", "alice")).containsExactly(PresenceStatus.ONLINE, PresenceStatus.OFFLINE);
        }
    }

    @Test
    void aNodeThatJoinsLearnsWhoIsOnlineWithoutAnnouncingIt() throws Exception {
        Node a = start("a");
        Node b = start("b");
        awaitMesh(a, b);
        a.engine().deviceConnected("alice");
        await().atMost(PATIENCE).until(() -> b.seenBy("bob", "alice").size() == 1);

        Node c = start("c");
        awaitMesh(a, b, c);
        assertThat(c.current("bob", "alice")).isEqualTo(PresenceStatus.ONLINE);
        barrier("dave", a, a, b, c);
        assertThat(c.seenBy("bob", "alice")).isEmpty(); // alice was online before: no transition
        assertThat(b.seenBy("bob", "alice")).containsExactly(PresenceStatus.ONLINE);
    }

    @Test
    void aNodeThatLeavesCleanlyTakesItsUsersOfflineAtOnce() throws Exception {
        Duration longTtl = Duration.ofMinutes(5);
        Node a = start("a", longTtl, false);
        Node b = start("b", longTtl, false);
        awaitMesh(a, b);
        a.engine().deviceConnected("alice");
        await().atMost(PATIENCE).until(() -> b.seenBy("bob", "alice").size() == 1);

        a.engine().close();
        a.broker().close(); // says goodbye: no waiting for the five-minute TTL
        await().atMost(PATIENCE).until(() -> b.seenBy("bob", "alice").size() == 2);
        assertThat(b.seenBy("bob", "alice")).containsExactly(PresenceStatus.ONLINE, PresenceStatus.OFFLINE);
        assertThat(b.broker().liveNodes()).containsExactly("b");
    }
}
