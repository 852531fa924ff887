package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.server.testing.RawHttp;
import dev.parley.server.testing.WsClient;
import jakarta.servlet.DispatcherType;
import java.net.URI;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The endpoint mounted in a host application's own Jetty, through the plain Jakarta APIs only. */
class EmbeddingTest {

    @Test
    void theEndpointAndFilterWorkInAHostApplicationsOwnContainer() throws Exception {
        ChatServerConfig config = ChatServerConfig.builder().wsPath("/chat/socket").build();
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            ChatEndpoint endpoint = ChatEndpoint.create(engine, new DevelopmentAuthenticator(engine), config);
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            context.setContextPath("/app");
            JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> {
                container.addEndpoint(endpoint.endpointConfig());
                servletContext.addFilter("parley-handshake", endpoint.handshakeFilter())
                        .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, config.wsPath());
            });
            jetty.setHandler(context);
            try {
                jetty.start();
                int port = connector.getLocalPort();
                URI uri = URI.create("ws://127.0.0.1:" + port + "/app/chat/socket");
                try (WsClient alice = WsClient.signedIn(uri, "alice"); WsClient bob = WsClient.signedIn(uri, "bob")) {
                    String dm = alice.ok("conversation.create", "kind", "direct", "userId", "bob")
                            .path("conversation").path("id").asText();
                    JsonNode sent = alice.ok("send", "conversationId", dm, "clientMsgId", "1",
                            "body", Map.of("text", "hello from the host's Jetty"));
                    assertThat(sent.path("message").path("seq").asLong()).isEqualTo(1);
                    JsonNode event = bob.awaitEvent("message");
                    assertThat(event.path("message").path("body").path("text").asText())
                            .isEqualTo("hello from the host's Jetty");
                    assertThat(endpoint.connectionCount()).isEqualTo(2);
                }
                RawHttp.Response refused = RawHttp.upgrade(port, "/app/chat/socket", Map.of());
                assertThat(refused.status()).isEqualTo(400);
                assertThat(WsClient.JSON.readTree(refused.body()).path("error").path("code").asText())
                        .isEqualTo("bad_request");
            } finally {
                endpoint.close();
                jetty.stop();
            }
        }
    }

    @Test
    void withoutTheFilterTheEndpointStillRefusesAMissingSubprotocolAndAForeignOrigin() throws Exception {
        ChatServerConfig config = ChatServerConfig.builder().allowedOrigins(java.util.List.of("https://ok.example")).build();
        try (InMemoryChatStore store = new InMemoryChatStore();
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            ChatEndpoint endpoint = ChatEndpoint.create(engine, new DevelopmentAuthenticator(engine), config);
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            jetty.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler();
            JakartaWebSocketServletContainerInitializer.configure(context,
                    (servletContext, container) -> container.addEndpoint(endpoint.endpointConfig()));
            jetty.setHandler(context);
            try {
                jetty.start();
                int port = connector.getLocalPort();
                RawHttp.Response foreign = RawHttp.upgrade(port, "/ws",
                        Map.of("Sec-WebSocket-Protocol", "parley.v1", "Origin", "https://evil.example"));
                assertThat(foreign.status()).isEqualTo(403);

                java.util.concurrent.CompletableFuture<Integer> closed = new java.util.concurrent.CompletableFuture<>();
                java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new java.net.http.WebSocket.Listener() {
                            @Override
                            public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int code,
                                                                                  String reason) {
                                closed.complete(code);
                                return null;
                            }
                        }).join();
                assertThat(closed.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(1008);
            } finally {
                endpoint.close();
                jetty.stop();
            }
        }
    }
}
