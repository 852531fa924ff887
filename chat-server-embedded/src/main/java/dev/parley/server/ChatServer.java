package dev.parley.server;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.AccountSettings;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ChatLimits;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.ApiExtension;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.Broker;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.core.spi.ChatStore;
import dev.parley.server.internal.BuilderOptions;
import dev.parley.server.internal.ClasspathResourceServlet;
import dev.parley.server.internal.HealthServlet;
import dev.parley.server.internal.GuardedConnector;
import dev.parley.core.spi.BlobStore;
import dev.parley.media.FileSystemBlobStore;
import dev.parley.media.MediaPolicy;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Parley server on embedded Jetty, everything on one port: the WebSocket endpoint
 * (protocol v1, subprotocol {@code parley.v1}) at {@link ChatServerConfig#wsPath()}, the JSON
 * HTTP API under {@code /api/v1} (accounts, profiles, friends, users, admin, conversations;
 * see {@code docs/http-api.md}), {@code GET /health}, the browser client at
 * {@code /client/parley.js}, and optionally a web root from the classpath at {@code /}.
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.builder()
 *         .port(8080)
 *         .dataDir(Path.of("parley-data"))
 *         .staticResources("com/example/chat-ui")
 *         .start()) {
 *     server.engine().putUser("support-bot", "Support");
 *     ...
 * }
 * }</pre>
 *
 * <p>Defaults: host {@code 127.0.0.1} (loopback only: set {@code "0.0.0.0"} to listen on every
 * interface), port 8080, data directory {@code ./parley-data} with the SQLite store
 * {@code parley.db}, the in-process broker, {@link ChatLimits#defaults()},
 * {@link ChatServerConfig#defaults()}, and password accounts: an {@link AccountService} over
 * the store (with {@link AccountSettings#defaults()}) that also checks the {@code hello} and
 * bearer tokens. Only when no authenticator is set and the store keeps no accounts (it does not
 * implement {@link AccountStore}) does the server fall back — with a warning — to the
 * {@link DevelopmentAuthenticator}. {@link #close()} closes what the server created (engine,
 * store, threads), never what it was given.
 */
public final class ChatServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatServer.class);
    private final Server jetty;
    private final ChatEndpoint endpoint;
    private final ChatEngine engine;
    private final AccountService accounts;
    private final boolean ownsEngine;
    private final ChatStore ownedStore;
    /** The HTTP API (its file cleanup) and, when the server opened it, the blob store. */
    private final AutoCloseable files;
    /** Extensions the server made at start that hold resources (closed after Jetty stops). */
    private final List<AutoCloseable> ownedExtensions;
    private final String host;
    private final int port;
    private final AtomicBoolean closing;

    private ChatServer(Server jetty, ServerConnector connector, ChatEndpoint endpoint, ChatEngine engine,
                       AccountService accounts, boolean ownsEngine, ChatStore ownedStore, AutoCloseable files,
                       List<AutoCloseable> ownedExtensions, String host, AtomicBoolean closing) {
        this.jetty = jetty;
        this.endpoint = endpoint;
        this.engine = engine;
        this.accounts = accounts;
        this.ownsEngine = ownsEngine;
        this.ownedStore = ownedStore;
        this.files = files;
        this.ownedExtensions = List.copyOf(ownedExtensions);
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

    /**
     * The password accounts behind {@code /api/v1/auth/…}, e.g. to create the first admin from
     * the host application; empty when accounts are not enabled.
     */
    public Optional<AccountService> accounts() {
        return Optional.ofNullable(accounts);
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

    /** The listen backlog the connector was opened with (for tests). */
    int acceptQueueSize() {
        return ((ServerConnector) jetty.getConnectors()[0]).getAcceptQueueSize();
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
        ownedExtensions.forEach(ChatServer::closeQuietly);
        closeQuietly(files);
        if (ownsEngine) {
            engine.close();
        }
        if (ownedStore != null) {
            ownedStore.close();
        }
        log.info("Parley server on {}:{} stopped", host, port);
    }

    private static AutoCloseable files(ChatHttpApi httpApi, BlobStore ownedBlobs) {
        if (httpApi == null && ownedBlobs == null) {
            return null;
        }
        return () -> {
            closeQuietly(httpApi);
            closeQuietly(ownedBlobs);
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            log.warn("closing {} failed", c, e);
        }
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
        private AccountService accounts;
        private AccountSettings accountSettings;
        private String staticResources;
        private ChatServerConfig config = ChatServerConfig.defaults();
        private Executor executor;
        private BlobStore blobStore;
        private MediaPolicy mediaPolicy = MediaPolicy.defaults();
        private ChatMetrics metrics;
        private final List<Function<AccountService, ApiExtension>> extensions = new ArrayList<>();
        private final BuilderOptions options = new BuilderOptions("the server is already started", "start()");

        private Builder() {
        }

        /** Interface to listen on; default {@code 127.0.0.1}. */
        public Builder host(String host) {
            options.once("host");
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** TCP port; 0 picks a free one ({@link ChatServer#port()} tells which). Default 8080. */
        public Builder port(int port) {
            options.once("port");
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0 to 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Directory of the default SQLite store ({@code parley.db}); default {@code ./parley-data}. */
        public Builder dataDir(Path dataDir) {
            options.once("dataDir");
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The store instead of SQLite in {@code dataDir}. Not closed by the server. */
        public Builder store(ChatStore store) {
            options.once("store");
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** The broker; default in-process (one node). Not closed by the server. */
        public Builder broker(Broker broker) {
            options.once("broker");
            this.broker = Objects.requireNonNull(broker, "broker");
            return this;
        }

        /** Chat limits of the engine the server builds (body size, typing timeout, presence grace, …). */
        public Builder limits(ChatLimits limits) {
            options.once("limits");
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** A ready engine instead of one built from store, broker and limits. Not closed by the server. */
        public Builder engine(ChatEngine engine) {
            options.once("engine");
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /**
         * How {@code hello} and HTTP bearer tokens are checked, instead of the account service.
         * Without {@link #accounts(AccountService) accounts} (or {@link #accountSettings
         * accountSettings}) the account endpoints ({@code /api/v1/auth/…}, sessions, admin)
         * then answer 404 {@code not_found}; the other API endpoints work with this
         * authenticator's principals. With accounts as well, this authenticator must accept the
         * account service's tokens (e.g. by delegating to it).
         */
        public Builder authenticator(Authenticator authenticator) {
            options.once("authenticator");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * The password accounts behind {@code /api/v1/auth/…} and, unless an
         * {@link #authenticator(Authenticator) authenticator} is set, the token check. Default:
         * one the server builds over the store when the store implements {@link AccountStore}
         * (the default SQLite store does). Sockets of revoked sessions are closed with 4401.
         * Username look-ups (user search) use the engine's store when it is an {@link AccountStore}.
         */
        public Builder accounts(AccountService accounts) {
            options.once("accounts");
            this.accounts = Objects.requireNonNull(accounts, "accounts");
            return this;
        }

        /**
         * Settings of the account service the server builds (password hashing, session
         * lifetime, brute-force delays, …); default {@link AccountSettings#defaults()}. Setting
         * them turns accounts on even with a custom {@link #authenticator(Authenticator)
         * authenticator}; the store must implement {@link AccountStore}.
         */
        public Builder accountSettings(AccountSettings settings) {
            options.once("accountSettings");
            this.accountSettings = Objects.requireNonNull(settings, "accountSettings");
            return this;
        }

        /**
         * Serves the files under a classpath directory at {@code /} ({@code index.html} for
         * {@code /}), e.g. {@code "com/example/chat-ui"}: only plain paths (no {@code ..},
         * no hidden files), only known file types (html, js, css, json, images, fonts, …),
         * never a directory listing. Resources are looked up with the thread context class
         * loader of the thread that calls {@link #start()} (or this library's loader).
         */
        public Builder staticResources(String classpathDir) {
            options.once("staticResources");
            this.staticResources = ClasspathResourceServlet.normalizeRoot(classpathDir);
            return this;
        }

        /** Transport settings: path, frame size, heartbeat, queues, rate limits, origins. */
        public Builder config(ChatServerConfig config) {
            options.once("config");
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Where uploaded files are kept, instead of a {@code FileSystemBlobStore} in
         * {@code <dataDir>/blobs}. Not closed by the server. Without it, a server given its own
         * {@link #store(ChatStore) store} or {@link #engine(ChatEngine) engine} serves no files
         * ({@code /api/v1/files} answers 404).
         *
         * @since 0.1.0
         */
        public Builder blobStore(BlobStore blobStore) {
            options.once("blobStore");
            this.blobStore = Objects.requireNonNull(blobStore, "blobStore");
            return this;
        }

        /** Size limits per kind, accepted types and image limits of uploads; default {@link MediaPolicy#defaults()}. */
        public Builder mediaPolicy(MediaPolicy policy) {
            options.once("mediaPolicy");
            this.mediaPolicy = Objects.requireNonNull(policy, "mediaPolicy");
            return this;
        }

        /**
         * Where the server reports what it measures (sockets, commands, messages sent and
         * delivered, dropped frames, commits of the default store); default
         * {@link ChatMetrics#none()}. For Micrometer: {@code new MicrometerChatMetrics(registry)}
         * from {@code dev.parley:chat-micrometer} (see {@code docs/metrics.md}). A
         * {@link #store(ChatStore) store} or {@link #broker(Broker) broker} given to the server
         * reports only if it was built with metrics too. Not with {@link #engine(ChatEngine)
         * engine}: the server then reports to {@link ChatEngine#metrics()}.
         *
         * @since 0.1.0
         */
        public Builder metrics(ChatMetrics metrics) {
            options.once("metrics");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /**
         * Adds extra HTTP routes under {@code /api/v1/…}, made at {@link #start()} from the
         * server's account service (the one it builds, or the one given to
         * {@link #accounts(AccountService)}), e.g. Sign-In with Ethereum:
         * <pre>{@code
         * ChatServer.builder().addApiExtension(accounts -> new SiweHttpApi(new WalletSignIn(accounts, siweSettings)))
         * }</pre>
         * May be called for several extensions. {@link #start()} fails when accounts are off
         * and an extension was added, or when an extension routes a path already routed. An
         * extension that is also {@link AutoCloseable} (e.g. one that runs periodic checks) is
         * the server's: {@link ChatServer#close()} closes it after the HTTP server stopped.
         *
         * @since 0.1.0
         */
        public Builder addApiExtension(Function<AccountService, ApiExtension> factory) {
            options.checkOpen("extensions cannot be added");
            extensions.add(Objects.requireNonNull(factory, "factory"));
            return this;
        }

        /** Executor for commands instead of the server's {@code parley-worker-N} pool. Not shut down by the server. */
        public Builder executor(Executor executor) {
            options.once("executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Builds and starts the server.
         *
         * @throws ChatException {@code unavailable} when the store cannot be opened or the port bound
         * @throws IllegalStateException for conflicting options (an API extension routing a path
         *                               already routed, extensions without accounts) or a second call
         */
        public ChatServer start() {
            options.checkNotFinished();
            checkOptions();
            options.markFinished();
            ChatStore ownedStore = null;
            BlobStore ownedBlobs = null;
            ChatHttpApi httpApi = null;
            ChatEngine builtEngine = null;
            ChatEndpoint endpoint = null;
            Server jetty = null;
            List<AutoCloseable> madeExtensions = new ArrayList<>();
            try {
                ChatEngine chatEngine = engine;
                if (chatEngine == null) {
                    ChatStore chatStore = store;
                    if (chatStore == null) {
                        ownedStore = openDefaultStore(dataDir != null ? dataDir : Path.of("parley-data"),
                                metrics != null ? metrics : ChatMetrics.none());
                        chatStore = ownedStore;
                    }
                    ChatEngine.Builder eb = ChatEngine.builder().store(chatStore);
                    if (broker != null) {
                        eb.broker(broker);
                    }
                    if (limits != null) {
                        eb.limits(limits);
                    }
                    if (metrics != null) {
                        eb.metrics(metrics);
                    }
                    builtEngine = eb.build();
                    chatEngine = builtEngine;
                }
                ChatStore engineStore = chatEngine.store();
                AccountStore accountStore = engineStore instanceof AccountStore as ? as : null;
                AccountService accountService = accounts;
                boolean buildAccounts = authenticator == null || accountSettings != null;
                if (accountService == null && accountStore != null && buildAccounts) {
                    AccountSettings settings = accountSettings != null ? accountSettings : AccountSettings.defaults();
                    accountService = new AccountService(chatEngine, accountStore, settings, chatEngine.clock());
                }
                Authenticator auth = authenticator != null ? authenticator : accountService;
                if (auth == null) {
                    log.warn("no authenticator set and the store ({}) keeps no accounts: using DevelopmentAuthenticator,"
                            + " where the token dev:<userId> signs in as anyone. Do not use it in production.",
                            engineStore.getClass().getSimpleName());
                    auth = new DevelopmentAuthenticator(chatEngine);
                }
                ChatEndpoint.Builder epb = ChatEndpoint.builder().engine(chatEngine).authenticator(auth).config(config);
                if (executor != null) {
                    epb.executor(executor);
                }
                endpoint = epb.build();
                ChatEndpoint revocations = endpoint;
                if (accountService != null) {
                    accountService.onSessionsRevoked(r -> revocations.closeSessions(r.userId(), r.sessionIds()));
                }

                QueuedThreadPool threads = new QueuedThreadPool();
                threads.setName("parley-http");
                jetty = new Server(threads);
                ServerConnector connector = new GuardedConnector(jetty, config.maxConnections(),
                        config.maxConnectionsPerAddress(), config.requestHeaderTimeout(), config.acceptQueueSize());
                connector.setHost(host);
                connector.setPort(port);
                jetty.addConnector(connector);

                ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
                context.setContextPath("/");
                ChatEndpoint ep = endpoint;
                AtomicBoolean closing = new AtomicBoolean();
                context.addServlet(new ServletHolder("parley-health",
                        new HealthServlet(new ProtocolCodec(), () -> closing.get() || ep.isClosing())), "/health");
                BlobStore blobs = blobStore;
                if (blobs == null && engine == null && store == null) {
                    ownedBlobs = FileSystemBlobStore.open((dataDir != null ? dataDir : Path.of("parley-data")).resolve("blobs"));
                    blobs = ownedBlobs;
                }
                ChatHttpApi.Builder apiBuilder = ChatHttpApi.builder().engine(chatEngine).authenticator(auth)
                        .mediaPolicy(mediaPolicy).maxBodyBytes(config.maxFrameBytes());
                if (accountService != null) {
                    apiBuilder.accounts(accountService);
                }
                if (blobs != null) {
                    apiBuilder.blobStore(blobs);
                }
                if (!extensions.isEmpty() && accountService == null) {
                    throw new IllegalStateException("API extensions need accounts, and this server has none (its"
                            + " store keeps no accounts, or a custom authenticator replaced them)");
                }
                for (Function<AccountService, ApiExtension> factory : extensions) {
                    ApiExtension extension = Objects.requireNonNull(factory.apply(accountService),
                            "an API extension factory returned null");
                    if (extension instanceof AutoCloseable closeable) {
                        madeExtensions.add(closeable);
                    }
                    apiBuilder.addExtension(extension);
                }
                httpApi = apiBuilder.build();
                for (ChatHttpApi.Mount mount : httpApi.mounts()) {
                    context.addServlet(new ServletHolder(mount.name(), mount.servlet()), mount.urlPattern());
                }
                if (staticResources != null) {
                    ClassLoader own = ChatServer.class.getClassLoader();
                    ClassLoader caller = Thread.currentThread().getContextClassLoader();
                    ClasspathResourceServlet files = ClasspathResourceServlet.directory(
                            caller != null ? caller : own, staticResources);
                    if (!files.hasIndex()) {
                        log.warn("static resources: no {}/index.html on the classpath", staticResources);
                    }
                    context.addServlet(new ServletHolder("parley-static", files), "/");
                }
                context.addServletContainerInitializer((classes, servletContext) -> CoreTransport.install(ep, context));
                jetty.setHandler(context);
                jetty.start();

                ChatServer server = new ChatServer(jetty, connector, endpoint, chatEngine, accountService,
                        builtEngine != null, ownedStore, files(httpApi, ownedBlobs), madeExtensions, host, closing);
                log.info("Parley server listening on {} (HTTP on the same port)", server.webSocketUri());
                return server;
            } catch (Exception e) {
                stopQuietly(jetty);
                if (endpoint != null) {
                    endpoint.close();
                }
                madeExtensions.forEach(ChatServer::closeQuietly);
                if (builtEngine != null) {
                    builtEngine.close();
                }
                closeQuietly(files(httpApi, ownedBlobs));
                if (ownedStore != null) {
                    ownedStore.close();
                }
                if (e instanceof ChatException ce) {
                    throw ce;
                }
                if (e instanceof IllegalStateException || e instanceof IllegalArgumentException) {
                    throw (RuntimeException) e; // a configuration mistake, e.g. an extension's clashing route
                }
                throw ChatException.unavailable("cannot start the server on " + host + ":" + port + ": "
                        + e.getMessage(), e);
            }
        }

        private void checkOptions() {
            if (engine != null) {
                for (String part : new String[] {"store", "dataDir", "broker", "limits", "metrics"}) {
                    if (options.isSet(part)) {
                        throw new IllegalStateException("engine is set, so " + part
                                + " cannot be: configure it on the engine");
                    }
                }
            }
            if (store != null && dataDir != null) {
                throw new IllegalStateException("dataDir is only for the default store, and store is set");
            }
            if (accounts != null && accountSettings != null) {
                throw new IllegalStateException("accountSettings is for the account service the server builds,"
                        + " and accounts is set: configure it on the AccountService");
            }
            ChatStore chosen = engine != null ? engine.store() : store; // null: the default SQLite store
            if (accountSettings != null && chosen != null && !(chosen instanceof AccountStore)) {
                throw new IllegalStateException("accountSettings needs a store that implements AccountStore (the"
                        + " default SQLite store does); " + chosen.getClass().getName() + " does not");
            }
        }

        private static ChatStore openDefaultStore(Path dir, ChatMetrics metrics) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw ChatException.unavailable("cannot create the data directory " + dir + ": " + e.getMessage(), e);
            }
            return JdbcChatStore.builder().sqlite(dir.resolve("parley.db")).metrics(metrics).build();
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
    }
}
