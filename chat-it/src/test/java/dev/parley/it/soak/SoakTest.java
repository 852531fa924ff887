package dev.parley.it.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.SoakBench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded soak of every build: {@link SoakBench} with 1,500 WebSocket connections in rooms of
 * 20 publishing 200 messages/s (3,800 deliveries/s) for 60 s against a server process on the
 * SQLite store. The long run (10,000 connections, 10 minutes) is a command in
 * {@code docs/hardening.md}.
 *
 * <p>Asserts behaviour only: no connection lost, every send acknowledged, every message delivered
 * to every other member of its room exactly once, and no unbounded heap growth judged
 * structurally: from the sample at 20 s of traffic to the end (traffic stopped, deliveries
 * settled) the server's heap after a full GC grows by at most
 * {@value SoakBench#MAX_GROWTH_PER_MESSAGE} bytes per message published in between (8,000
 * messages: an 8 MiB allowance). Both figures are live data after a forced collection, so the
 * machine's load hardly moves them: here they differ by about 1 MiB either way. A server that
 * retains 2 KiB per message grows by 1.7–2 KiB per message and fails; run with
 * {@code -Dparley.soak.leakBytesPerMessage=2048} to see this test fail.
 */
class SoakTest {
    private static final long MIB = 1024 * 1024;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void connectionsSurviveEveryMessageArrivesOnceAndTheHeapStaysBounded(@TempDir Path dataDir) throws Exception {
        int leak = Integer.getInteger("parley.soak.leakBytesPerMessage", 0);
        SoakBench.Options options = new SoakBench.Options(1_500, 20, 200, Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofSeconds(20), "256m", false, leak, dataDir);

        SoakBench.Result r = SoakBench.run(options, System.out);

        assertThat(r.connectionsLost()).as("client connections that ended (errors: %s)", r.errors()).isZero();
        assertThat(r.end().serverConnections()).as("connections the server still holds")
                .isGreaterThanOrEqualTo(1_500);
        assertThat(r.published()).as("messages published").isPositive();
        assertThat(r.sendErrors()).as("sends answered with an error (%s)", r.errors()).isZero();
        assertThat(r.acked()).as("acknowledged sends").isEqualTo(r.published());
        assertThat(r.missing()).as("deliveries missing").isZero();
        assertThat(r.duplicated()).as("deliveries duplicated").isZero();
        assertThat(r.misrouted()).as("deliveries to a non-member").isZero();
        assertThat(r.delivered()).as("deliveries").isEqualTo(r.published() * 19);

        assertThat(r.warm().seconds()).as("the warm sample is taken after warm-up").isGreaterThanOrEqualTo(20);
        assertThat(r.heapGrowthPerMessage())
                .as("heap after GC gained per message from %.0f s (%d MiB) to the end (%d MiB)", r.warm().seconds(),
                        r.warm().heapAfterGc() / MIB, r.end().heapAfterGc() / MIB)
                .isLessThanOrEqualTo(SoakBench.MAX_GROWTH_PER_MESSAGE);
    }
}
