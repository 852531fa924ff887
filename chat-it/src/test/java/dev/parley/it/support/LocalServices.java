package dev.parley.it.support;

import dev.parley.store.jdbc.JdbcChatStore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's PostgreSQL and NATS for tests that run servers against them. A missing
 * service fails the calling test when the environment variable {@code CI} is set, and skips it
 * with a message naming what is missing otherwise (also printed to stderr, so that it shows in
 * the build output).
 *
 * <p>PostgreSQL: {@code PARLEY_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test}) as
 * {@code PARLEY_TEST_PG_USER} (default {@code postgres}), as in chat-store-jdbc's tests. NATS:
 * {@code -Dparley.nats.url} (default {@code nats://127.0.0.1:4222}), as in chat-broker-nats's tests.
 */
public final class LocalServices {
    public static final String PG_URL = env("PARLEY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String PG_USER = env("PARLEY_TEST_PG_USER", "postgres");
    public static final String NATS_URL = System.getProperty("parley.nats.url", "nats://127.0.0.1:4222");
    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalServices() {
    }

    /** Fails (CI) or skips (elsewhere) the calling test unless PostgreSQL answers. */
    public static void requirePostgres() {
        try (Connection c = connect()) {
            if (c.isValid(3)) {
                return;
            }
            missing("PostgreSQL at " + PG_URL + " as " + PG_USER + " (connection not valid)");
        } catch (SQLException e) {
            missing("PostgreSQL at " + PG_URL + " as " + PG_USER + " (" + e.getMessage() + ")");
        }
    }

    /** Fails (CI) or skips (elsewhere) the calling test unless the NATS server accepts a connection. */
    public static void requireNats() {
        URI uri = URI.create(NATS_URL);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 4222 : uri.getPort()), 2_000);
        } catch (IOException e) {
            missing("a NATS server at " + NATS_URL + " (" + e.getMessage() + "; start nats-server or set "
                    + "-Dparley.nats.url)");
        }
    }

    private static void missing(String what) {
        String message = "this test needs " + what;
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            Assertions.fail(message + "; CI is set, so this is a failure");
        }
        System.err.println("[WARNING] SKIPPED: " + message + " (set CI to make this a failure)");
        Assumptions.abort(message);
    }

    /** A NATS subject prefix no other test run uses. */
    public static String uniqueNatsPrefix() {
        return "parleytest." + randomHex();
    }

    /**
     * A new empty schema in the test database, named {@code <prefix>_<random>} (lower case),
     * dropped with everything in it by {@link Schema#close()}.
     */
    public static Schema createSchema(String prefix) throws SQLException {
        Schema schema = new Schema(prefix + "_" + randomHex());
        schema.execute("CREATE SCHEMA \"" + schema.name + "\"");
        return schema;
    }

    /** A schema of the test database; {@link #close()} drops it. */
    public static final class Schema implements AutoCloseable {
        private final String name;

        private Schema(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** A store on this schema (migrated on first open), with a small read pool. */
        public JdbcChatStore openStore() {
            return JdbcChatStore.builder().postgres(PG_URL).postgresUser(PG_USER).schema(name).readPoolSize(2).build();
        }

        void execute(String sql) throws SQLException {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        @Override
        public void close() throws SQLException {
            execute("DROP SCHEMA IF EXISTS \"" + name + "\" CASCADE");
        }
    }

    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PG_USER);
        p.setProperty("connectTimeout", "3");
        p.setProperty("loginTimeout", "3");
        return DriverManager.getConnection(PG_URL, p);
    }

    private static String randomHex() {
        byte[] b = new byte[5];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
