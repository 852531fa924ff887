package dev.parley.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ChatClient;
import dev.parley.client.ConnectionState;
import dev.parley.core.Conversation;
import dev.parley.core.HistoryPage;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.PresenceStatus;
import dev.parley.it.cluster.LocalCluster.Account;
import dev.parley.it.support.LocalServices;
import dev.parley.store.jdbc.JdbcChatStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Clustered mode end to end: three {@code ClusterNode} JVMs on one PostgreSQL schema and one
 * NATS subject prefix; six users, two homed on each node, chat in two groups and three direct
 * conversations that all span nodes, while node 3 is killed with SIGKILL in the middle of the
 * storm. Its users' clients reconnect through their {@link FailoverProxy} (the test's load
 * balancer) to a surviving node, resume, and go on sending; sends cut off by the kill are
 * retried by the client's outbox with the same {@code clientMsgId}.
 *
 * <p>Proved at the end: every acknowledged message is stored exactly once with the id and seq
 * its ack carried; each conversation's seqs run 1..N; and every member's client received
 * exactly the stored messages of each of its conversations, each once, in seq order (so every
 * acknowledged message reached every member once, in order, across the nodes and the kill).
 * A user whose only device was on node 3 and does not reconnect ({@code probe}) is announced
 * offline on node 1 within the documented bound (presence TTL + one heartbeat, 12 s, plus a
 * margin for a loaded machine); the users who failed over are still online.
 *
 * <p>Needs PostgreSQL and NATS ({@link LocalServices}): skipped without them, failing when
 * {@code CI} is set. The schema is dropped afterwards; node logs are in
 * {@code chat-it/target/cluster/}.
 */
class ClusterFailoverTest {
    private static final int NODES = 3;
    private static final int USERS = 6;
    private static final int SENDS_PER_USER = 100;
    /** Node 3 is killed once this share of all sends is acknowledged. */
    private static final int KILL_AFTER_ACKS = USERS * SENDS_PER_USER / 3;
    private static final int SEND_WINDOW = 4;
    private static final Duration PRESENCE_BOUND = Duration.ofSeconds(12); // docs/clustering.md: TTL + heartbeat
    private static final Duration PRESENCE_MARGIN = Duration.ofSeconds(8);
    private static final Duration STORM_DEADLINE = Duration.ofSeconds(60);

    /** What one user's client received, per conversation, in delivery order. */
    private static final class Inbox implements ChatClient.Listener {
        final Map<String, List<Message>> received = new ConcurrentHashMap<>();
        final List<SeenPresence> presence = new CopyOnWriteArrayList<>();
        /** Connections lost after a session was established (DISCONNECTED following CONNECTED). */
        final AtomicInteger lost = new AtomicInteger();
        private volatile boolean connected;

        @Override
        public void onMessage(Message m) {
            received.computeIfAbsent(m.conversationId(), k -> new CopyOnWriteArrayList<>()).add(m);
        }

        @Override
        public void onPresence(PresenceEvent event) {
            presence.add(new SeenPresence(event, Instant.now()));
        }

        @Override
        public void onConnectionState(ConnectionState state, Throwable cause) {
            if (state == ConnectionState.DISCONNECTED && connected) {
                lost.incrementAndGet();
            }
            connected = state == ConnectionState.CONNECTED;
        }

        int count(String conversationId) {
            List<Message> l = received.get(conversationId);
            return l == null ? 0 : l.size();
        }
    }

    private record SeenPresence(PresenceEvent event, Instant at) {
    }

    /** An acknowledged send. */
    private record Ack(String senderId, String clientMsgId, String conversationId, String messageId, long seq) {
    }

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void everyAckedMessageReachesEveryMemberOnceInOrderAcrossANodeKill() throws Exception {
        LocalServices.requirePostgres();
        LocalServices.requireNats();
        try (LocalServices.Schema schema = LocalServices.createSchema("parley_cluster");
             LocalCluster cluster = new LocalCluster(NODES, schema.name(), LocalServices.uniqueNatsPrefix())) {
            run(cluster, schema);
        }
    }

    private void run(LocalCluster cluster, LocalServices.Schema schema) throws Exception {
        // user i lives on node 1 + i % 3; registered on node 1, logged in on its home node
        List<Account> accounts = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            accounts.add(cluster.register("user" + i, 1, home(i)));
        }
        Account probe = cluster.register("probe", 2, 3);

