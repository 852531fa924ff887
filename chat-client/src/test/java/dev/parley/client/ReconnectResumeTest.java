package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.server.ChatServerConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Connections that break: the receiver misses nothing, the sender stores nothing twice. */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class ReconnectResumeTest {
    private TestServer server;
    private TcpProxy proxy;
    private Conversation dm;

    @BeforeEach
    void start() throws Exception {
        server = new TestServer();
        proxy = new TcpProxy(server.port());
        server.engine.putUser("alice", "Alice");
        server.engine.putUser("bob", "Bob");
        dm = server.engine.createDirect("alice", "bob");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        proxy.close();
    }

    private static <T> T join(CompletableFuture<T> f) {
        return f.orTimeout(20, TimeUnit.SECONDS).join();
    }

    private List<Message> stored() {
        return server.engine.history("alice", dm.id(), null, null, 100).messages();
    }

    private static List<Long> oneTo(long n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    @Test
    void receiverDroppedMidStreamEndsWithEveryMessageOnceInOrder() throws Exception {
        RecordingListener received = new RecordingListener();
        ChatClient alice = server.client("alice", new RecordingListener());
        ChatClient bob = server.client("bob", proxy.uri(), received);
        join(alice.connect());
        join(bob.connect());

        List<CompletableFuture<Message>> sends = new ArrayList<>();
        for (int i = 1; i <= 400; i++) {
            sends.add(alice.send(dm.id(), "m" + i));
        }
        await().atMost(20, TimeUnit.SECONDS).until(() -> received.messages.size() >= 50);
        // Mid-stream: reset bob's socket (no close frame) and keep him out while the rest is sent,
        // so that he misses more than the server replays on resume (500) and must page history.
        proxy.refuse(true);
        proxy.cut();
        for (int i = 401; i <= 1000; i++) {
            sends.add(alice.send(dm.id(), "m" + i));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await().atMost(10, TimeUnit.SECONDS).until(() -> bob.state() == ConnectionState.DISCONNECTED);
        assertThat(received.messages.size()).as("delivered while cut off").isLessThanOrEqualTo(400);
        proxy.refuse(false);

        await().atMost(30, TimeUnit.SECONDS).until(() -> received.messages.size() >= 1000);
        List<Message> acked = sends.stream().map(CompletableFuture::join)
                .sorted(Comparator.comparingLong(Message::seq)).toList();
        assertThat(acked).extracting(Message::seq).containsExactlyElementsOf(oneTo(1000));
        assertThat(received.messages).extracting(Message::id)
                .containsExactlyElementsOf(acked.stream().map(Message::id).toList());
        assertThat(received.seqs(dm.id())).containsExactlyElementsOf(oneTo(1000));
        assertThat(bob.lastSeq(dm.id())).hasValue(1000);
        assertThat(received.states).contains(ConnectionState.DISCONNECTED).endsWith(ConnectionState.CONNECTED);
    }

    @Test
    void receiverDroppedRepeatedlyWhileMessagesFlowSeesNoGapAndNoDuplicate() throws Exception {
        RecordingListener received = new RecordingListener();
        ChatClient alice = server.client("alice", new RecordingListener());
        ChatClient bob = server.client("bob", proxy.uri(), received);
        join(alice.connect());
        join(bob.connect());

        List<CompletableFuture<Message>> sends = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            sends.add(alice.send(dm.id(), "m" + i));
        }
        // Reset bob's socket each time he got another 200 messages; he reconnects at once, resumes
        // (the server replays at most 500) while live pushes already arrive above the gap.
        for (int threshold = 100; threshold < 1000; threshold += 200) {
            int t = threshold;
            await().atMost(20, TimeUnit.SECONDS).until(() -> received.messages.size() >= t);
            proxy.cut();
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        await().atMost(30, TimeUnit.SECONDS).until(() -> received.messages.size() >= 1000);
        assertThat(received.seqs(dm.id())).containsExactlyElementsOf(oneTo(1000));
        assertThat(received.messages).extracting(Message::id).doesNotHaveDuplicates();
        assertThat(received.states.stream().filter(s -> s == ConnectionState.CONNECTED)).hasSizeGreaterThan(1);
    }

    @Test
    void sendsWhileDisconnectedAreDeliveredOnceAfterReconnect() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        ChatClient alice = server.client("alice", proxy.uri(), a);
        ChatClient bob = server.client("bob", b);
        join(alice.connect());
        join(bob.connect());
        join(alice.send(dm.id(), "online"));

        proxy.refuse(true);
        proxy.cut();
        await().atMost(10, TimeUnit.SECONDS).until(() -> alice.state() != ConnectionState.CONNECTED);
        List<CompletableFuture<Message>> offline = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            offline.add(alice.send(dm.id(), "offline " + i));
        }
        ChatException notConnected = (ChatException) alice.conversations()
                .handle((v, e) -> e instanceof CompletionException ? e.getCause() : e).join();
        assertThat(notConnected.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(offline).noneMatch(CompletableFuture::isDone);
        assertThat(stored()).hasSize(1);

        proxy.refuse(false);
        CompletableFuture.allOf(offline.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

        List<String> expected = List.of("online", "offline 1", "offline 2", "offline 3", "offline 4", "offline 5");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.texts()).containsExactlyElementsOf(expected));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.texts()).containsExactlyElementsOf(expected));
        assertThat(stored()).extracting(m -> m.body().text()).containsExactlyElementsOf(expected);
    }

    @Test
    void sendWhoseAckWasLostIsNotStoredTwice() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        ChatClient alice = server.client("alice", proxy.uri(), a);
        ChatClient bob = server.client("bob", b);
        join(alice.connect());
        join(bob.connect());

        proxy.discardDownstream(true); // the server's reply (and push) to alice vanish
        CompletableFuture<Message> send = alice.send(dm.id(), "ack lost");
        await().atMost(10, TimeUnit.SECONDS).until(() -> stored().size() == 1);
        assertThat(send).isNotDone();
        proxy.cut();
        proxy.discardDownstream(false);

        Message m = join(send);
        assertThat(m.seq()).isEqualTo(1);
        assertThat(m.body().text()).isEqualTo("ack lost");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.texts()).containsExactly("ack lost"));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.texts()).containsExactly("ack lost"));
        join(alice.send(dm.id(), "next")); // a later message proves the earlier one was not repeated
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.texts()).containsExactly("ack lost", "next"));
        assertThat(stored()).extracting(Message::seq).containsExactly(1L, 2L);
    }

    @Test
    void serverRestartOnTheSamePortKeepsTheOutboxAndResumes() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        ChatClient alice = server.client("alice", a);
        ChatClient bob = server.client("bob", b);
        join(alice.connect());
        join(bob.connect());
        join(alice.send(dm.id(), "before"));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.texts()).containsExactly("before"));

        server.stop();
        await().atMost(10, TimeUnit.SECONDS).until(() -> alice.state() != ConnectionState.CONNECTED
                && bob.state() != ConnectionState.CONNECTED);
        List<CompletableFuture<Message>> queued = List.of(alice.send(dm.id(), "during 1"), alice.send(dm.id(), "during 2"));
        server.engine.sendAndWait("bob", dm.id(), "srv-1", new dev.parley.core.MessageBody("while down"), null);
        server.start();

        CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
        List<String> expected = List.of("before", "while down", "during 1", "during 2");
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(b.texts()).containsExactlyElementsOf(expected));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(a.texts()).containsExactlyElementsOf(expected));
        assertThat(stored()).hasSize(4);
    }

    @Test
    void rateLimitedSendsAreRetriedWithoutFailingOrClosingTheSocket() {
        // The server's default limits: 20 commands/s per socket (burst 40), 4429 after 10 strikes.
        try (TestServer limited = new TestServer(ChatServerConfig.defaults())) {
            limited.engine.putUser("bob", "Bob");
            limited.engine.putUser("bob2", "Bob2");
            Conversation conversation = limited.engine.createDirect("bob", "bob2");
            RecordingListener l = new RecordingListener();
            ChatClient bob = limited.client("bob", l);
            join(bob.connect());
            List<CompletableFuture<Message>> sends = new ArrayList<>();
            for (int i = 1; i <= 60; i++) {
                sends.add(bob.send(conversation.id(), "burst " + i));
            }
            CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).orTimeout(20, TimeUnit.SECONDS).join();
            assertThat(limited.engine.history("bob", conversation.id(), null, null, 100).messages())
                    .extracting(Message::seq).containsExactlyElementsOf(oneTo(60));
            assertThat(l.states).doesNotContain(ConnectionState.DISCONNECTED);
            await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertThat(l.seqs(conversation.id()))
                    .containsExactlyElementsOf(oneTo(60)));
        }
    }

    @Test
    void tokenProviderIsAskedForEveryConnection() throws Exception {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        try (ChatClient alice = ChatClient.builder().uri(proxy.uri())
                .token(() -> {
                    asked.incrementAndGet();
                    return "dev:alice";
                })
                .reconnect(Duration.ofMillis(10), Duration.ofMillis(50), 1.0).build()) {
            join(alice.connect());
            proxy.cut();
            await().atMost(10, TimeUnit.SECONDS).until(() -> asked.get() == 2 && alice.state() == ConnectionState.CONNECTED);
        }
    }

    @Test
    void silentConnectionIsDetectedByTheHeartbeatAndReplaced() throws Exception {
        try (TestServer fast = new TestServer(Duration.ofMillis(200)); TcpProxy silent = new TcpProxy(fast.port())) {
            RecordingListener l = new RecordingListener();
            ChatClient alice = fast.client("alice", silent.uri(), l);
            assertThat(join(alice.connect()).pingInterval()).isEqualTo(Duration.ofMillis(200));
            int connections = silent.accepted();
            silent.discardDownstream(true); // no frame reaches the client any more; the socket stays open
            await().atMost(10, TimeUnit.SECONDS).until(() -> l.states.contains(ConnectionState.DISCONNECTED));
            silent.discardDownstream(false);
            await().atMost(10, TimeUnit.SECONDS).until(() -> alice.state() == ConnectionState.CONNECTED);
            assertThat(silent.accepted()).isGreaterThan(connections);
            assertThat(join(alice.ping())).isPositive();
        }
    }
}
