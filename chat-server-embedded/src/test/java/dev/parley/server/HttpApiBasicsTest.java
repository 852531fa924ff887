package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.spi.Principal;
import dev.parley.server.testing.AccountsServer;
import dev.parley.server.testing.ApiClient;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every API endpoint shares: JSON errors, body limits, routing, accounts switched off. */
class HttpApiBasicsTest {
    @TempDir
    Path dir;

    @Test
    void malformedJsonIsABadRequest() {
        try (AccountsServer server = AccountsServer.start(dir)) {
            ApiClient.Response malformed = server.api().postRaw("/api/v1/auth/login", null, "{\"username\":");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.errorCode()).isEqualTo("bad_request");
            assertThat(malformed.header("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
            ApiClient.Response array = server.api().postRaw("/api/v1/auth/login", null, "[1,2]");
            assertThat(array.status()).isEqualTo(400);
            assertThat(array.errorMessage()).contains("JSON object");
            ApiClient.Response wrongType = server.api().post("/api/v1/auth/login", null, Map.of("username", 7, "password", "x"));
            assertThat(wrongType.status()).isEqualTo(400);
            assertThat(wrongType.errorMessage()).isEqualTo("username must be a string");
        }
    }

    @Test
    void aBodyOverTheLimitIsTooLargeWithOrWithoutContentLength() {
        try (AccountsServer server = AccountsServer.start(dir)) {
            String huge = "{\"username\":\"" + "x".repeat(100_000) + "\",\"password\":\"p\"}";
            ApiClient.Response declared = server.api().postRaw("/api/v1/auth/register", null, huge);
            assertThat(declared.status()).isEqualTo(413);
            assertThat(declared.errorCode()).isEqualTo("too_large");

            byte[] bytes = huge.getBytes(StandardCharsets.UTF_8);
            ApiClient.Response chunked = server.api().send(server.api().request("/api/v1/auth/register", null)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
            assertThat(chunked.status()).isEqualTo(413);
            assertThat(chunked.errorCode()).isEqualTo("too_large");
            server.register("still-fine");
        }
    }

    @Test
    void anUnknownApiPathIsAJson404AndAWrongMethodA405() {
        try (AccountsServer server = AccountsServer.start(dir)) {
            for (String path : new String[] {"/api/v1/nope", "/api/v2/me", "/api/", "/api/v1/users/a/b/c"}) {
                ApiClient.Response missing = server.api().get(path, null);
                assertThat(missing.status()).as(path).isEqualTo(404);
                assertThat(missing.errorCode()).as(path).isEqualTo("not_found");
            }
            ApiClient.Response wrongMethod = server.api().get("/api/v1/auth/login", null);
            assertThat(wrongMethod.status()).isEqualTo(405);
            assertThat(wrongMethod.errorCode()).isEqualTo("unsupported");
        }
    }

    @Test
    void withACustomAuthenticatorAndNoAccountsTheAccountEndpointsAre404ButTheRestWorks() {
        try (ChatServer server = ChatServer.builder().port(0).dataDir(dir)
                .authenticator(token -> token.equals("host-token") ? Optional.of(new Principal("host-user", "Host User"))
                        : Optional.empty())
                .start()) {
            server.engine().putUser("host-user", "Host User");
            ApiClient api = new ApiClient(server.httpUri());
            assertThat(server.accounts()).isEmpty();
            ApiClient.Response register = api.post("/api/v1/auth/register", null,
                    Map.of("username", "alice", "password", AccountsServer.PASSWORD));
            assertThat(register.status()).isEqualTo(404);
            assertThat(register.errorCode()).isEqualTo("not_found");
            assertThat(register.errorMessage()).contains("accounts are not enabled");
            assertThat(api.get("/api/v1/me/sessions", "host-token").status()).isEqualTo(404);
            assertThat(api.get("/api/v1/admin/users", "host-token").status()).isEqualTo(404);

            ApiClient.Response me = api.get("/api/v1/me", "host-token");
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().path("user").path("name").asText()).isEqualTo("Host User");
            assertThat(me.json().has("username")).isFalse();
            assertThat(api.get("/api/v1/me", "wrong").status()).isEqualTo(401);
        }
    }
}
