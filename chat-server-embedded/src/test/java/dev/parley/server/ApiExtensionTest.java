package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.parley.core.ChatException;
import dev.parley.core.spi.ApiExtension;
import dev.parley.core.spi.Principal;
import dev.parley.server.testing.AccountsServer;
import dev.parley.server.testing.ApiClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes a plug-in adds to the HTTP API through {@link ApiExtension}. */
class ApiExtensionTest {
    @TempDir
    Path dir;

    private static ApiExtension greeter() {
        return routes -> routes
                .get("/v1/greet/{name}", request -> ApiExtension.Reply.ok(JsonNodeFactory.instance.objectNode()
                        .put("hello", request.path("name")).put("caller", request.principal().userId())
                        .put("times", request.query("times"))))
                .post("/v1/greet", request -> ApiExtension.Reply.created(JsonNodeFactory.instance.objectNode()
                        .put("echo", request.requiredString("text"))))
                .delete("/v1/greet/{name}", request -> {
                    throw ChatException.conflict("cannot forget " + request.path("name"));
                })
                .put("/v1/greet/{name}", request -> ApiExtension.Reply.ok(JsonNodeFactory.instance.objectNode()
                        .put("name", request.path("name")).put("text", request.requiredString("text"))));
    }

    /** An extension with a resource, as one running periodic checks has. */
    static final class Closeable implements ApiExtension, AutoCloseable {
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public void addRoutes(Routes routes) {
            greeter().addRoutes(routes);
        }

        @Override
        public void close() {
            closed.incrementAndGet();
        }
    }

    @Test
    void extensionRoutesAreServedWithTheApisAuthenticationAndErrors() {
        try (AccountsServer server = AccountsServer.start(ChatServer.builder().port(0).dataDir(dir)
                .accountSettings(AccountsServer.cheapSettings().build())
                .addApiExtension(accounts -> greeter()))) {
            String token = server.signUp("alice");
            String alice = server.userId(token);

            ApiClient.Response get = server.api().get("/api/v1/greet/bob?times=2", token);
            assertThat(get.status()).isEqualTo(200);
            assertThat(get.json().get("hello").asText()).isEqualTo("bob");
            assertThat(get.json().get("caller").asText()).isEqualTo(alice);
            assertThat(get.json().get("times").asText()).isEqualTo("2");

            ApiClient.Response anonymous = server.api().get("/api/v1/greet/bob", null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.errorCode()).isEqualTo("unauthenticated");
            assertThat(anonymous.header("WWW-Authenticate")).isPresent();

            ApiClient.Response post = server.api().post("/api/v1/greet", null, Map.of("text", "hi"));
            assertThat(post.status()).isEqualTo(201);
            assertThat(post.json().get("echo").asText()).isEqualTo("hi");
            ApiClient.Response missing = server.api().post("/api/v1/greet", null, Map.of());
            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.errorMessage()).isEqualTo("text is required");

            ApiClient.Response refused = server.api().delete("/api/v1/greet/bob", token);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.errorCode()).isEqualTo("conflict");
            assertThat(server.api().get("/api/v1/greet", null).status()).as("POST only").isEqualTo(405);
        }
    }

    @Test
    void putRoutesReadAJsonBody() {
        try (AccountsServer server = AccountsServer.start(ChatServer.builder().port(0).dataDir(dir)
                .accountSettings(AccountsServer.cheapSettings().build())
                .addApiExtension(accounts -> greeter()))) {
            ApiClient.Response put = server.api().put("/api/v1/greet/bob", null, Map.of("text", "hi"));
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.json().get("name").asText()).isEqualTo("bob");
            assertThat(put.json().get("text").asText()).isEqualTo("hi");
            ApiClient.Response notAnObject = server.api().send(server.api().request("/api/v1/greet/bob", null)
                    .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("[1]")));
            assertThat(notAnObject.status()).isEqualTo(400);
            assertThat(server.api().put("/api/v1/greet", null, Map.of("text", "hi")).status())
                    .as("no PUT on this path").isEqualTo(405);
        }
    }

    @Test
    void aCloseableExtensionIsClosedWithTheServerOnce() {
        Closeable extension = new Closeable();
        ChatServer server = ChatServer.builder().port(0).dataDir(dir).addApiExtension(accounts -> extension).start();
        assertThat(extension.closed).hasValue(0);

        server.close();
        server.close();

        assertThat(extension.closed).hasValue(1);
    }

    @Test
    void aCloseableExtensionIsClosedWhenTheStartFails() {
        Closeable extension = new Closeable();
        ChatServer.Builder builder = ChatServer.builder().port(0).dataDir(dir)
                .addApiExtension(accounts -> extension)
                .addApiExtension(accounts -> greeter()); // the same routes again: start fails

        assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class);
        assertThat(extension.closed).hasValue(1);
    }

    @Test
    void anExtensionRoutingABuiltInPathFailsTheStart() {
        ChatServer.Builder builder = ChatServer.builder().port(0).dataDir(dir)
                .addApiExtension(accounts -> routes -> routes.post("/v1/auth/login", request -> ApiExtension.Reply.noContent()));

        assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("POST /v1/auth/login is already routed");
    }

    @Test
    void anExtensionPatternOutsideV1FailsTheStart() {
        ChatServer.Builder builder = ChatServer.builder().port(0).dataDir(dir)
                .addApiExtension(accounts -> routes -> routes.get("/admin", request -> ApiExtension.Reply.noContent()));

        assertThatThrownBy(builder::start).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with /v1/");
    }

    @Test
    void extensionsNeedAccounts() {
        ChatServer.Builder builder = ChatServer.builder().port(0).dataDir(dir)
                .authenticator(token -> Optional.of(new Principal("u", "U")))
                .addApiExtension(accounts -> greeter());

        assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("need accounts");
    }

    @Test
    void theFactoryGetsTheServersAccountService() {
        Object[] seen = new Object[1];
        try (ChatServer server = ChatServer.builder().port(0).dataDir(dir)
                .addApiExtension(accounts -> {
                    seen[0] = accounts;
                    return greeter();
                }).start()) {
            assertThat(seen[0]).isSameAs(server.accounts().orElseThrow());
        }
    }
}
