package dev.parley.examples;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.AccountSettings;
import dev.parley.core.ChatEngine;
import dev.parley.server.ChatEndpoint;
import dev.parley.server.ChatServerConfig;
import dev.parley.store.jdbc.JdbcChatStore;
import java.nio.file.Path;
import java.time.Clock;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A host application that already runs its own servlet container (here a Jetty it builds
 * itself; Tomcat or any Jakarta WebSocket container works the same) mounts the chat
 * endpoint at {@code /app/chat}. Only {@link ChatEndpoint#install} touches the container,
 * through the plain {@code jakarta.servlet} and {@code jakarta.websocket} APIs.
 */
public final class ServletContainerExample {

    public static void main(String[] args) throws Exception {
        try (JdbcChatStore store = JdbcChatStore.sqlite(Path.of("parley-host-data", "parley.db"));
             ChatEngine engine = ChatEngine.builder().store(store).build()) {
            AccountService accounts = new AccountService(engine, store, AccountSettings.defaults(), Clock.systemUTC());
            ChatEndpoint chat = ChatEndpoint.create(engine, accounts,
                    ChatServerConfig.builder().wsPath("/chat").build());
            // Logout, revocation and disabled accounts close the sockets of those sessions (4401).
            accounts.onSessionsRevoked(r -> chat.closeSessions(r.userId(), r.sessionIds()));

            // The host's own container, configured the way it always was.
            Server jetty = new Server();
            ServerConnector http = new ServerConnector(jetty);
            http.setHost("127.0.0.1");
            http.setPort(Integer.getInteger("port", 8081));
            jetty.addConnector(http);
            ServletContextHandler app = new ServletContextHandler();
            app.setContextPath("/app");
            JakartaWebSocketServletContainerInitializer.configure(app, chat::install);
            jetty.setHandler(app);
            jetty.start();
            System.out.println("chat endpoint mounted at ws://127.0.0.1:" + http.getLocalPort() + "/app/chat");
            jetty.join();
            chat.close();
        }
    }

    private ServletContainerExample() {
    }
}
