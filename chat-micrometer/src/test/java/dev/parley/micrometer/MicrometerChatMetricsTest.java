package dev.parley.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.client.ChatClient;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.protocol.CommandType;
import dev.parley.server.ChatServer;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.store.jdbc.JdbcChatStore;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meters move when a real server, store and clients do the things they count. */
class MicrometerChatMetricsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private JdbcChatStore store;
    private ChatEngine engine;
    private ChatServer server;

    @BeforeEach
    void start() {
        MicrometerChatMetrics metrics = new MicrometerChatMetrics(registry);
        store = JdbcChatStore.builder().sqlite(dir.resolve("parley.db")).metrics(metrics).build();
        engine = ChatEngine.builder().store(store).metrics(metrics).build();
        server = ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                .authenticator(new DevelopmentAuthenticator(engine)).start();
        engine.putUser("alice", "Alice");
        engine.putUser("bob", "Bob");
    }

    @AfterEach
    void stop() {
        server.close();
        engine.close();
        store.close();
    }

    private ChatClient client(String userId, List<Message> received) {
        ChatClient client = ChatClient.builder().uri(server.webSocketUri())
                .token(DevelopmentAuthenticator.token(userId)).build();
        client.addListener(new ChatClient.Listener() {
            @Override
            public void onMessage(Message message) {
                received.add(message);
            }
        });
        client.connect().join();
        return client;
    }

    private double count(String name) {
        return registry.get(name).counter().count();
    }

    @Test
    void everyMeterIsThereBeforeAnythingHappens() {
        assertThat(registry.get("parley.connections.active").gauge().value()).isZero();
        assertThat(count("parley.messages.sent")).isZero();
        assertThat(count("parley.messages.delivered")).isZero();
        assertThat(count("parley.outbound.queue.dropped")).isZero();
        assertThat(registry.get("parley.broker.lag").timer().count()).isZero();
        assertThat(registry.find("parley.store.commit.duration").timer()).isNotNull();
        assertThat(registry.find("parley.command.duration").timers()).isEmpty();
    }

    @Test
    void aMessageBetweenTwoClientsMovesSentDeliveredCommandAndCommitMeters() {
        List<Message> aliceGot = new CopyOnWriteArrayList<>();
        List<Message> bobGot = new CopyOnWriteArrayList<>();
        try (ChatClient alice = client("alice", aliceGot); ChatClient bob = client("bob", bobGot)) {
            assertThat(registry.get("parley.connections.active").gauge().value()).isEqualTo(2);
            Conversation dm = alice.createDirect("bob").join();
            double sentBefore = count("parley.messages.sent");
            double deliveredBefore = count("parley.messages.delivered");
            long commitsBefore = registry.get("parley.store.commit.duration").timer().count();

            alice.send(dm.id(), "hello bob").join();
            await().atMost(PATIENCE).until(() -> !bobGot.isEmpty() && !aliceGot.isEmpty());

            assertThat(count("parley.messages.sent") - sentBefore).isEqualTo(1);
            assertThat(count("parley.messages.delivered") - deliveredBefore)
                    .as("one message event to each of the two sockets").isEqualTo(2);
            Timer send = registry.get("parley.command.duration").tags("command", "send", "outcome", "ok").timer();
            assertThat(send.count()).isEqualTo(1);
            assertThat(send.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("parley.command.duration").tags("command", "hello", "outcome", "ok").timer().count())
                    .isEqualTo(2);
            assertThat(registry.get("parley.store.commit.duration").timer().count()).isGreaterThan(commitsBefore);
            assertThat(registry.get("parley.store.commit.writes").summary().totalAmount()).isPositive();
        }
        await().atMost(PATIENCE).until(() -> registry.get("parley.connections.active").gauge().value() == 0);
    }

    @Test
    void aRefusedCommandIsTimedUnderItsErrorCode() {
        try (ChatClient alice = client("alice", new CopyOnWriteArrayList<>())) {
            assertThatThrownBy(() -> alice.send("no-such-conversation", "hi").join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(ChatException.class);
            assertThat(registry.get("parley.command.duration").tags("command", "send", "outcome", "not_found")
                    .timer().count()).isEqualTo(1);
            assertThat(registry.find("parley.command.duration").tags("command", "send", "outcome", "ok").timer())
                    .isNull();
            assertThat(count("parley.messages.sent")).isZero();
        }
    }

    @Test
    void droppedFramesBrokerLagAndExtraTagsAreRecorded() {
        SimpleMeterRegistry own = new SimpleMeterRegistry();
        MicrometerChatMetrics metrics = new MicrometerChatMetrics(own, Tags.of("node", "a"));

        metrics.outboundDropped(65);
        metrics.brokerLag(TimeUnit.MILLISECONDS.toNanos(250));
        metrics.commandCompleted(CommandType.HISTORY, ErrorCode.FORBIDDEN, 1_000);
        metrics.commandCompleted(CommandType.HISTORY, ErrorCode.FORBIDDEN, 3_000);

        assertThat(own.get("parley.outbound.queue.dropped").tag("node", "a").counter().count()).isEqualTo(65);
        Timer lag = own.get("parley.broker.lag").tag("node", "a").timer();
        assertThat(lag.count()).isEqualTo(1);
        assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
        Timer history = own.get("parley.command.duration")
                .tags("node", "a", "command", "history", "outcome", "forbidden").timer();
        assertThat(history.count()).isEqualTo(2);
        assertThat(history.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(4_000);
    }
}
