package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.parley.core.CursorKind;
import dev.parley.core.event.ChatEvent.ReceiptEvent;
import dev.parley.core.event.ChatEvent.TypingEvent;
import dev.parley.core.event.Delivery;
import dev.parley.core.event.TypingState;
import dev.parley.core.spi.Broker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} must do, seen from one node: extend it, create a fresh broker in
 * {@link #createBroker()}, and the tests run against it. Deliveries may arrive on another
 * thread, so the tests wait (bounded) for them.
 *
 * <pre>{@code
 * class MyBrokerTest extends BrokerContract {
 *     protected Broker createBroker() { return new MyBroker(...); }
 * }
 * }</pre>
 */
public abstract class BrokerContract {
    /** How long a delivery may take to arrive before a test fails. */
    protected static final Duration PATIENCE = Duration.ofSeconds(10);

    private final List<Broker> brokers = new ArrayList<>();

    /** A new broker; the contract closes it after the test. */
    protected abstract Broker createBroker();

    private Broker broker;

    @BeforeEach
    void createBrokerUnderTest() {
        broker = track(createBroker());
    }

    @AfterEach
    void closeBrokers() {
        brokers.forEach(Broker::close);
    }

    /** Registers another broker made by a subclass test to be closed after it. */
    protected final Broker track(Broker b) {
        brokers.add(b);
        return b;
    }

    protected final Broker broker() {
        return broker;
    }

    private static Delivery typing(String conversationId, String userId, Set<String> to) {
        return new Delivery(to, new TypingEvent(conversationId, userId, TypingState.START));
    }

    private static Delivery receipt(String conversationId, long seq) {
        return new Delivery(Set.of("reader"), new ReceiptEvent(conversationId, "writer", CursorKind.READ, seq));
    }

    @Test
    void publishReachesEverySubscriberIntact() {
        List<Delivery> first = new CopyOnWriteArrayList<>();
        List<Delivery> second = new CopyOnWriteArrayList<>();
        broker.subscribe(first::add);
        broker.subscribe(second::add);
        Delivery delivery = typing("c1", "alice", Set.of("bob", "carol"));
        broker.publish(delivery);
        await().atMost(PATIENCE).until(() -> first.size() == 1 && second.size() == 1);
        assertThat(first).containsExactly(delivery);
        assertThat(second).containsExactly(delivery);
    }

    @Test
    void deliveriesOfOneConversationArriveInPublishOrder() throws InterruptedException {
        int conversations = 8;
        int perConversation = 250;
        List<Delivery> got = new CopyOnWriteArrayList<>();
        broker.subscribe(got::add);
        ExecutorService publishers = Executors.newFixedThreadPool(4);
        try {
            for (int c = 0; c < conversations; c++) {
                String conversationId = "conv-" + c;
                publishers.execute(() -> {
                    for (long seq = 1; seq <= perConversation; seq++) {
                        broker.publish(receipt(conversationId, seq));
                    }
                });
            }
        } finally {
            publishers.shutdown();
            assertThat(publishers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        await().atMost(PATIENCE).until(() -> got.size() == conversations * perConversation);
        Map<String, List<Long>> seqs = new HashMap<>();
        for (Delivery d : got) {
            ReceiptEvent r = (ReceiptEvent) d.event();
            seqs.computeIfAbsent(r.conversationId(), k -> new ArrayList<>()).add(r.seq());
        }
        assertThat(seqs).hasSize(conversations);
        seqs.values().forEach(list -> assertThat(list).isSorted().hasSize(perConversation).doesNotHaveDuplicates());
    }

    @Test
    void closingASubscriptionStopsItsDeliveriesOnly() throws Exception {
        List<Delivery> stays = new CopyOnWriteArrayList<>();
        List<Delivery> leaves = new CopyOnWriteArrayList<>();
        broker.subscribe(stays::add);
        AutoCloseable subscription = broker.subscribe(leaves::add);
        broker.publish(receipt("c1", 1));
        await().atMost(PATIENCE).until(() -> stays.size() == 1 && leaves.size() == 1);
        subscription.close();
        broker.publish(receipt("c1", 2));
        broker.publish(receipt("c1", 3));
        await().atMost(PATIENCE).until(() -> stays.size() == 3);
        assertThat(leaves).hasSize(1);
    }

    @Test
    void aThrowingSubscriberDoesNotStopTheOthersOrItself() {
        List<Delivery> good = new CopyOnWriteArrayList<>();
        List<Delivery> seenByThrower = new CopyOnWriteArrayList<>();
        broker.subscribe(d -> {
            seenByThrower.add(d);
            throw new IllegalStateException("broken subscriber");
        });
        broker.subscribe(good::add);
        broker.publish(receipt("c1", 1));
        broker.publish(receipt("c1", 2));
        await().atMost(PATIENCE).until(() -> good.size() == 2 && seenByThrower.size() == 2);
    }

    @Test
    void publishLocalReachesThisNodesSubscribers() {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        broker.subscribe(got::add);
        Delivery delivery = typing("c1", "alice", Set.of("bob"));
        broker.publishLocal(delivery);
        await().atMost(PATIENCE).until(() -> got.size() == 1);
        assertThat(got).containsExactly(delivery);
    }

    @Test
    void closeIsIdempotentAndAClosedBrokerDeliversNothing() throws InterruptedException {
        List<Delivery> got = new CopyOnWriteArrayList<>();
        broker.subscribe(got::add);
        broker.close();
        assertThatCode(broker::close).doesNotThrowAnyException();
        assertThatCode(() -> broker.publish(receipt("c1", 1))).doesNotThrowAnyException();
        // Nothing can arrive: give a wrongly delivered event a moment, then check.
        CountDownLatch never = new CountDownLatch(1);
        assertThat(never.await(200, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(got).isEmpty();
    }

    @Test
    void missedDeliveriesCallbackCanBeRegisteredAndRemoved() throws Exception {
        AutoCloseable handle = broker.onDeliveriesMissed(() -> {
        });
        assertThatCode(handle::close).doesNotThrowAnyException();
    }
}
