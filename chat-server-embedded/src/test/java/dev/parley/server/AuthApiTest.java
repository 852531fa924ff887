package dev.parley.server;

import static dev.parley.server.testing.AccountsServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.AccountService;
import dev.parley.accounts.Base32;
import dev.parley.accounts.Totp;
import dev.parley.core.ChatEngine;
import dev.parley.server.testing.AccountsServer;
import dev.parley.server.testing.ApiClient;
import dev.parley.tck.MutableClock;
import dev.parley.server.testing.WsClient;
import dev.parley.store.jdbc.JdbcChatStore;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/auth/…} and sessions, against real accounts in SQLite. */
class AuthApiTest {
    @TempDir
    Path dir;
    private AccountsServer server;
    private ApiClient api;

    @BeforeEach
    void start() {
        server = AccountsServer.start(dir);
        api = server.api();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Map<String, Object> credentials(String username, String password) {
        return Map.of("username", username, "password", password);
    }

    @Test
    void registerThenLoginGivesATokenThatOpensASocket() {
        ApiClient.Response registered = api.post("/api/v1/auth/register", null,
                Map.of("username", "Alice", "password", PASSWORD, "displayName", "Alice A."));
        assertThat(registered.status()).isEqualTo(201);
        String userId = registered.json().path("userId").asText();
        assertThat(userId).isNotEmpty();

        ApiClient.Response login = api.post("/api/v1/auth/login", null, credentials("alice", PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        JsonNode session = login.json();
        assertThat(session.path("userId").asText()).isEqualTo(userId);
        assertThat(session.path("token").asText()).hasSizeGreaterThan(20);
        assertThat(Instant.parse(session.path("expiresAt").asText())).isAfter(Instant.now().plus(Duration.ofDays(29)));
        assertThat(login.header("Cache-Control")).contains("no-store");

        try (WsClient socket = WsClient.connect(server.server().webSocketUri())) {
            JsonNode hello = socket.ok("hello", "token", session.path("token").asText());
            assertThat(hello.path("user").path("id").asText()).isEqualTo(userId);
            assertThat(hello.path("user").path("name").asText()).isEqualTo("Alice A.");
        }
        JsonNode me = api.get("/api/v1/me", session.path("token").asText()).json();
        assertThat(me.path("username").asText()).isEqualTo("alice");
        assertThat(me.path("admin").asBoolean()).as("the first account is an admin").isTrue();
        assertThat(me.path("totpEnabled").asBoolean()).isFalse();
        assertThat(me.path("user").path("createdAt").asText()).isNotEmpty();
    }

    @Test
    void aTakenUsernameIsAConflict() {
        server.register("alice");
        ApiClient.Response again = api.post("/api/v1/auth/register", null, credentials("ALICE", PASSWORD));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.errorCode()).isEqualTo("conflict");
        assertThat(again.json().path("error").path("retryable").asBoolean()).isFalse();
    }

    @Test
    void aWeakPasswordIsRefusedNamingTheRule() {
        ApiClient.Response shortOne = api.post("/api/v1/auth/register", null, credentials("bob", "short"));
        assertThat(shortOne.status()).isEqualTo(400);
        assertThat(shortOne.errorCode()).isEqualTo("bad_request");
        assertThat(shortOne.errorMessage()).contains("at least 10 characters");

        ApiClient.Response common = api.post("/api/v1/auth/register", null, credentials("bob", "password123"));
        assertThat(common.status()).isEqualTo(400);
        assertThat(common.errorMessage()).contains("too common");

        ApiClient.Response withName = api.post("/api/v1/auth/register", null, credentials("bobby", "my-name-is-bobby"));
        assertThat(withName.errorMessage()).contains("must not contain the username");
    }

    @Test
    void aWrongPasswordIsUnauthenticated() {
        server.register("alice");
        ApiClient.Response wrong = api.post("/api/v1/auth/login", null, credentials("alice", "not the password"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.errorCode()).isEqualTo("unauthenticated");
        ApiClient.Response unknown = api.post("/api/v1/auth/login", null, credentials("nobody", PASSWORD));
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.errorMessage()).isEqualTo(wrong.errorMessage()); // no hint whether the user exists
    }

    @Test
    void repeatedWrongPasswordsAreRateLimitedWithRetryAfter() {
        server.register("alice");
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("/api/v1/auth/login", null, credentials("alice", "wrong password " + i)).status())
                    .isEqualTo(401);
        }
        ApiClient.Response limited = api.post("/api/v1/auth/login", null, credentials("alice", PASSWORD));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.errorCode()).isEqualTo("rate_limited");
        JsonNode error = limited.json().path("error");
        assertThat(error.path("retryable").asBoolean()).isTrue();
        assertThat(error.path("retryAfterMs").asLong()).isBetween(1L, 1_000L);
        assertThat(limited.header("Retry-After")).contains("1");
    }

    @Test
    void twoFactorEnrolConfirmChallengeRefusesReplayAndAcceptsARecoveryCodeOnce() {
        String token = server.signUp("alice");
        JsonNode enrollment = api.post("/api/v1/auth/totp/enroll", token, null).json();
        String secret = enrollment.path("secret").asText();
        assertThat(enrollment.path("otpauthUri").asText()).startsWith("otpauth://totp/").contains("secret=" + secret);
        byte[] key = Base32.decode(secret);
        Totp totp = Totp.sha1(6);
        long step = Totp.step(Instant.now());

        ApiClient.Response confirmed = api.post("/api/v1/auth/totp/confirm", token, Map.of("code", totp.hotp(key, step)));
        assertThat(confirmed.status()).as("%s", confirmed).isEqualTo(200);
        List<String> recoveryCodes = WsClient.strings(confirmed.json().path("recoveryCodes"));
        assertThat(recoveryCodes).hasSize(10);
        assertThat(api.get("/api/v1/me", token).json().path("totpEnabled").asBoolean()).isTrue();

        JsonNode challenge = api.post("/api/v1/auth/login", null, credentials("alice", PASSWORD)).json();
        assertThat(challenge.path("challenge").asText()).isEqualTo("totp");
        assertThat(challenge.has("token")).isFalse();
        String challengeId = challenge.path("challengeId").asText();

        ApiClient.Response replayed = api.post("/api/v1/auth/login/totp", null,
                Map.of("challengeId", challengeId, "code", totp.hotp(key, step)));
        assertThat(replayed.status()).as("the code used to confirm works no more").isEqualTo(401);
        assertThat(replayed.errorCode()).isEqualTo("unauthenticated");

        String nextCode = totp.hotp(key, step + 1);
        ApiClient.Response loggedIn = api.post("/api/v1/auth/login/totp", null,
                Map.of("challengeId", challengeId, "code", nextCode));
        assertThat(loggedIn.status()).as("%s", loggedIn).isEqualTo(200);
        assertThat(server.userId(loggedIn.json().path("token").asText())).isEqualTo(loggedIn.json().path("userId").asText());

        String second = api.post("/api/v1/auth/login", null, credentials("alice", PASSWORD)).json().path("challengeId").asText();
        assertThat(api.post("/api/v1/auth/login/totp", null, Map.of("challengeId", second, "code", nextCode)).status())
                .as("a code works once").isEqualTo(401);
        ApiClient.Response byRecovery = api.post("/api/v1/auth/login/totp", null,
                Map.of("challengeId", second, "recoveryCode", recoveryCodes.get(0)));
        assertThat(byRecovery.status()).isEqualTo(200);
        assertThat(byRecovery.json().path("token").asText()).isNotEmpty();

        String third = api.post("/api/v1/auth/login", null, credentials("alice", PASSWORD)).json().path("challengeId").asText();
        ApiClient.Response reused = api.post("/api/v1/auth/login/totp", null,
                Map.of("challengeId", third, "recoveryCode", recoveryCodes.get(0)));
        assertThat(reused.status()).as("a recovery code works once").isEqualTo(401);
    }

    @Test
    void logoutStopsTheTokenOnHttpAndClosesItsSocketWith4401() {
        String token = server.signUp("alice");
        String other = server.login("alice").path("token").asText();
        try (WsClient socket = server.socket(token); WsClient otherSocket = server.socket(other)) {
            ApiClient.Response logout = api.post("/api/v1/auth/logout", token, null);
            assertThat(logout.status()).isEqualTo(204);
            assertThat(logout.body()).isEmpty();
            assertThat(socket.awaitClose()).isEqualTo(4401);
            assertThat(api.get("/api/v1/me", token).status()).isEqualTo(401);
            assertThat(otherSocket.ok("ping").path("ok").asBoolean()).as("another session stays").isTrue();
            assertThat(api.get("/api/v1/me", other).status()).isEqualTo(200);
        }
        assertThat(api.post("/api/v1/auth/logout", token, null).status()).isEqualTo(401);
    }

    @Test
    void sessionsAreListedWithTheCurrentOneMarkedAndAnotherCanBeRevoked() {
        String first = server.signUp("alice");
        JsonNode secondLogin = server.login("alice");
        String second = secondLogin.path("token").asText();
        String secondId = secondLogin.path("sessionId").asText();
        try (WsClient secondSocket = server.socket(second)) {
            JsonNode sessions = api.get("/api/v1/me/sessions", first).json().path("sessions");
            assertThat(sessions).hasSize(2);
            for (JsonNode s : sessions) {
                assertThat(s.path("current").asBoolean()).isEqualTo(!s.path("id").asText().equals(secondId));
                assertThat(s.path("address").asText()).isEqualTo("127.0.0.1");
                assertThat(s.path("client").asText()).isNotEmpty();
                assertThat(s.has("createdAt") && s.has("lastUsedAt") && s.has("expiresAt")).isTrue();
                assertThat(s.has("tokenHash")).isFalse();
            }
            assertThat(api.post("/api/v1/me/sessions/" + secondId + "/revoke", first, null).status()).isEqualTo(204);
            assertThat(secondSocket.awaitClose()).isEqualTo(4401);
        }
        assertThat(api.get("/api/v1/me", second).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/me/sessions", first).json().path("sessions")).hasSize(1);
        ApiClient.Response unknown = api.delete("/api/v1/me/sessions/" + secondId, first);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("not_found");
    }

    @Test
    void changingThePasswordKeepsThisSessionAndEndsTheOthers() {
        String token = server.signUp("alice");
        String other = server.login("alice").path("token").asText();
        ApiClient.Response wrong = api.post("/api/v1/auth/password", token,
                Map.of("currentPassword", "not it at all", "newPassword", "a new long passphrase"));
        assertThat(wrong.status()).isEqualTo(401);
        ApiClient.Response weak = api.post("/api/v1/auth/password", token,
                Map.of("currentPassword", PASSWORD, "newPassword", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(api.post("/api/v1/auth/password", token,
                Map.of("currentPassword", PASSWORD, "newPassword", "a new long passphrase")).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me", token).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", other).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/auth/login", null, credentials("alice", "a new long passphrase")).status())
                .isEqualTo(200);
    }

    @Test
    void aMissingOrUnknownBearerTokenIsUnauthenticated() {
        ApiClient.Response missing = api.get("/api/v1/me", null);
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.errorCode()).isEqualTo("unauthenticated");
        assertThat(missing.header("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(api.get("/api/v1/me", "not-a-token").status()).isEqualTo(401);
        assertThat(api.send(api.request("/api/v1/me", null).header("Authorization", "Basic YWxpY2U6eA==")).status())
                .isEqualTo(401);
        assertThat(api.post("/api/v1/auth/totp/enroll", null, null).status()).isEqualTo(401);
    }

    @Test
    void anExpiredTokenStopsWorkingOnHttpAndForHello(@TempDir Path own) {
        MutableClock clock = new MutableClock(Instant.now());
        try (JdbcChatStore store = JdbcChatStore.sqlite(own.resolve("parley.db"));
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            AccountService accounts = new AccountService(engine, store,
                    AccountsServer.cheapSettings().sessionTtl(Duration.ofHours(1)).build(), clock);
            try (AccountsServer expiring = AccountsServer.start(ChatServer.builder().port(0).engine(engine)
                    .accounts(accounts))) {
                String token = expiring.signUp("alice");
                assertThat(expiring.api().get("/api/v1/me", token).status()).isEqualTo(200);
                clock.advance(Duration.ofMinutes(61));
                ApiClient.Response expired = expiring.api().get("/api/v1/me", token);
                assertThat(expired.status()).isEqualTo(401);
                assertThat(expired.errorCode()).isEqualTo("unauthenticated");
                try (WsClient socket = WsClient.connect(expiring.server().webSocketUri())) {
                    assertThat(socket.request("hello", "token", token).path("error").path("code").asText())
                            .isEqualTo("unauthenticated");
                    assertThat(socket.awaitClose()).isEqualTo(4401);
                }
            }
        }
    }
}
