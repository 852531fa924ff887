package dev.parley.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.AccountSettings;
import dev.parley.accounts.PasswordHasher;
import dev.parley.server.ChatServer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A {@link ChatServer} with real password accounts: the default SQLite store in a temporary
 * directory, a cheap password hasher, 127.0.0.1 and a free port. Helpers sign users up over
 * the HTTP API and open signed-in sockets with their tokens.
 */
public final class AccountsServer implements AutoCloseable {
    public static final String PASSWORD = "correct horse battery";

    private final ChatServer server;
    private final ApiClient api;

    private AccountsServer(ChatServer server) {
        this.server = server;
        this.api = new ApiClient(server.httpUri());
    }

    /** Settings for tests: Argon2id with 64 KiB and one pass, so that hashing is instant. */
    public static AccountSettings.Builder cheapSettings() {
        return AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1));
    }

    public static AccountsServer start(Path dataDir) {
        return start(ChatServer.builder().host("127.0.0.1").port(0).dataDir(dataDir)
                .accountSettings(cheapSettings().build()));
    }

    /** Starts a server from a builder the test configured (accounts must be on). */
    public static AccountsServer start(ChatServer.Builder builder) {
        return new AccountsServer(builder.start());
    }

    public ChatServer server() {
        return server;
    }

    public ApiClient api() {
        return api;
    }

    /** Registers {@code username} (display name = username); returns the user id. */
    public String register(String username) {
        ApiClient.Response r = api.post("/api/v1/auth/register", null,
                Map.of("username", username, "password", PASSWORD));
        assertThat(r.status()).as("register %s: %s", username, r).isEqualTo(201);
        return r.json().path("userId").asText();
    }

    /** Logs in with the test password; returns the login reply ({@code token}, {@code userId}, …). */
    public JsonNode login(String username) {
        ApiClient.Response r = api.post("/api/v1/auth/login", null, Map.of("username", username, "password", PASSWORD));
        assertThat(r.status()).as("login %s: %s", username, r).isEqualTo(200);
        assertThat(r.json().has("token")).as("login %s: %s", username, r).isTrue();
        return r.json();
    }

    /** Registers and logs in; returns the token. */
    public String signUp(String username) {
        register(username);
        return login(username).path("token").asText();
    }

    /** The user id behind a token. */
    public String userId(String token) {
        ApiClient.Response me = api.get("/api/v1/me", token);
        assertThat(me.status()).as("GET /me: %s", me).isEqualTo(200);
        return me.json().path("user").path("id").asText();
    }

    /** A socket signed in with {@code token}; asserts the hello succeeded. */
    public WsClient socket(String token) {
        WsClient client = WsClient.connect(server.webSocketUri());
        JsonNode reply = client.request("hello", "token", token);
        assertThat(reply.path("ok").asBoolean()).as("hello reply %s", reply).isTrue();
        return client;
    }

    @Override
    public void close() {
        server.close();
    }
}
