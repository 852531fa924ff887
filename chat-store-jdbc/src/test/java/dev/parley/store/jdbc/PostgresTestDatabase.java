package dev.parley.store.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The local PostgreSQL for a test class: a fresh schema for the class (dropped afterwards),
 * emptied before each test so that every contract test starts from an empty store.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresTestDatabase pg = new PostgresTestDatabase();
 * ... pg.builder().build() ...
 * }</pre>
 *
 * <p>The database is {@code PARLEY_TEST_PG_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test})
 * as {@code PARLEY_TEST_PG_USER} (default {@code postgres}). When it cannot be reached the class
 * is skipped with a message saying so, or fails when the environment variable {@code CI} is set.
 */
final class PostgresTestDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
    static final String URL = env("PARLEY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String USER = env("PARLEY_TEST_PG_USER", "postgres");

    private String schema;
    private String skipReason;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        String problem = unreachable();
        if (problem != null) {
            String message = "PostgreSQL is not reachable at " + URL + " as " + USER + " (" + problem + ")";
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank()) {
                throw new IllegalStateException(message + "; CI is set, so this is a failure");
            }
            // Each test is then reported skipped with this message (a class-level abort is not counted).
            skipReason = message + "; skipped (set CI to make this a failure)";
            return;
        }
        schema = ("parley_test_" + context.getRequiredTestClass().getSimpleName() + "_"
                + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        // The store creates the schema on first open; created here too so that sql() works before.
        execute("CREATE SCHEMA \"" + schema + "\"");
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (schema != null) {
            execute("DROP SCHEMA \"" + schema + "\" CASCADE");
        }
    }

    /** Empties every table of the schema but Flyway's history. */
    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        Assumptions.assumeTrue(skipReason == null, () -> skipReason);
        List<String> tables = new ArrayList<>();
        try (Connection c = connect();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                     + schema + "' AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'")) {
            while (rs.next()) {
                tables.add("\"" + schema + "\".\"" + rs.getString(1) + "\"");
            }
        }
        if (!tables.isEmpty()) {
            execute("TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY CASCADE");
        }
    }

    String schema() {
        return schema;
    }

    /** A builder for a store in this class's schema, with a small read pool (the server is shared). */
    JdbcChatStore.Builder builder() {
        return JdbcChatStore.builder().postgres(URL).postgresUser(USER).schema(schema).readPoolSize(2);
    }

    /** A connection to the test database with the class's schema first on the search path. */
    Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("connectTimeout", "3");
        p.setProperty("loginTimeout", "3");
        if (schema != null) {
            p.setProperty("currentSchema", schema);
        }
        return DriverManager.getConnection(URL, p);
    }

    /** The first column of the first row of {@code sql} as a long. */
    long queryLong(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("no row for " + sql);
                }
                return rs.getLong(1);
            }
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private String unreachable() {
        try (Connection c = connect()) {
            return c.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
