package dev.parley.it.crash;

import dev.parley.store.jdbc.JdbcChatStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link CrashStorm} on the embedded store: an SQLite file (WAL, {@code synchronous=FULL})
 * that every restarted server opens again.
 */
class CrashConsistencyTest {
    private static final Path SERVER_LOG = Path.of("target", "crash-consistency", "server.log");

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void everyAcknowledgedSendSurvivesSigkillOnceAndSeqsHaveNoGaps(@TempDir Path dataDir) throws Exception {
        CrashStorm.run(new CrashStorm.Target("SQLite", List.of("sqlite", dataDir.toString()),
                () -> JdbcChatStore.sqlite(dataDir.resolve("parley.db")), SERVER_LOG));
    }
}
