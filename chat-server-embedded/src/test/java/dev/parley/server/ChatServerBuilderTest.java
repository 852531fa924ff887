package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.AccountService;
import dev.parley.accounts.AccountSettings;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.local.InMemoryAccountStore;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.server.testing.AccountsServer;
import dev.parley.server.testing.WsClient;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatServerBuilderTest {

    @Test
    void settingAnOptionTwiceFails() {
        ChatServer.Builder builder = ChatServer.builder().port(0);
        assertThatThrownBy(() -> builder.port(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("port");
    }

    @Test
    void configuringAfterStartFails() {
        try (InMemoryChatStore store = new InMemoryChatStore()) {
            ChatServer.Builder builder = ChatServer.builder().port(0).store(store);
            try (ChatServer server = builder.start()) {
                assertThat(server.port()).isPositive();
                assertThat(server.host()).isEqualTo("127.0.0.1");
                assertThatThrownBy(() -> builder.host("0.0.0.0")).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    @Test
    void theAcceptQueueSizeReachesTheConnector() {
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatServer defaults = ChatServer.builder().port(0).store(store).start();
             ChatServer configured = ChatServer.builder().port(0).store(store)
                     .config(ChatServerConfig.builder().acceptQueueSize(777).build()).start()) {
            assertThat(defaults.acceptQueueSize()).isEqualTo(1_024);
            assertThat(configured.acceptQueueSize()).isEqualTo(777);
        }
    }

    @Test
    void anAcceptQueueSizeBelowOneIsRefusedWithItsName() {
        assertThatThrownBy(() -> ChatServerConfig.builder().acceptQueueSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acceptQueueSize");
    }

    @Test
    void anEngineExcludesTheOptionsAnEngineIsBuiltFrom() {
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            assertThatThrownBy(() -> ChatServer.builder().engine(engine).store(store).start())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("store");
        }
    }

    @Test
    void closeIsIdempotentAndLeavesAGivenEngineOpen() {
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            ChatServer server = ChatServer.builder().port(0).engine(engine).start();
            server.close();
            server.close();
            assertThat(engine.putUser("still", "Still open").id()).isEqualTo("still");
        }
    }

    @Test
    void aBusyPortFailsToStartWithUnavailable() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
             InMemoryChatStore store = new InMemoryChatStore()) {
            assertThatThrownBy(() -> ChatServer.builder().port(taken.getLocalPort()).store(store).start())
                    .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        }
    }

    @Test
    void theDefaultStoreIsSqliteInTheDataDirectoryWithAccountsAndKeepsBothAcrossRestarts(@TempDir Path dir) {
        String dm;
        String bobId;
        try (AccountsServer server = AccountsServer.start(dir)) {
            assertThat(server.server().accounts()).isPresent();
            String alice = server.signUp("alice");
            bobId = server.register("bob");
            try (WsClient socket = server.socket(alice)) {
                dm = socket.ok("conversation.create", "kind", "direct", "userId", bobId).path("conversation").path("id").asText();
                socket.ok("send", "conversationId", dm, "clientMsgId", "1", "body", Map.of("text", "kept"));
            }
        }
        assertThat(Files.exists(dir.resolve("parley.db"))).isTrue();
        try (AccountsServer server = AccountsServer.start(dir);
             WsClient bob = server.socket(server.login("bob").path("token").asText())) {
            JsonNode history = bob.ok("history", "conversationId", dm);
            assertThat(history.path("messages").get(0).path("body").path("text").asText()).isEqualTo("kept");
            assertThat(bob.frames().get(0).path("user").path("id").asText()).isEqualTo(bobId);
        }
    }

    @Test
    void withoutAnAccountStoreAndWithoutAnAuthenticatorTheDevelopmentLoginIsUsed() {
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatServer server = ChatServer.builder().port(0).store(store).start();
             WsClient alice = WsClient.signedIn(server.webSocketUri(), "alice")) {
            assertThat(server.accounts()).isEmpty();
            assertThat(alice.frames().get(0).path("user").path("id").asText()).isEqualTo("alice");
        }
    }

    @Test
    void accountSettingsNeedAnAccountStoreAndExcludeAGivenAccountService(@TempDir Path dir) {
        AccountSettings settings = AccountsServer.cheapSettings().build();
        try (InMemoryChatStore store = new InMemoryChatStore()) {
            assertThatThrownBy(() -> ChatServer.builder().port(0).store(store).accountSettings(settings).start())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("AccountStore");
        }
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            AccountService accounts = new AccountService(engine, new InMemoryAccountStore(), settings, Clock.systemUTC());
            assertThatThrownBy(() -> ChatServer.builder().port(0).engine(engine).accounts(accounts)
                    .accountSettings(settings).start())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("accountSettings");
        }
        assertThatThrownBy(() -> ChatServer.builder().staticResources("/"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChatServer.builder().staticResources("web/../secrets"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidConfigValuesFailNamingTheOption() {
        assertThatThrownBy(() -> ChatServerConfig.builder().maxFrameBytes(10).build())
                .hasMessageContaining("maxFrameBytes");
        assertThatThrownBy(() -> ChatServerConfig.builder().pingInterval(Duration.ZERO).build())
                .hasMessageContaining("pingInterval");
        assertThatThrownBy(() -> ChatServerConfig.builder().wsPath("ws").build()).hasMessageContaining("wsPath");
        assertThatThrownBy(() -> ChatServerConfig.builder().allowedOrigins(List.of("https://x.example/")).build())
                .hasMessageContaining("allowedOrigins");
        assertThatThrownBy(() -> ChatServerConfig.builder().connectionRate(0, 1)).hasMessageContaining("perSecond");
        ChatServerConfig defaults = ChatServerConfig.defaults();
        assertThat(defaults.wsPath()).isEqualTo("/ws");
        assertThat(defaults.maxFrameBytes()).isEqualTo(65_536);
        assertThat(defaults.pingInterval()).isEqualTo(Duration.ofSeconds(25));
        assertThat(defaults.helloTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
    }
}