        List<FailoverProxy> proxies = new ArrayList<>();
        List<ChatClient> clients = new ArrayList<>();
        List<Inbox> inboxes = new ArrayList<>();
        ChatClient probeClient = null;
        try {
            for (int n = 1; n <= NODES; n++) {
                List<Integer> order = new ArrayList<>();
                for (int k = 0; k < NODES; k++) {
                    order.add(cluster.node(1 + (n - 1 + k) % NODES).port()); // home first, then the others
                }
                proxies.add(new FailoverProxy("node-" + n, order));
            }
            for (int i = 0; i < USERS; i++) {
                Inbox inbox = new Inbox();
                ChatClient client = ChatClient.builder()
                        .uri(proxies.get(home(i) - 1).webSocketUri())
                        .token(accounts.get(i).token())
                        .reconnect(Duration.ofMillis(100), Duration.ofSeconds(1), 1.0)
                        .requestTimeout(Duration.ofSeconds(10))
                        .listener(inbox)
                        .build();
                client.connect().get(10, TimeUnit.SECONDS);
                clients.add(client);
                inboxes.add(inbox);
            }
            // probe: straight to node 3, no load balancer and no reconnect: its only device dies with the node
            probeClient = ChatClient.builder().uri(cluster.node(3).webSocketUri()).token(probe.token())
                    .autoReconnect(false).build();
            probeClient.connect().get(10, TimeUnit.SECONDS);

            Map<String, List<String>> conversationsOf = createConversations(clients, accounts);
            Conversation probeDirect = clients.get(0).createDirect(probe.userId()).get(10, TimeUnit.SECONDS);
            Inbox watcher = inboxes.get(0); // user0 on node 1 watches probe on node 3
            await().atMost(Duration.ofSeconds(10)).until(() -> clients.get(0).presence(List.of(probe.userId()))
                    .get(5, TimeUnit.SECONDS).get(0).status() == PresenceStatus.ONLINE);
            assertThat(probeDirect.id()).isNotNull();

            // the storm: each user sends SENDS_PER_USER messages round robin over its conversations
            Map<String, Ack> acks = new ConcurrentHashMap<>();
            List<String> problems = new CopyOnWriteArrayList<>();
            long deadline = System.nanoTime() + STORM_DEADLINE.toNanos();
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                int user = i;
                Thread t = new Thread(() -> sendAll(clients.get(user), accounts.get(user),
                        conversationsOf.get(accounts.get(user).userId()), acks, problems, deadline), "sender-" + i);
                t.setDaemon(true);
                t.start();
                senders.add(t);
            }
            await().atMost(STORM_DEADLINE).until(() -> acks.size() >= KILL_AFTER_ACKS || !problems.isEmpty());
            int acksBeforeKill = acks.size();
            long node3AcksBeforeKill = acksOf(acks, accounts.get(2), accounts.get(5));
            cluster.node(3).kill();
            Instant killedAt = Instant.now();
            for (Thread t : senders) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            assertThat(senders).as("senders finished before the deadline").noneMatch(Thread::isAlive);
            assertThat(problems).as("problems seen by the senders").isEmpty();
            assertThat(acks).hasSize(USERS * SENDS_PER_USER);
            long node3AcksAfterKill = acksOf(acks, accounts.get(2), accounts.get(5)) - node3AcksBeforeKill;
            assertThat(node3AcksAfterKill).as("node 3 was killed mid-storm: its users had sends left").isPositive();

            // the users of node 3 failed over to a surviving node
            FailoverProxy lb3 = proxies.get(2);
            assertThat(lb3.connectionsTo(cluster.node(1).port()) + lb3.connectionsTo(cluster.node(2).port()))
                    .as("reconnections of node 3's clients to nodes 1 and 2").isPositive();
            assertThat(List.of(inboxes.get(2).lost.get(), inboxes.get(5).lost.get()))
                    .as("node 3's clients lost their connection").allMatch(n -> n > 0);

