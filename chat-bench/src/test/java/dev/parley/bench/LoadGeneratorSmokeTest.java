package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** 20 generator clients in one room against a server in this JVM, for about 2 s. */
class LoadGeneratorSmokeTest {

    @Test
    void openLoopStepCountsDeliveriesAndRecordsTheirLatencies() throws Exception {
        try (LoadBench.ServerHandle server = LoadBench.ServerHandle.inProcess(100);
             LoadGenerator gen = new LoadGenerator(server.uri)) {
            List<String> users = LoadBench.users("smoke", 20);
            gen.connect(users, 10, 30);
            String[] roomOf = LoadBench.createRooms(gen, users, 20);
            LoadBench.Step step = LoadBench.step(gen, roomOf, 20, 20, 1, null);

            assertEquals(20, step.published());
            assertEquals(20 * 19, step.expected());
            assertEquals(0, step.sendErrors());
            assertEquals(20, step.acks());
            assertEquals(step.expected(), step.delivered(), "every member but the sender gets every message");
            assertEquals(step.delivered(), step.latency().getTotalCount());
            assertTrue(step.latency().getMinValue() > 0);
            assertEquals(20, step.lateness().getTotalCount());
        }
    }
}
