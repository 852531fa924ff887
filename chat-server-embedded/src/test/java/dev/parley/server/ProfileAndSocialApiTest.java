package dev.parley.server;

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

/** Profile, privacy, friends, blocks and user search over HTTP; the engine's rules apply on the socket too. */
class ProfileAndSocialApiTest {
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

    @Test
    void theProfileIsUpdatedAndABadAvatarIsRefused() {
        String token = server.signUp("alice");
        ApiClient.Response updated = api.post("/api/v1/me/profile", token,
                Map.of("name", "Alice Liddell", "avatar", "https://example.com/alice.png", "bio", "down the rabbit hole"));
        assertThat(updated.status()).isEqualTo(200);
        JsonNode user = updated.json().path("user");
        assertThat(user.path("name").asText()).isEqualTo("Alice Liddell");
        assertThat(user.path("avatar").asText()).isEqualTo("https://example.com/alice.png");
        assertThat(user.path("bio").asText()).isEqualTo("down the rabbit hole");

        ApiClient.Response bad = api.post("/api/v1/me/profile", token, Map.of("avatar", "javascript:alert(1)"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo("bad_request");
        assertThat(bad.errorMessage()).contains("avatar");

        JsonNode me = api.get("/api/v1/me", token).json().path("user");
        assertThat(me.path("avatar").asText()).as("unchanged by the refused update").isEqualTo("https://example.com/alice.png");
        JsonNode byId = api.get("/api/v1/users/" + me.path("id").asText(), token).json();
        assertThat(byId.path("bio").asText()).isEqualTo("down the rabbit hole");
        assertThat(byId.path("username").asText()).isEqualTo("alice");
    }

    @Test
    void privacyIsUpdatedPartiallyAndAnInvalidValueIsRefused() {
        String token = server.signUp("alice");
        JsonNode defaults = api.get("/api/v1/me/privacy", token).json().path("privacy");
        assertThat(defaults.path("directMessages").asText()).isEqualTo("everyone");
        assertThat(defaults.path("readReceipts").asBoolean()).isTrue();

        JsonNode updated = api.post("/api/v1/me/privacy", token, Map.of("directMessages", "friends", "readReceipts", false))
                .json().path("privacy");
        assertThat(updated.path("directMessages").asText()).isEqualTo("friends");
        assertThat(updated.path("readReceipts").asBoolean()).isFalse();
        assertThat(updated.path("presence").asText()).isEqualTo("everyone");
        assertThat(api.get("/api/v1/me/privacy", token).json().path("privacy")).isEqualTo(updated);

        ApiClient.Response invalid = api.post("/api/v1/me/privacy", token, Map.of("presence", "all"));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.errorMessage()).isEqualTo("presence must be everyone, friends or nobody");
        ApiClient.Response notABoolean = api.post("/api/v1/me/privacy", token, Map.of("readReceipts", "yes"));
        assertThat(notABoolean.status()).isEqualTo(400);
        assertThat(notABoolean.errorMessage()).contains("readReceipts");
        assertThat(api.get("/api/v1/me/privacy", token).json().path("privacy")).isEqualTo(updated);
    }

    @Test
    void friendsRequestAcceptThenABlockMakesADirectConversationForbidden() {
        String alice = server.signUp("alice");
        String bob = server.signUp("bob");
        String aliceId = server.userId(alice);
        String bobId = server.userId(bob);

        assertThat(api.post("/api/v1/friends/" + bobId + "/request", alice, null).status()).isEqualTo(204);
        JsonNode bobsView = api.get("/api/v1/me/friends", bob).json();
        assertThat(WsClient.strings(bobsView.path("incoming"))).containsExactly(aliceId);
        assertThat(bobsView.path("users").path(aliceId).path("name").asText()).isEqualTo("alice");
        assertThat(WsClient.strings(api.get("/api/v1/me/friends", alice).json().path("outgoing"))).containsExactly(bobId);
        ApiClient.Response twice = api.post("/api/v1/friends/" + bobId + "/request", alice, null);
        assertThat(twice.status()).isEqualTo(409);

        assertThat(api.post("/api/v1/friends/" + aliceId + "/accept", bob, null).status()).isEqualTo(204);
        assertThat(WsClient.strings(api.get("/api/v1/me/friends", alice).json().path("friends"))).containsExactly(bobId);

        assertThat(api.post("/api/v1/friends/" + aliceId + "/block", bob, null).status()).isEqualTo(204);
        JsonNode afterBlock = api.get("/api/v1/me/friends", bob).json();
        assertThat(WsClient.strings(afterBlock.path("blocked"))).containsExactly(aliceId);
        assertThat(WsClient.strings(afterBlock.path("friends"))).isEmpty();

        try (WsClient socket = server.socket(alice)) {
            JsonNode refused = socket.request("conversation.create", "kind", "direct", "userId", bobId);
            assertThat(refused.path("error").path("code").asText()).isEqualTo("forbidden");
        }
        assertThat(api.post("/api/v1/friends/" + bobId + "/request", alice, null).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/friends/" + aliceId + "/unblock", bob, null).status()).isEqualTo(204);
        assertThat(api.post("/api/v1/friends/" + aliceId + "/unblock", bob, null).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/friends/nobody-here/request", alice, null).status()).isEqualTo(404);
    }

    @Test
    void userSearchFindsAnExactUsernameFirstThenDisplayNames() {
        String alice = server.signUp("alice");
        String bobId = server.register("bobby.tables");
        String fan = server.signUp("fan");
        api.post("/api/v1/me/profile", fan, Map.of("name", "bobby.tables fan"));
        api.post("/api/v1/me/profile", server.login("bobby.tables").path("token").asText(), Map.of("name", "Robert"));

        JsonNode users = api.get("/api/v1/users?query=Bobby.Tables", alice).json().path("users");
        assertThat(users).hasSize(2);
        assertThat(users.get(0).path("id").asText()).isEqualTo(bobId);
        assertThat(users.get(0).path("username").asText()).isEqualTo("bobby.tables");
        assertThat(users.get(0).path("name").asText()).isEqualTo("Robert");
        assertThat(users.get(1).path("name").asText()).isEqualTo("bobby.tables fan");
        assertThat(users.get(1).path("username").asText()).isEqualTo("fan");

        JsonNode byName = api.get("/api/v1/users?query=rob&limit=5", alice).json().path("users");
        assertThat(byName).extracting(u -> u.path("id").asText()).containsExactly(bobId);
        assertThat(api.get("/api/v1/users?query=bobby.tables&limit=1", alice).json().path("users")).hasSize(1);
        assertThat(api.get("/api/v1/users?query=", alice).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/users?query=x&limit=many", alice).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/users?query=bobby.tables", null).status()).isEqualTo(401);
    }

    @Test
    void aUserWhoBlockedTheCallerIsNotFoundByUsername() {
        String alice = server.signUp("alice");
        String bob = server.signUp("bob");
        api.post("/api/v1/friends/" + server.userId(alice) + "/block", bob, null);
        assertThat(api.get("/api/v1/users?query=bob", alice).json().path("users")).isEmpty();
    }
}
