package dev.parley.server;

import dev.parley.core.ChatEngine;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.server.internal.BuilderOptions;
import dev.parley.server.internal.SocketHub;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The Parley WebSocket endpoint for any Jakarta WebSocket 2.1 / Servlet 6 container: the
 * per-socket endpoints, the fan-out of engine events to local sockets, the worker pool that
 * runs commands off the container's I/O threads, and the heartbeat. A host application mounts
 * it in the container it already runs, through the Jakarta WebSocket API; {@link ChatServer}
 * deploys it on embedded Jetty's core WebSocket API instead (same protocol, less memory per
 * socket, broadcasts written without encoding them per recipient).
 *
 * <pre>{@code
 * ChatEndpoint endpoint = ChatEndpoint.create(engine, authenticator, ChatServerConfig.defaults());
 * // in a ServletContainerInitializer, or Jetty's JakartaWebSocketServletContainerInitializer.configure(...):
 * endpoint.install(servletContext, serverContainer);
 * // at shutdown:
 * endpoint.close();
 * }</pre>
 *
 * <p>The endpoint never closes the engine, the authenticator or an executor it was given; close
 * the endpoint first, then the engine.
 */
public final class ChatEndpoint implements AutoCloseable {
    private final SocketHub hub;
    private final ChatServerConfig config;

    private ChatEndpoint(Builder b) {
        this.config = b.config;
        this.hub = new SocketHub(b.engine, b.authenticator, b.config, b.executor, System::nanoTime,
                b.metrics != null ? b.metrics : b.engine.metrics());
    }

    /** An endpoint with its own worker pool. */
    public static ChatEndpoint create(ChatEngine engine, Authenticator authenticator, ChatServerConfig config) {
        return builder().engine(engine).authenticator(authenticator).config(config).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The endpoint's configuration, for {@link ServerContainer#addEndpoint(ServerEndpointConfig)}:
     * path {@link ChatServerConfig#wsPath()}, subprotocol {@code parley.v1}, origin check.
     */
    public ServerEndpointConfig endpointConfig() {
        return hub.endpointConfig();
    }

    /** A filter refusing bad handshakes with JSON errors (403 origin, 400 subprotocol); see {@link HandshakeFilter}. */
    public HandshakeFilter handshakeFilter() {
        return new HandshakeFilter(config);
    }

    /**
     * Deploys the endpoint and its {@link HandshakeFilter} (ahead of the container's upgrade
     * filter) on the WebSocket path. Call it while the servlet context initializes.
     *
     * @throws DeploymentException when the container refuses the endpoint
     */
    public void install(ServletContext servletContext, ServerContainer container) throws DeploymentException {
        container.addEndpoint(endpointConfig());
        addHandshakeFilter(servletContext);
    }

    /** The hub behind the endpoint, for {@link CoreTransport} (embedded Jetty). */
    SocketHub hub() {
        return hub;
    }

    void addHandshakeFilter(ServletContext servletContext) {
        FilterRegistration.Dynamic filter = servletContext.addFilter("parley-handshake", handshakeFilter());
        if (filter == null) {
            throw new IllegalStateException("a filter named parley-handshake is already registered");
        }
        filter.setAsyncSupported(true);
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, config.wsPath());
    }

    public ChatServerConfig config() {
        return config;
    }

    /** Sockets open on this endpoint and not being closed, authenticated or not. */
    public int connectionCount() {
        return hub.connectionCount();
    }

    /**
     * Closes, with 4401, the sockets of {@code userId} that were opened with one of the given
     * login sessions ({@link dev.parley.core.spi.Principal#sessionId()}). Call it when sessions
     * are revoked; {@link ChatServer} does so for its {@code AccountService}:
     *
     * <pre>{@code
     * accounts.onSessionsRevoked(r -> endpoint.closeSessions(r.userId(), r.sessionIds()));
     * }</pre>
     *
     * @return how many sockets were closed
     */
    public int closeSessions(String userId, Collection<String> sessionIds) {
        return hub.closeSessions(userId, sessionIds);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosing() {
        return hub.isClosing();
    }

    /**
     * Closes every socket with 1001 (server shutting down), waits up to two seconds for the
     * close handshakes, and stops the threads the endpoint created. Idempotent.
     */
    @Override
    public void close() {
        hub.close();
    }

    /** Builds a {@link ChatEndpoint}; engine and authenticator are required; setting an option twice fails. */
    public static final class Builder {
        private ChatEngine engine;
        private Authenticator authenticator;
        private ChatServerConfig config = ChatServerConfig.defaults();
        private Executor executor;
        private ChatMetrics metrics;
        private final BuilderOptions options = new BuilderOptions("the endpoint is already built", "build()");

        private Builder() {
        }

        public Builder engine(ChatEngine engine) {
            options.once("engine");
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        public Builder authenticator(Authenticator authenticator) {
            options.once("authenticator");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        public Builder config(ChatServerConfig config) {
            options.once("config");
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Runs commands (which may block on the store) on the host's executor instead of a pool
         * of {@link ChatServerConfig#workerThreads()} threads named {@code parley-worker-N}.
         * Each socket's commands still run one at a time, in order. Not shut down by the endpoint.
         */
        public Builder executor(Executor executor) {
            options.once("executor");
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Where the endpoint reports open sockets, command durations, delivered messages and
         * frames dropped for slow consumers; default the engine's {@link ChatEngine#metrics()}.
         *
         * @since 0.1.0
         */
        public Builder metrics(ChatMetrics metrics) {
            options.once("metrics");
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public ChatEndpoint build() {
            options.checkNotFinished();
            if (engine == null) {
                throw new IllegalStateException("engine is required");
            }
            if (authenticator == null) {
                throw new IllegalStateException("authenticator is required");
            }
            options.markFinished();
            return new ChatEndpoint(this);
        }
    }
}
