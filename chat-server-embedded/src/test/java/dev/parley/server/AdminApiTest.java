package dev.parley.server;

import static dev.parley.server.testing.AccountsServer.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.testing.AccountsServer;
import dev.parley.server.testing.ApiClient;
import dev.parley.server.testing.WsClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/v1/admin/users…} and account deletion. The first account registered is the admin. */
class AdminApiTest {
    @TempDir
    Path dir;
    private AccountsServer server;
    private ApiClient api;
    private String root;
    private String alice;
    private String aliceId;

    @BeforeEach
    void start() {
        server = AccountsServer.start(dir);
        api = server.api();
        root = server.signUp("root");
        alice = server.signUp("alice");
        aliceId = server.userId(alice);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ApiClient.Response login(String username) {
        return api.post("/api/v1/auth/login", null, Map.of("username", username, "password", PASSWORD));
    }

    @Test
    void anAdminListsUsersInPages() {
        server.register("carol");
        JsonNode all = api.get("/api/v1/admin/users", root).json();
        assertThat(all.path("users")).extracting(u -> u.path("username").asText()).containsExactly("root", "alice", "carol");
        JsonNode first = all.path("users").get(0);
        assertThat(first.path("admin").asBoolean()).isTrue();
        assertThat(first.path("disabled").asBoolean()).isFalse();
        assertThat(first.path("createdAt").asText()).isNotEmpty();
        assertThat(first.has("passwordHash") || first.has("totpSecret")).isFalse();
        assertThat(all.has("next")).isFalse();

        JsonNode page = api.get("/api/v1/admin/users?limit=2", root).json();
        assertThat(page.path("users")).hasSize(2);
        JsonNode rest = api.get("/api/v1/admin/users?limit=2&after=" + page.path("next").asText(), root).json();
        assertThat(rest.path("users")).extracting(u -> u.path("username").asText()).containsExactly("carol");
        assertThat(api.get("/api/v1/admin/users?limit=0", root).status()).isEqualTo(400);
    }

    @Test
    void disablingClosesTheUsersSocketsAndRefusesLoginUntilEnabled() {
        try (WsClient socket = server.socket(alice)) {
            assertThat(api.post("/api/v1/admin/users/" + aliceId + "/disable", root, null).status()).isEqualTo(204);
            assertThat(socket.awaitClose()).isEqualTo(4401);
        }
        assertThat(api.get("/api/v1/me", alice).status()).isEqualTo(401);
        ApiClient.Response refused = login("alice");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("forbidden");
        assertThat(api.get("/api/v1/admin/users", root).json().path("users").get(1).path("disabled").asBoolean()).isTrue();

        assertThat(api.post("/api/v1/admin/users/" + aliceId + "/enable", root, null).status()).isEqualTo(204);
        assertThat(login("alice").status()).isEqualTo(200);
    }

    @Test
    void deletingAnAccountEndsItsSessionsAndLeavesADeletedUser() {
        api.post("/api/v1/me/profile", alice, Map.of("bio", "about me"));
        try (WsClient socket = server.socket(alice)) {
            assertThat(api.delete("/api/v1/admin/users/" + aliceId, root).status()).isEqualTo(204);
            assertThat(socket.awaitClose()).isEqualTo(4401);
        }
        assertThat(login("alice").status()).isEqualTo(401);
        JsonNode user = api.get("/api/v1/users/" + aliceId, root).json();
        assertThat(user.path("name").asText()).isEqualTo("Deleted user");
        assertThat(user.has("bio")).isFalse();
        assertThat(user.has("username")).isFalse();
        assertThat(api.delete("/api/v1/admin/users/" + aliceId, root).status()).isEqualTo(404);
        assertThat(server.register("alice")).as("the username can be registered again, as a new user")
                .isNotEqualTo(aliceId);
    }

    @Test
    void usersDeleteThemselves() {
        try (WsClient socket = server.socket(alice)) {
            assertThat(api.delete("/api/v1/me", alice).status()).isEqualTo(204);
            assertThat(socket.awaitClose()).isEqualTo(4401);
        }
        assertThat(api.get("/api/v1/me", alice).status()).isEqualTo(401);
        assertThat(login("alice").status()).isEqualTo(401);
    }

    @Test
    void aNonAdminIsForbiddenEveryAdminCallUntilGrantedTheRole() {
        String rootId = server.userId(root);
        assertThat(api.get("/api/v1/admin/users", alice).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/admin/users", alice).errorCode()).isEqualTo("forbidden");
        assertThat(api.post("/api/v1/admin/users/" + rootId + "/disable", alice, null).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/admin/users/" + aliceId + "/role", alice, Map.of("admin", true)).status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/admin/users/" + rootId, alice).status()).isEqualTo(403);
        assertThat(api.delete("/api/v1/admin/users/" + aliceId, alice).status()).as("not even herself, on the admin path")
                .isEqualTo(403);

        assertThat(api.post("/api/v1/admin/users/" + aliceId + "/role", root, Map.of()).status()).isEqualTo(400);
        assertThat(api.post("/api/v1/admin/users/" + aliceId + "/role", root, Map.of("admin", true)).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/admin/users", alice).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", alice).json().path("admin").asBoolean()).isTrue();
    }
}