            // the store: seqs 1..N, each acked message once with the id and seq of its ack
            Map<String, List<Message>> stored = new LinkedHashMap<>();
            try (JdbcChatStore store = schema.openStore()) {
                for (String conversationId : conversationsOf.values().stream().flatMap(List::stream).distinct().toList()) {
                    stored.put(conversationId, readAll(store, conversationId));
                    assertThat(store.findConversation(conversationId).map(Conversation::lastSeq).orElse(-1L))
                            .as("lastSeq of %s", conversationId).isEqualTo(stored.get(conversationId).size());
                }
            }
            for (Map.Entry<String, List<Message>> e : stored.entrySet()) {
                assertThat(e.getValue().stream().map(Message::seq).toList()).as("seqs of %s", e.getKey())
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, e.getValue().size()).boxed().toList());
            }
            Map<String, List<Message>> byKey = stored.values().stream().flatMap(List::stream)
                    .collect(Collectors.groupingBy(m -> m.senderId() + "/" + m.clientMsgId()));
            assertThat(byKey.entrySet()).as("(sender, clientMsgId) stored more than once")
                    .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).hasSize(1));
            for (Ack ack : acks.values()) {
                List<Message> m = byKey.get(ack.senderId() + "/" + ack.clientMsgId());
                assertThat(m).as("acked %s/%s stored", ack.senderId(), ack.clientMsgId()).isNotNull();
                assertThat(List.of(m.get(0).id(), m.get(0).conversationId(), m.get(0).seq()))
                        .containsExactly(ack.messageId(), ack.conversationId(), ack.seq());
            }
            assertThat(byKey.keySet()).as("stored messages are exactly the acknowledged ones")
                    .containsExactlyInAnyOrderElementsOf(acks.keySet());

            // every member's client: exactly the stored messages of each of its conversations, once, in order
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                for (int i = 0; i < USERS; i++) {
                    for (String c : conversationsOf.get(accounts.get(i).userId())) {
                        if (inboxes.get(i).count(c) < stored.get(c).size()) {
                            return false;
                        }
                    }
                }
                return true;
            });
            for (int i = 0; i < USERS; i++) {
                for (String c : conversationsOf.get(accounts.get(i).userId())) {
                    assertThat(inboxes.get(i).received.get(c).stream().map(Message::id).toList())
                            .as("what user%d received in %s", i, c)
                            .containsExactlyElementsOf(stored.get(c).stream().map(Message::id).toList());
                }
            }

            // presence: probe (only on node 3) goes offline on node 1 within the bound; the failed-over users stay online
            await().atMost(PRESENCE_BOUND.plus(PRESENCE_MARGIN)).until(() -> offlineAt(watcher, probe.userId()) != null);
            Duration offlineAfter = Duration.between(killedAt, offlineAt(watcher, probe.userId()));
            assertThat(offlineAfter).as("probe announced offline after the kill, within the bound and a margin")
                    .isPositive().isLessThanOrEqualTo(PRESENCE_BOUND.plus(PRESENCE_MARGIN));
            List<PresenceEvent> now = clients.get(0).presence(List.of(accounts.get(2).userId(),
                    accounts.get(5).userId(), probe.userId())).get(5, TimeUnit.SECONDS);
            assertThat(now.stream().map(PresenceEvent::status).toList())
                    .as("user2 and user5 (failed over), probe (gone)")
                    .containsExactly(PresenceStatus.ONLINE, PresenceStatus.ONLINE, PresenceStatus.OFFLINE);

            System.out.printf("cluster failover: %d nodes, node 3 SIGKILLed after %d of %d acks; %d messages in %d"
                            + " conversations stored and received by every member once, in order; node 3's clients"
                            + " reconnected %d times through the proxy and had %d more sends acknowledged by the"
                            + " survivors; probe offline on node 1 %d ms after the kill%n",
                    NODES, acksBeforeKill, acks.size(), byKey.size(), stored.size(),
                    lb3.connectionsTo(cluster.node(1).port()) + lb3.connectionsTo(cluster.node(2).port()),
                    node3AcksAfterKill, offlineAfter.toMillis());
        } finally {
            clients.forEach(ChatClient::close);
            if (probeClient != null) {
                probeClient.close();
            }
            for (FailoverProxy p : proxies) {
                p.close();
            }
        }
    }

    /** Node of user {@code i}: 1, 2, 3, 1, 2, 3. */
    private static int home(int i) {
        return 1 + i % NODES;
    }

    /**
     * A group of all six, a group of users 1, 3, 5 (nodes 2, 1, 3), and direct conversations
     * (0,1), (2,3), (4,5), each pair on two nodes. Every client tracks its conversations from seq 0.
     */
    private static Map<String, List<String>> createConversations(List<ChatClient> clients, List<Account> accounts)
            throws Exception {
        Map<String, List<String>> of = new HashMap<>();
        accounts.forEach(a -> of.put(a.userId(), new ArrayList<>()));
        List<String> everyone = accounts.stream().map(Account::userId).toList();
        Conversation all = clients.get(0).createGroup("everyone", everyone).get(10, TimeUnit.SECONDS);
        everyone.forEach(u -> of.get(u).add(all.id()));
        List<String> odd = List.of(accounts.get(1).userId(), accounts.get(3).userId(), accounts.get(5).userId());
        Conversation odds = clients.get(1).createGroup("odds", odd).get(10, TimeUnit.SECONDS);
        odd.forEach(u -> of.get(u).add(odds.id()));
        for (int i = 0; i < accounts.size(); i += 2) {
            Conversation dm = clients.get(i).createDirect(accounts.get(i + 1).userId()).get(10, TimeUnit.SECONDS);
            of.get(accounts.get(i).userId()).add(dm.id());
            of.get(accounts.get(i + 1).userId()).add(dm.id());
        }
        for (int i = 0; i < accounts.size(); i++) {
            for (String c : of.get(accounts.get(i).userId())) {
                clients.get(i).track(c, 0);
            }
        }
        return of;
    }

    /**
     * Sends {@link #SENDS_PER_USER} messages with at most {@link #SEND_WINDOW} unacknowledged.
     * The client's outbox carries sends across a lost connection; one that still fails (no reply
     * within the request timeout) is sent again with the same clientMsgId, as the client's
     * documentation says to.
     */
    private static void sendAll(ChatClient client, Account account, List<String> conversations, Map<String, Ack> acks,
                                List<String> problems, long deadlineNanos) {
        Semaphore window = new Semaphore(SEND_WINDOW);
        try {
            for (int n = 1; n <= SENDS_PER_USER; n++) {
                window.acquire();
                String conversationId = conversations.get(n % conversations.size());
                String clientMsgId = account.username() + "-" + n;
                MessageBody body = new MessageBody("message " + n + " from " + account.username());
                sendUntilAcked(client, account, conversationId, clientMsgId, body, acks, problems, deadlineNanos)
                        .whenComplete((r, e) -> window.release());
                TimeUnit.MILLISECONDS.sleep(10);
            }
            window.acquire(SEND_WINDOW);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CompletableFuture<Message> sendUntilAcked(ChatClient client, Account account, String conversationId,
                                                             String clientMsgId, MessageBody body, Map<String, Ack> acks,
                                                             List<String> problems, long deadlineNanos) {
        return client.send(conversationId, body, null, clientMsgId).handle((m, e) -> {
            if (e == null) {
                Ack ack = new Ack(m.senderId(), m.clientMsgId(), m.conversationId(), m.id(), m.seq());
                Ack earlier = acks.putIfAbsent(m.senderId() + "/" + m.clientMsgId(), ack);
                if (earlier != null && !earlier.equals(ack)) {
                    problems.add("two acks for " + clientMsgId + " differ: " + earlier + " then " + ack);
                }
                return CompletableFuture.completedFuture(m);
            }
            if (System.nanoTime() > deadlineNanos) {
                problems.add(account.username() + " gave up on " + clientMsgId + ": " + e);
                return CompletableFuture.completedFuture(m);
            }
            return sendUntilAcked(client, account, conversationId, clientMsgId, body, acks, problems, deadlineNanos);
        }).thenCompose(f -> f);
    }

    private static long acksOf(Map<String, Ack> acks, Account... senders) {
        List<String> ids = Arrays.stream(senders).map(Account::userId).toList();
        return acks.values().stream().filter(a -> ids.contains(a.senderId())).count();
    }

    private static Instant offlineAt(Inbox watcher, String userId) {
        return watcher.presence.stream()
                .filter(p -> p.event().userId().equals(userId) && p.event().status() == PresenceStatus.OFFLINE)
                .map(SeenPresence::at).findFirst().orElse(null);
    }

    private static List<Message> readAll(JdbcChatStore store, String conversationId) {
        List<Message> all = new ArrayList<>();
        long after = 0;
        while (true) {
            HistoryPage page = store.history(conversationId, null, after, 100);
            all.addAll(page.messages());
            if (!page.hasMore() || page.messages().isEmpty()) {
                return all;
            }
            after = page.messages().get(page.messages().size() - 1).seq();
        }
    }
}
