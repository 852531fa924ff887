package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.event.Delivery;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.local.InProcessBroker;
import dev.parley.core.spi.Broker;
import dev.parley.server.testing.WsClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** When the broker may have lost deliveries, every signed-in socket is closed with 1012 so that its client resumes. */
class BrokerMissedDeliveriesTest {

    /** An in-process broker whose "deliveries missed" signal the test fires by hand. */
    private static final class SignallingBroker implements Broker {
        private final InProcessBroker delegate = new InProcessBroker();
        private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

        @Override
        public void publish(Delivery delivery) {
            delegate.publish(delivery);
        }

        @Override
        public AutoCloseable subscribe(Consumer<Delivery> subscriber) {
            return delegate.subscribe(subscriber);
        }

        @Override
        public AutoCloseable onDeliveriesMissed(Runnable callback) {
            callbacks.add(callback);
            return () -> callbacks.remove(callback);
        }

        void signalMissed() {
            callbacks.forEach(Runnable::run);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    @Test
    void signedInSocketsAreClosedWith1012AndCanReconnect() {
        SignallingBroker broker = new SignallingBroker();
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatServer server = ChatServer.builder().host("127.0.0.1").port(0).store(store).broker(broker).start()) {
            server.engine().putUser("alice", "alice");
            server.engine().putUser("bob", "bob");
            WsClient alice = WsClient.signedIn(server.webSocketUri(), "alice");
            WsClient bob = WsClient.signedIn(server.webSocketUri(), "bob");
            // The hello reply leaves just before the socket joins the fan-out registry; a later
            // command's reply proves it has joined.
            alice.ok("ping");
            bob.ok("ping");

            broker.signalMissed();

            assertThat(alice.awaitClose()).isEqualTo(1012);
            assertThat(bob.awaitClose()).isEqualTo(1012);
            try (WsClient again = WsClient.signedIn(server.webSocketUri(), "alice")) {
                assertThat(again.ok("resume", "conversations", java.util.Map.of()).path("replayed").asInt()).isZero();
            }
        } finally {
            broker.close();
        }
    }
}
