package dev.parley.it.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.Conversation;
import dev.parley.core.HistoryPage;
import dev.parley.core.Message;
import dev.parley.it.support.ServerProcess;
import dev.parley.store.jdbc.JdbcChatStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * The send storm under SIGKILL, for any store: the server ({@link ServerProcessMain}) runs in
 * its own JVM while six raw clients send as fast as their acknowledgements come back; the storm
 * kills it with SIGKILL at random moments and restarts it on the same database, and at the end
 * reads the database: every acknowledged message is there exactly once, with the id and seq its
 * ack carried, and each conversation's seqs run 1..N. Sends cut off by a kill were retried with
 * the same clientMsgId; they too are there exactly once. Loopback only; bounded in sends, kills
 * and time. Used by {@link CrashConsistencyTest} (SQLite) and
 * {@link PostgresCrashConsistencyTest}.
 */
final class CrashStorm {
    /**
     * What the storm runs against.
     *
     * @param description   the store, for messages
     * @param serverArgs    the arguments of {@link ServerProcessMain} (which store, where)
     * @param openStore     opens the same database in the test JVM once the server is dead
     * @param log           where the servers' logs go (emptied first)
     */
    record Target(String description, List<String> serverArgs, Supplier<JdbcChatStore> openStore, Path log) {
        ServerProcess start() {
            return ServerProcess.start(ServerProcessMain.class, serverArgs, Map.of(), log);
        }
    }

    private static final int CLIENTS = 6;
    private static final int KILLS = 5;
    /** Each server generation lives until this many new acks (or the time below), then a random bit more. */
    private static final int ACKS_PER_GENERATION = 60;
    private static final Duration MAX_GENERATION = Duration.ofSeconds(4);
    private static final Duration MAX_EXTRA_LIFE = Duration.ofMillis(600);
    private static final Duration CLIENT_DEADLINE = Duration.ofSeconds(75);

    private CrashStorm() {
    }

