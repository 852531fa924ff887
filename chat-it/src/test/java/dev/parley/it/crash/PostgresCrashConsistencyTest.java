package dev.parley.it.crash;

import dev.parley.it.support.LocalServices;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The {@link CrashStorm} on the PostgreSQL store: every server generation opens the same fresh
 * schema of the test database (dropped afterwards). Besides the store's own guarantees this
 * covers what SIGKILL does to the database side: the killed writer's connection and open
 * transaction are ended by PostgreSQL, and the next server's writer appends on top of what was
 * committed. Needs PostgreSQL ({@link LocalServices}); skipped without it, failing when
 * {@code CI} is set.
 */
class PostgresCrashConsistencyTest {
    private static final Path SERVER_LOG = Path.of("target", "crash-consistency", "server-postgres.log");

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void everyAcknowledgedSendSurvivesSigkillOnceAndSeqsHaveNoGaps() throws Exception {
        LocalServices.requirePostgres();
        try (LocalServices.Schema schema = LocalServices.createSchema("parley_crash")) {
            CrashStorm.run(new CrashStorm.Target("PostgreSQL",
                    List.of("postgres", LocalServices.PG_URL, LocalServices.PG_USER, schema.name()),
                    schema::openStore, SERVER_LOG));
        }
    }
}
