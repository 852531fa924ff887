package dev.parley.broker.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.core.ChatEngine;
import dev.parley.core.Conversation;
import dev.parley.core.CursorKind;
import dev.parley.core.DeleteScope;
import dev.parley.core.Message;
import dev.parley.core.MessageBody;
import dev.parley.core.ReactionSummary;
import dev.parley.core.event.ChatEvent;
import dev.parley.core.event.ChatEvent.PresenceEvent;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.event.EventType;
import dev.parley.core.event.PresenceStatus;
import dev.parley.core.event.TypingState;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.tck.MutableClock;
import io.nats.client.Connection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two {@link NatsBroker} "nodes" on the local NATS server, each test on its own subject prefix. */
class NatsBrokerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private String prefix;
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void setUp() {
        LocalNats.require();
        prefix = LocalNats.uniquePrefix();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T c) {
        closeables.add(c);
        return c;
    }

    private NatsBroker node(String id) {
        return closeLater(NatsBroker.builder().servers(LocalNats.URL).subjectPrefix(prefix).nodeId(id).build());
    }

    @Test
    void everyEventKindCrossesNodesIntact() {
        NatsBroker a = node("a");
        NatsBroker b = node("b");
        List<Delivery> sentOnA = new CopyOnWriteArrayList<>();
        List<Delivery> gotOnB = new CopyOnWriteArrayList<>();
        a.subscribe(sentOnA::add);
        b.subscribe(gotOnB::add);
        MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
        InMemoryChatStore store = closeLater(new InMemoryChatStore());
        ChatEngine engine = closeLater(ChatEngine.builder().store(store).broker(a).clock(clock).build());
        engine.putUser("alice", "Alice");
        engine.putUser("bob", "Bob");
        engine.putUser("carol", "Carol");

        // Everything the engine publishes through the broker: conversation, message, typing,
        // receipt, edit, reaction, pin, delete for everyone, delete for me, expiry, friend, thread.
        Conversation group = engine.createGroup("alice", "team", List.of("bob", "carol"));
        Message first = engine.sendAndWait("alice", group.id(), "m1", new MessageBody("hello"), null);
        Message second = engine.sendAndWait("bob", group.id(), "m2", new MessageBody("hi"), null);
        engine.typing("carol", group.id(), TypingState.START);
        engine.receipt("bob", group.id(), CursorKind.READ, first.seq());
        engine.edit("alice", group.id(), first.id(), new MessageBody("hello, edited"));
        engine.react("bob", group.id(), first.id(), "👍");
        engine.pin("alice", group.id(), first.id());
        engine.delete("bob", group.id(), second.id(), DeleteScope.EVERYONE);
        engine.delete("carol", group.id(), first.id(), DeleteScope.ME);
        engine.setExpiry("alice", group.id(), 5);
        engine.sendAndWait("alice", group.id(), "m3", new MessageBody("vanishing"), null);
        clock.advance(Duration.ofSeconds(6));
        engine.sweepExpired();
        engine.requestFriend("alice", "carol");
        Message reply = engine.sendWithOptions("carol", group.id(), "m4", new MessageBody("in a thread"),
                dev.parley.core.SendOptions.NONE.inThread(first.id())).join();
        engine.markThreadRead("alice", group.id(), first.id(), reply.seq());
        // Presence crosses nodes through cluster presence, not as deliveries: publish one by hand,
        // and a message with every optional field.
        a.publish(new Delivery(Set.of("bob"),
                new PresenceEvent("alice", PresenceStatus.OFFLINE, Instant.parse("2030-01-01T00:00:01.250Z"))));
        Message base = new Message("m-rich", group.id(), 99, "alice", "c-rich", new MessageBody("ünïcödé \"quoted\" \n"),
                first.id(), Instant.parse("2030-01-01T00:00:02.001Z"), Instant.parse("2030-01-01T00:00:03.002Z"),
                false, List.of(new ReactionSummary("❤", 2, List.of("bob", "carol"), false)), false, false, null,
                List.of("bob"), first.id(), null)
                .withThread(new dev.parley.core.ThreadSummary(3, 98, Instant.parse("2030-01-01T00:00:04.003Z"),
                        List.of("bob", "carol")));
        Message rich = new Message(base.id(), base.conversationId(), base.seq(), base.senderId(), base.clientMsgId(),
                new MessageBody(base.body().text(), List.of(new dev.parley.core.Attachment("u-1", "cat.png", "image/png",
                        dev.parley.core.AttachmentKind.IMAGE, 1234L, 640, 480, null, List.of(),
                        new dev.parley.core.Attachment.Preview(320, 240)))),
                base.replyTo(), base.createdAt(), base.editedAt(), base.deleted(), base.reactions(), false, false, null,
                base.mentions(), base.threadRootId(), base.thread());
        a.publish(new Delivery(Set.of("bob", "carol"), new ChatEvent.MessageEvent(rich)));

        await().atMost(PATIENCE).until(() -> gotOnB.size() == sentOnA.size()
                && sentOnA.stream().anyMatch(d -> d.event() instanceof ChatEvent.MessageEvent m && m.message() == rich));
        assertThat(gotOnB).containsExactlyElementsOf(sentOnA);
        Set<EventType> kinds = gotOnB.stream().map(d -> d.event().type())
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(EventType.class)));
        assertThat(kinds).isEqualTo(EnumSet.complementOf(EnumSet.of(EventType.PING)));
    }

    @Test
    void tenThousandConcurrentDeliveriesKeepPerConversationOrderAcrossNodes() throws InterruptedException {
        NatsBroker a = node("a");
        NatsBroker b = NatsBroker.builder().servers(LocalNats.URL).subjectPrefix(prefix).nodeId("b")
                .subscriberQueueCapacity(20_000).build();
        closeLater(b);
        List<Delivery> got = new CopyOnWriteArrayList<>();
        b.subscribe(got::add);
        int conversations = 20;
        int perConversation = 500;
        ExecutorService publishers = Executors.newFixedThreadPool(4);
        for (int c = 0; c < conversations; c++) {
            String conversationId = "conv-" + c;
            publishers.execute(() -> {
                for (long seq = 1; seq <= perConversation; seq++) {
                    a.publish(new Delivery(Set.of("reader"),
                            new ReceiptEvent(conversationId, "writer", CursorKind.DELIVERED, seq)));
                }
            });
        }
        publishers.shutdown();
        assertThat(publishers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(60)).until(() -> got.size() == conversations * perConversation);
        Map<String, List<Long>> seqs = new HashMap<>();
        for (Delivery d : got) {
            ReceiptEvent r = (ReceiptEvent) d.event();
            seqs.computeIfAbsent(r.conversationId(), k -> new ArrayList<>()).add(r.seq());
        }
        assertThat(seqs).hasSize(conversations);
        seqs.values().forEach(list -> assertThat(list).hasSize(perConversation).isSorted().doesNotHaveDuplicates());
        assertThat(b.stats().received()).isEqualTo(conversations * perConversation);
        assertThat(b.stats().missingFromPublishers()).isZero();
        assertThat(a.stats().published()).isEqualTo(conversations * perConversation);
    }

    @Test
    void closedNodeStopsReceivingAndTheOtherGoesOn() throws Exception {
        NatsBroker a = node("a");
        NatsBroker b = node("b");
        NatsBroker c = node("c");
        List<Delivery> onB = new CopyOnWriteArrayList<>();
        List<Delivery> onC = new CopyOnWriteArrayList<>();
        AutoCloseable subB = b.subscribe(onB::add);
        c.subscribe(onC::add);
        a.publish(receipt("c1", 1));
        await().atMost(PATIENCE).until(() -> onB.size() == 1 && onC.size() == 1);
        subB.close();
        b.close();
        b.close(); // idempotent
        a.publish(receipt("c1", 2));
        await().atMost(PATIENCE).until(() -> onC.size() == 2);
        assertThat(onB).hasSize(1);
        assertThatThrownBy(() -> b.subscribe(d -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void malformedPayloadsFromAForeignPublisherAreDroppedAndTheSubscriptionLives() throws Exception {
        NatsBroker a = node("a");
        NatsBroker b = node("b");
        List<Delivery> onB = new CopyOnWriteArrayList<>();
        b.subscribe(onB::add);
        try (Connection foreign = LocalNats.connect()) {
            for (String garbage : List.of("not json", "[1,2]", "{}", "{\"v\":1,\"from\":\"x\",\"seq\":1,\"to\":[\"u\"],"
                    + "\"event\":{\"type\":\"no.such.event\"}}", "{\"v\":1,\"from\":\"x\",\"seq\":1,\"to\":[3],"
                    + "\"event\":{\"type\":\"typing\"}}", "{\"v\":99}")) {
                foreign.publish(prefix + ".events", garbage.getBytes(StandardCharsets.UTF_8));
            }
            for (String garbage : List.of("\u0000\u0001", "{\"t\":\"up\",\"node\":\"x\",\"inc\":\"x-1\"}",
                    "{\"t\":\"what\",\"node\":\"x\",\"inc\":\"x-1\"}", "{\"t\":\"snap\",\"node\":\"x\",\"inc\":\"x-1\","
                            + "\"part\":3,\"parts\":1,\"users\":[]}")) {
                foreign.publish(prefix + ".presence", garbage.getBytes(StandardCharsets.UTF_8));
            }
            foreign.flush(Duration.ofSeconds(5));
        }
        await().atMost(PATIENCE).until(() -> b.stats().malformed() == 10);
        a.publish(receipt("c1", 7));
        await().atMost(PATIENCE).until(() -> onB.size() == 1);
        assertThat(((ReceiptEvent) onB.get(0).event()).seq()).isEqualTo(7);
        await().atMost(PATIENCE).until(() -> b.liveNodes().equals(Set.of("a", "b")));
    }

    @Test
    void aGapInAPublishersNumberingIsReportedAsMissedDeliveries() throws Exception {
        NatsBroker b = node("b");
        AtomicInteger missed = new AtomicInteger();
        b.onDeliveriesMissed(missed::incrementAndGet);
        List<Delivery> onB = new CopyOnWriteArrayList<>();
        b.subscribe(onB::add);
        try (Connection foreign = LocalNats.connect()) {
            for (int seq : new int[] {1, 2, 6}) {
                String payload = "{\"v\":1,\"from\":\"other-1\",\"seq\":" + seq + ",\"to\":[\"u\"],\"event\":"
                        + "{\"type\":\"receipt\",\"conversationId\":\"c\",\"userId\":\"w\",\"kind\":\"read\",\"seq\":"
                        + seq + "}}";
                foreign.publish(prefix + ".events", payload.getBytes(StandardCharsets.UTF_8));
            }
            foreign.flush(Duration.ofSeconds(5));
        }
        await().atMost(PATIENCE).until(() -> onB.size() == 3 && missed.get() == 1);
        assertThat(b.stats().missingFromPublishers()).isEqualTo(3);
        assertThat(b.stats().missedSignals()).isEqualTo(1);
    }

    @Test
    void aSlowSubscriberLosesDeliveriesWithoutHoldingUpTheOthers() throws Exception {
        NatsBroker a = node("a");
        NatsBroker b = closeLater(NatsBroker.builder().servers(LocalNats.URL).subjectPrefix(prefix).nodeId("b")
                .subscriberQueueCapacity(10).build());
        CountDownLatch release = new CountDownLatch(1);
        closeLater(release::countDown);
        AtomicInteger missed = new AtomicInteger();
        b.onDeliveriesMissed(missed::incrementAndGet);
        LinkedBlockingQueue<Delivery> fast = new LinkedBlockingQueue<>();
        List<Delivery> slow = new CopyOnWriteArrayList<>();
        b.subscribe(d -> {
            slow.add(d);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        b.subscribe(fast::add);
        int total = 30;
        for (int seq = 1; seq <= total; seq++) {
            a.publish(receipt("c1", seq));
            // One at a time, so only the blocked subscriber's queue fills up.
            Delivery got = fast.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(got).isNotNull();
            assertThat(((ReceiptEvent) got.event()).seq()).isEqualTo(seq);
        }
        assertThat(b.stats().droppedForSlowSubscribers()).isGreaterThanOrEqualTo(total - 11);
        await().atMost(PATIENCE).until(() -> missed.get() >= 1);
        release.countDown();
        await().atMost(PATIENCE).until(() -> slow.size() + b.stats().droppedForSlowSubscribers() == total);
        assertThat(slow).extracting(d -> ((ReceiptEvent) d.event()).seq()).isSorted();
    }

    @Test
    void aLostConnectionIsReportedWhenItComesBackAndDeliveriesResume() throws Exception {
        URI target = URI.create(LocalNats.URL);
        TcpProxy proxy = closeLater(new TcpProxy(new InetSocketAddress(target.getHost(), target.getPort())));
        NatsBroker a = node("a");
        NatsBroker b = closeLater(NatsBroker.builder().servers(proxy.url()).subjectPrefix(prefix).nodeId("b").build());
        AtomicInteger missed = new AtomicInteger();
        b.onDeliveriesMissed(missed::incrementAndGet);
        List<Delivery> onB = new CopyOnWriteArrayList<>();
        b.subscribe(onB::add);
        a.publish(receipt("c1", 1));
        await().atMost(PATIENCE).until(() -> onB.size() == 1);

        proxy.dropConnections();
        await().atMost(PATIENCE).until(() -> b.stats().reconnects() == 1);
        await().atMost(PATIENCE).until(() -> missed.get() == 1);
        a.publish(receipt("c1", 2));
        await().atMost(PATIENCE).until(() -> onB.size() == 2);
        assertThat(onB).extracting(d -> ((ReceiptEvent) d.event()).seq()).containsExactly(1L, 2L);
    }

    @Test
    void anAppOwnedConnectionIsUsedAndLeftOpen() throws Exception {
        Connection owned = closeLater(LocalNats.connect());
        NatsBroker a = NatsBroker.builder().connection(owned).subjectPrefix(prefix).nodeId("a").build();
        NatsBroker b = node("b");
        List<Delivery> onA = new CopyOnWriteArrayList<>();
        List<Delivery> onB = new CopyOnWriteArrayList<>();
        a.subscribe(onA::add);
        b.subscribe(onB::add);
        a.publish(receipt("c1", 1));
        b.publish(receipt("c1", 2));
        await().atMost(PATIENCE).until(() -> onA.size() == 2 && onB.size() == 2);
        a.close();
        assertThat(owned.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        // The app's connection echoes our own messages back; they were not delivered twice.
        assertThat(onA).hasSize(2);
    }

    @Test
    void builderRejectsBadOptionsByName() {
        assertThatThrownBy(() -> NatsBroker.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("servers");
        assertThatThrownBy(() -> NatsBroker.builder().servers(LocalNats.URL).servers(LocalNats.URL))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("servers");
        assertThatThrownBy(() -> NatsBroker.builder().servers(LocalNats.URL).subjectPrefix("a.*").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subjectPrefix");
        assertThatThrownBy(() -> NatsBroker.builder().servers(LocalNats.URL).subjectPrefix("a..b").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subjectPrefix");
        assertThatThrownBy(() -> NatsBroker.builder().servers(LocalNats.URL).nodeId("has space").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> NatsBroker.builder().servers(LocalNats.URL).heartbeatInterval(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeatInterval");
        assertThatThrownBy(() -> NatsBroker.builder().servers(LocalNats.URL).heartbeatInterval(Duration.ofSeconds(5))
                .presenceTtl(Duration.ofSeconds(9)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("presenceTtl");
        assertThatThrownBy(() -> NatsBroker.builder().servers(LocalNats.URL).subscriberQueueCapacity(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("subscriberQueueCapacity");
        assertThatThrownBy(() -> NatsBroker.builder().servers(" ").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("servers");
    }

    @Test
    void anUnreachableServerFailsBuildWithUnavailable() {
        assertThatThrownBy(() -> NatsBroker.builder().servers("nats://127.0.0.1:1").build())
                .isInstanceOf(dev.parley.core.ChatException.class)
                .satisfies(e -> assertThat(((dev.parley.core.ChatException) e).code())
                        .isEqualTo(dev.parley.core.ErrorCode.UNAVAILABLE));
    }

    private static Delivery receipt(String conversationId, long seq) {
        return new Delivery(Set.of("reader"), new ReceiptEvent(conversationId, "writer", CursorKind.READ, seq));
    }

    @Test
    void brokerLagIsTheReceiversClockMinusThePublishersAndNeverNegative() {
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        List<Long> lagsOnB = new CopyOnWriteArrayList<>();
        List<Long> lagsOnC = new CopyOnWriteArrayList<>();
        NatsBroker a = closeLater(NatsBroker.builder().servers(LocalNats.URL).subjectPrefix(prefix).nodeId("a")
                .clock(Clock.fixed(t0, ZoneOffset.UTC)).metrics(lagRecorder(new CopyOnWriteArrayList<>())).build());
        NatsBroker b = closeLater(NatsBroker.builder().servers(LocalNats.URL).subjectPrefix(prefix).nodeId("b")
                .clock(Clock.fixed(t0.plusMillis(250), ZoneOffset.UTC)).metrics(lagRecorder(lagsOnB)).build());
        NatsBroker c = closeLater(NatsBroker.builder().servers(LocalNats.URL).subjectPrefix(prefix).nodeId("c")
                .clock(Clock.fixed(t0.minusSeconds(1), ZoneOffset.UTC)).metrics(lagRecorder(lagsOnC)).build());
        List<Delivery> gotOnB = new CopyOnWriteArrayList<>();
        List<Delivery> gotOnC = new CopyOnWriteArrayList<>();
        b.subscribe(gotOnB::add);
        c.subscribe(gotOnC::add);

        a.publish(new Delivery(Set.of("bob"), new ChatEvent.TypingEvent("c1", "alice", TypingState.START)));

        await().atMost(PATIENCE).until(() -> gotOnB.size() == 1 && gotOnC.size() == 1);
        assertThat(lagsOnB).containsExactly(TimeUnit.MILLISECONDS.toNanos(250));
        assertThat(lagsOnC).as("a receiver whose clock is behind reports 0, not a negative lag").containsExactly(0L);
    }

    private static dev.parley.core.spi.ChatMetrics lagRecorder(List<Long> lags) {
        return new dev.parley.core.spi.ChatMetrics() {
            @Override
            public void brokerLag(long lagNanos) {
                lags.add(lagNanos);
            }
        };
    }
}