    /** Runs the storm against {@code target}'s server and checks its store afterwards. */
    static void run(Target target) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        SendLedger ledger = new SendLedger();
        AtomicReference<URI> current = new AtomicReference<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> users = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            users.add("storm" + i);
        }

        Files.deleteIfExists(target.log());
        ServerProcess server = target.start();
        List<Thread> threads = new ArrayList<>();
        try {
            current.set(server.webSocketUri());
            Map<String, List<String>> conversationsOf = createConversations(server.webSocketUri(), users);

            long deadline = System.nanoTime() + CLIENT_DEADLINE.toNanos();
            for (String user : users) {
                Thread t = new Thread(new StormClient(user, conversationsOf.get(user), current::get, ledger, stop,
                        deadline), "storm-" + user);
                t.setDaemon(true); // a failed test must not leave the JVM waiting for them
                t.start();
                threads.add(t);
            }

            for (int kill = 0; kill < KILLS; kill++) {
                liveOneGeneration(ledger, random);
                current.set(null);
                server.kill();
                ledger.killed(Instant.now());
                server = target.start();
                current.set(server.webSocketUri());
            }
            liveOneGeneration(ledger, random);
            stop.set(true);
            for (Thread t : threads) {
                t.join(CLIENT_DEADLINE.toMillis());
            }
        } finally {
            stop.set(true);
            current.set(null);
            server.kill();
        }
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(ledger.problems()).as("problems seen by the clients (seed %d)", seed).isEmpty();

        Map<String, SendLedger.Ack> acks = ledger.acks();
        Map<String, List<Message>> stored = new HashMap<>();
        Map<String, Long> lastSeqs = new HashMap<>();
        try (JdbcChatStore store = target.openStore().get()) {
            for (String conversationId : acks.values().stream().map(SendLedger.Ack::conversationId).distinct().toList()) {
                stored.put(conversationId, readAll(store, conversationId));
                lastSeqs.put(conversationId, store.findConversation(conversationId).map(Conversation::lastSeq).orElse(-1L));
            }
        }

        int messages = 0;
        for (Map.Entry<String, List<Message>> e : stored.entrySet()) {
            List<Long> seqs = e.getValue().stream().map(Message::seq).toList();
            assertThat(seqs).as("seqs of %s", e.getKey())
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
            assertThat(lastSeqs.get(e.getKey())).as("lastSeq of %s", e.getKey()).isEqualTo(seqs.size());
            messages += seqs.size();
        }
        Map<String, List<Message>> byKey = stored.values().stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(m -> SendLedger.key(m.senderId(), m.clientMsgId())));
        assertThat(byKey.entrySet()).as("(sender, clientMsgId) stored more than once")
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).hasSize(1));
        assertThat(byKey.keySet()).as("stored messages are exactly the acknowledged ones")
                .containsExactlyInAnyOrderElementsOf(acks.keySet());
        for (SendLedger.Ack ack : acks.values()) {
            Message m = byKey.get(SendLedger.key(ack.senderId(), ack.clientMsgId())).get(0);
            assertThat(List.of(m.id(), m.conversationId(), m.seq()))
                    .as("stored %s/%s", ack.senderId(), ack.clientMsgId())
                    .containsExactly(ack.messageId(), ack.conversationId(), ack.seq());
        }
        assertThat(ledger.retriedAfterCrash()).as("sends cut off by a kill and retried").isPositive();

        System.out.printf("crash consistency on %s (seed %d): %d kills, %d messages acknowledged in %d conversations,"
                        + " %d stored, %d sends retried after a kill (%d of them had been stored before the kill),"
                        + " %d deliberate repeats of acknowledged sends, 0 duplicates, 0 gaps%n",
                target.description(), seed, KILLS, acks.size(), stored.size(), messages, ledger.retriedAfterCrash(),
                ledger.committedButUnacked(), ledger.deliberateRepeats());
    }

    /** Lets the current server take at least {@link #ACKS_PER_GENERATION} acks (or run out of time), then a random bit more. */
    private static void liveOneGeneration(SendLedger ledger, Random random) throws InterruptedException {
        int target = ledger.ackCount() + ACKS_PER_GENERATION;
        long until = System.nanoTime() + MAX_GENERATION.toNanos();
        while (ledger.ackCount() < target && System.nanoTime() < until) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        TimeUnit.MILLISECONDS.sleep(random.nextInt((int) MAX_EXTRA_LIFE.toMillis() + 1));
    }

    /**
     * One group of every user, and direct conversations of pairs (0,1), (2,3), …; returns the
     * conversations each user sends to.
     */
    private static Map<String, List<String>> createConversations(URI uri, List<String> users) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Duration timeout = Duration.ofSeconds(10);
        List<RawSocket> sockets = new ArrayList<>();
        try {
            for (String user : users) {
                sockets.add(RawSocket.open(http, uri, "dev:" + user, timeout)); // creates the user
            }
            ObjectNode group = RawSocket.JSON.createObjectNode()
                    .put("type", "conversation.create").put("kind", "group").put("name", "storm");
            users.forEach(group.putArray("memberIds")::add);
            String groupId = conversationId(sockets.get(0).request(group, timeout));
            Map<String, List<String>> conversationsOf = new HashMap<>();
            for (int i = 0; i + 1 < users.size(); i += 2) {
                ObjectNode direct = RawSocket.JSON.createObjectNode()
                        .put("type", "conversation.create").put("kind", "direct").put("userId", users.get(i + 1));
                String directId = conversationId(sockets.get(i).request(direct, timeout));
                conversationsOf.put(users.get(i), List.of(groupId, directId));
                conversationsOf.put(users.get(i + 1), List.of(groupId, directId));
            }
            users.forEach(u -> conversationsOf.putIfAbsent(u, List.of(groupId)));
            return conversationsOf;
        } finally {
            sockets.forEach(RawSocket::close);
        }
    }

    private static String conversationId(JsonNode reply) {
        assertThat(reply.path("ok").asBoolean()).as("reply %s", reply).isTrue();
        return reply.path("conversation").path("id").asText();
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
