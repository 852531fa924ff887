package dev.parley.server;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ChatLimits;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.Broker;
import dev.parley.core.spi.ChatStore;
import dev.parley.server.internal.HealthServlet;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Parley server on embedded Jetty: the WebSocket endpoint (protocol v1, subprotocol
 * {@code parley.v1}) at {@link ChatServerConfig#wsPath()} and the HTTP API on the same port
 * ({@code GET /health}).
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder()
 *         .port(8080)
 *         .dataDir(Path.of("parley-data"))
 *         .authenticator(myAuthenticator)
 *         .start()) {
 *     server.engine().putUser("alice", "Alice");
 *     ...
 * }
 * }</pre>
 *
 * <p>Defaults: host {@code 127.0.0.1} (loopback only: set {@code "0.0.0.0"} to listen on every
 * interface), port 8080, data directory {@code ./parley-data} with the SQLite store
 * {@code parley.db}, the in-process broker, {@link ChatLimits#defaults()},
 * {@link ChatServerConfig#defaults()}, and — with a warning — the
 * {@link DevelopmentAuthenticator}. {@link #close()} closes what the server created (engine,
 * store, threads), never what it was given.
 */
public final class ChatServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);

    private final Server jetty;
    private final ChatEndpoint endpoint;
    private final ChatEngine engine;
    private final boolean ownsEngine;
    private final ChatStore ownedStore;
    private final String host;
    private final int port;
    private final AtomicBoolean closing;

    private ChatServer(Server jetty, ServerConnector connector, ChatEndpoint endpoint, ChatEngine engine,
                       boolean ownsEngine, ChatStore ownedStore, String host, AtomicBoolean closing) {
        this.jetty = jetty;
        this.endpoint = endpoint;
        this.engine = engine;
        this.ownsEngine = ownsEngine;
        this.ownedStore = ownedStore;
        this.host = host;
        this.port = connector.getLocalPort();
        this.closing = closing;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The engine behind this server, e.g. to create users and conversations from the host application. */
    public ChatEngine engine() {
        return engine;
    }

    /** The WebSocket endpoint (configuration, connection count). */
    public ChatEndpoint endpoint() {
        return endpoint;
    }

    public String host() {
        return host;
    }

    /** The bound port (the actual one when the builder asked for port 0). */
    public int port() {
        return port;
    }

    /** {@code ws://host:port/ws}. */
    public URI webSocketUri() {
        return URI.create("ws://" + hostForUri() + ":" + port() + endpoint.config().wsPath());
    }

    /** {@code http://host:port/}. */
    public URI httpUri() {
        return URI.create("http://" + hostForUri() + ":" + port() + "/");
    }

    private String hostForUri() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Sockets currently open. */
    public int connectionCount() {
        return endpoint.connectionCount();
    }

    /**
     * Stops the server: {@code /health} turns 503, every socket is closed with 1001, Jetty
     * stops, then the engine and the store are closed if the server created them. Idempotent.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        endpoint.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("stopping Jetty failed", e);
        }
        if (ownsEngine) {
            engine.close();
        }
        if (ownedStore != null) {
            ownedStore.close();
        }
        log.info("Parley server on {}:{} stopped", host, port);
    }

    /**
     * Configures and starts a {@link ChatServer}. Every option has a default; setting one twice,
     * or after {@link #start()}, throws {@link IllegalStateException}. Give either an
     * {@link #engine(ChatEngine) engine} or the parts the server builds one from (store or data
     * directory, broker, limits).
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private Path dataDir;
        private ChatStore store;
        private Broker broker;
        private ChatLimits limits;
        private ChatEngine engine;
        private Authenticator authenticator;
        private ChatServerConfig config = ChatServerConfig.defaults();
        private Executor executor;
        private final Set<String> set = new HashSet<>();
        private boolean started;

        private Builder() {
        }

        /** Interface to listen on; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            once("host");
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** TCP port; 0 picks a free one ({@link ChatServer#port()} tells which). Default 8080. */
        public Builder port(int port) {
            once("port");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Directory of the default SQLite store ({@code parley.db}); default {@code ./parley-data}. */
        public Builder dataDir(Path dataDir) {
            once("dataDir");
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The store instead of SQLite in {@code dataDir}. Not closed by the server. */
        public Builder store(ChatStore store) {
            once("store");
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The broker; default in-process (one node). Not closed by the server. */
        public Builder broker(Broker broker) {
            once("broker");
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** Chat limits of the engine the server builds (body size, typing timeout, presence grace, …). */
        public Builder limits(ChatLimits limits) {
            once("limits");
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** A ready engine instead of one built from store, broker and limits. Not closed by the server. */
        public Builder engine(ChatEngine engine) {
            once("engine");
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** How {@code hello} tokens are checked; default the {@link DevelopmentAuthenticator} (not for production). */
        public Builder authenticator(Authenticator authenticator) {
            once("authenticator");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /** Transport settings: path, frame size, heartbeat, queues, rate limits, origins. */
        public Builder config(ChatServerConfig config) {
            once("config");
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /** Executor for commands instead of the server's {@code parley-worker-N} pool. Not shut down by the server. */
        public Builder executor(Executor executor) {
            once("executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds and starts the server.
         *
         * @throws ChatException {@code unavailable} when the store cannot be opened or the port bound
         * @throws IllegalStateException for conflicting options or a second call
         */
        public ChatServer start() {
            if (started) {
                throw new IllegalStateException("start() was already called");
            }
            checkOptions();
            started = true;
            ChatStore ownedStore = null;
            ChatEngine builtEngine = null;
            ChatEndpoint endpoint = null;
            Server jetty = null;
            try {
                ChatEngine chatEngine = engine;
                if (chatEngine == null) {
                    ChatStore chatStore = store;
                    if (chatStore == null) {
                        ownedStore = openDefaultStore(dataDir != null ? dataDir : Path.of("parley-data"));
                        chatStore = ownedStore;
                    }
                    ChatEngine.Builder eb = ChatEngine.builder().store(chatStore);
                    if (broker != null) {
                        eb.broker(broker);
                    }
                    if (limits != null) {
                        eb.limits(limits);
                    }
                    builtEngine = eb.build();
                    chatEngine = builtEngine;
                }
                Authenticator auth = authenticator;
                if (auth == null) {
                    log.warn("no authenticator set: using DevelopmentAuthenticator, where the token dev:<userId>"
                            + " signs in as anyone. Do not use it in production.");
                    auth = new DevelopmentAuthenticator(chatEngine);
                }
                ChatEndpoint.Builder epb = ChatEndpoint.builder().engine(chatEngine).authenticator(auth).config(config);
                if (executor != null) {
                    epb.executor(executor);
                }
                endpoint = epb.build();

                QueuedThreadPool threads = new QueuedThreadPool();
                threads.setName("parley-http");
                jetty = new Server(threads);
                ServerConnector connector = new ServerConnector(jetty);
                connector.setHost(host);
                connector.setPort(port);
                jetty.addConnector(connector);

                ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
                context.setContextPath("/");
                ChatEndpoint ep = endpoint;
                AtomicBoolean closing = new AtomicBoolean();
                context.addServlet(new ServletHolder("parley-health",
                        new HealthServlet(new ProtocolCodec(), () -> closing.get() || ep.isClosing())), "/health");
                JakartaWebSocketServletContainerInitializer.configure(context, ep::install);
                jetty.setHandler(context);
                jetty.start();

                ChatServer server = new ChatServer(jetty, connector, endpoint, chatEngine, builtEngine != null,
                        ownedStore, host, closing);
                log.info("Parley server listening on {} (HTTP on the same port)", server.webSocketUri());
                return server;
            } catch (Exception e) {
                stopQuietly(jetty);
                if (endpoint != null) {
                    endpoint.close();
                }
                if (builtEngine != null) {
                    builtEngine.close();
                }
                if (ownedStore != null) {
                    ownedStore.close();
                }
                if (e instanceof ChatException ce) {
                    throw ce;
                }
                throw ChatException.unavailable("cannot start the server on " + host + ":" + port + ": "
                        + e.getMessage(), e);
            }
        }

        private void checkOptions() {
            if (engine != null) {
                for (String part : new String[] {"store", "dataDir", "broker", "limits"}) {
                    if (set.contains(part)) {
                        throw new IllegalStateException("engine is set, so " + part
                                + " cannot be: configure it on the engine");
                    }
                }
            }
            if (store != null && dataDir != null) {
                throw new IllegalStateException("dataDir is only for the default store, and store is set");
            }
        }

        private static ChatStore openDefaultStore(Path dir) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw ChatException.unavailable("cannot create the data directory " + dir + ": " + e.getMessage(), e);
            }
            return JdbcChatStore.sqlite(dir.resolve("parley.db"));
        }

        private static void stopQuietly(Server jetty) {
            if (jetty == null) {
                return;
            }
            try {
                jetty.stop();
            } catch (Exception e) {
                log.debug("stopping Jetty after a failed start failed", e);
            }
        }

        private void once(String option) {
            if (started) {
                throw new IllegalStateException("the server is already started; " + option + " cannot change");
            }
            if (!set.add(option)) {
                throw new IllegalStateException(option + " is already set");
            }
        }
    }
}
