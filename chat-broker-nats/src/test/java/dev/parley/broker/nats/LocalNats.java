package dev.parley.broker.nats;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The NATS server the tests use: 127.0.0.1:4222 (override with {@code -Dparley.nats.url}).
 * Missing, it fails the tests when {@code CI} is set and skips them with a visible message
 * otherwise. Each test takes its own subject prefix so that runs never see each other.
 */
final class LocalNats {
    static final String URL = System.getProperty("parley.nats.url", "nats://127.0.0.1:4222");
    private static final AtomicBoolean SKIP_NOTED = new AtomicBoolean();
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalNats() {
    }

    /** Fails (CI) or skips (elsewhere) the calling test when the server does not answer. */
    static void require() {
        java.net.URI uri = java.net.URI.create(URL);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort()), 2_000);
            return;
        } catch (IOException e) {
            String message = "NATS tests need a NATS server at " + URL + " (" + e.getMessage()
                    + "); start nats-server or set -Dparley.nats.url";
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
                Assertions.fail(message);
            }
            if (SKIP_NOTED.compareAndSet(false, true)) {
                System.err.println("[WARNING] NATS tests SKIPPED: " + message);
            }
            Assumptions.abort(message);
        }
    }

    /** A subject prefix no other test run uses. */
    static String uniquePrefix() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "parleytest." + HexFormat.of().formatHex(b);
    }

    /** A plain connection owned by the test (a foreign publisher, or a node's connection to kill). */
    static Connection connect() throws IOException, InterruptedException {
        return Nats.connect(new Options.Builder().server(URL).connectionTimeout(Duration.ofSeconds(5)).build());
    }
}
