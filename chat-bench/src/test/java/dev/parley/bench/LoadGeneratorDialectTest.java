package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The generator's baseline dialects against {@link FakeBaselineServer} (no Node needed). */
class LoadGeneratorDialectTest {

    private static void await(BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).until(condition::getAsBoolean);
    }

    private static URI uri(Dialect d, int port) {
        return URI.create("ws://127.0.0.1:" + port + (d == Dialect.SOCKET_IO ? EngineIo.PATH : "/ws"));
    }

    @ParameterizedTest
    @EnumSource(value = Dialect.class, names = {"WS", "SOCKET_IO"})
    void roomMembersOtherThanTheSenderGetEachMessageAndTheSenderGetsItsAck(Dialect dialect) throws Exception {
        try (FakeBaselineServer server = new FakeBaselineServer(dialect);
             LoadGenerator gen = new LoadGenerator(uri(dialect, server.port()), dialect)) {
            gen.connect(List.of("a", "b", "c"), 3, 10);
            for (int i = 0; i < 3; i++) {
                assertTrue(gen.join(i, "r1").get(10, TimeUnit.SECONDS).contains("\"ok\":true"));
            }
            long now = System.nanoTime();
            LoadGenerator.Window window = new LoadGenerator.Window(now - TimeUnit.SECONDS.toNanos(1), now + TimeUnit.SECONDS.toNanos(1));
            gen.window(window);
            gen.publish(0, "r1", now);
            gen.publish(1, "r1", now);
            await(() -> window.delivered.sum() == 4 && window.acked.sum() == 2, "4 deliveries and 2 acks");

            assertEquals(4, window.latency.getIntervalHistogram().getTotalCount());
            assertEquals(2, window.ackLatency.getIntervalHistogram().getTotalCount());
            assertEquals(2, gen.acks.sum());
            assertEquals(0, gen.sendErrors.sum());
            assertEquals(0, gen.closedByServer.sum());
            if (dialect == Dialect.SOCKET_IO) {
                await(() -> server.pongs.get() == 3, "a pong from each client for the server's ping");
            }
        }
    }

    @Test
    void messagesScheduledOutsideTheWindowAreNotCounted() throws Exception {
        try (FakeBaselineServer server = new FakeBaselineServer(Dialect.WS);
             LoadGenerator gen = new LoadGenerator(uri(Dialect.WS, server.port()), Dialect.WS)) {
            gen.connect(List.of("a", "b"), 2, 10);
            gen.join(0, "r").get(10, TimeUnit.SECONDS);
            gen.join(1, "r").get(10, TimeUnit.SECONDS);
            long now = System.nanoTime();
            LoadGenerator.Window window = new LoadGenerator.Window(now, now + TimeUnit.SECONDS.toNanos(1));
            gen.window(window);
            gen.publish(0, "r", now - 1);
            gen.publish(0, "r", now + 1);
            await(() -> gen.deliveriesSeen.sum() == 2 && gen.acks.sum() == 2, "both messages and acks");
            assertEquals(1, window.delivered.sum());
            assertEquals(1, window.acked.sum());
        }
    }

    @Test
    void commandsOfTheOtherDialectAreRefused() throws Exception {
        try (FakeBaselineServer server = new FakeBaselineServer(Dialect.SOCKET_IO);
             LoadGenerator gen = new LoadGenerator(uri(Dialect.SOCKET_IO, server.port()), Dialect.SOCKET_IO)) {
            gen.connect(List.of("a"), 1, 10);
            assertThrows(IllegalStateException.class, () -> gen.request(0, "\"type\":\"join\""));
        }
        try (FakeBaselineServer server = new FakeBaselineServer(Dialect.WS);
             LoadGenerator gen = new LoadGenerator(uri(Dialect.WS, server.port()), Dialect.WS)) {
            gen.connect(List.of("a"), 1, 10);
            assertThrows(IllegalStateException.class, () -> gen.emit(0, "join", "\"r\""));
        }
    }
}
