package dev.parley.web3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.parley.accounts.AccountSettings;
import dev.parley.accounts.PasswordHasher;
import dev.parley.server.ChatServer;
import dev.parley.store.jdbc.JdbcChatStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two server nodes on one PostgreSQL database (the clustered mode): a nonce issued by one node
 * is used on the other, the wallet session works on both, and a replay fails on either. Needs
 * the local PostgreSQL ({@code PARLEY_TEST_PG_URL}, default {@code jdbc:postgresql://127.0.0.1:5432/test});
 * skipped without it, failed when {@code CI} is set.
 */
class SiweClusterTest {
    private static final String URL = env("PARLEY_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String USER = env("PARLEY_TEST_PG_USER", "postgres");

    private final String schema = ("parley_test_siwe_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
    private JdbcChatStore storeA;
    private JdbcChatStore storeB;
    private ChatServer nodeA;
    private ChatServer nodeB;

    @BeforeEach
    void startTwoNodes() throws SQLException {
        String problem = unreachable();
        if (problem != null) {
            String message = "PostgreSQL is not reachable at " + URL + " as " + USER + " (" + problem + ")";
            if (System.getenv("CI") != null && !System.getenv("CI").isBlank()) {
                fail(message + "; CI is set, so this is a failure");
            }
            Assumptions.assumeTrue(false, message + "; skipped (set CI to make this a failure)");
        }
        execute("CREATE SCHEMA \"" + schema + "\"");
        storeA = JdbcChatStore.builder().postgres(URL).postgresUser(USER).schema(schema).readPoolSize(2).build();
        storeB = JdbcChatStore.builder().postgres(URL).postgresUser(USER).schema(schema).readPoolSize(2).build();
        nodeA = node(storeA);
        nodeB = node(storeB);
    }

    private static ChatServer node(JdbcChatStore store) {
        return ChatServer.builder().host("127.0.0.1").port(0).store(store)
                .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
                .addApiExtension(SiweHttpApi.extension(SiweHttpApiTest.settings()))
                .start();
    }

    @AfterEach
    void stop() throws SQLException {
        for (AutoCloseable c : new AutoCloseable[] {nodeA, nodeB, storeA, storeB}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        if (storeA != null) {
            execute("DROP SCHEMA \"" + schema + "\" CASCADE");
        }
    }

    @Test
    void nonceFromOneNodeSignsInOnTheOtherAndTheSessionWorksOnBoth() {
        HttpJson a = new HttpJson(nodeA.httpUri());
        HttpJson b = new HttpJson(nodeB.httpUri());
        String nonce = a.post("/api/v1/auth/siwe/nonce", null, Map.of()).json().get("nonce").asText();
        String text = SiweHttpApiTest.message(SiweHttpApiTest.ADDRESS, nonce);
        Map<String, String> body = Map.of("message", text,
                "signature", SiweAuthenticatorTest.sign(text, SiweHttpApiTest.WALLET));

        HttpJson.Response login = b.post("/api/v1/auth/siwe/login", null, body);

        assertThat(login.status()).as(login.body()).isEqualTo(200);
        String token = login.json().get("token").asText();
        assertThat(a.get("/api/v1/me", token).json().at("/user/id").asText()).isEqualTo(SiweHttpApiTest.ADDRESS);
        assertThat(b.get("/api/v1/me", token).json().at("/user/id").asText()).isEqualTo(SiweHttpApiTest.ADDRESS);
        HttpJson.Response replay = a.post("/api/v1/auth/siwe/login", null, body);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.json().at("/error/message").asText()).startsWith("nonce_invalid:");

        String sessionId = login.json().get("sessionId").asText();
        assertThat(a.delete("/api/v1/me/sessions/" + sessionId, token).status()).isEqualTo(204);
        assertThat(b.get("/api/v1/me", token).status()).as("revoked on A, refused on B").isEqualTo(401);
    }

    private static String unreachable() {
        try (Connection c = connect()) {
            return c.isValid(3) ? null : "connection not valid";
        } catch (SQLException e) {
            return e.getMessage();
        }
    }

    private static Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", USER);
        p.setProperty("connectTimeout", "3");
        p.setProperty("loginTimeout", "3");
        return DriverManager.getConnection(URL, p);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
