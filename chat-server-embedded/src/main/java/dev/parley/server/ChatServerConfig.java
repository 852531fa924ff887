package dev.parley.server;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Transport settings of the WebSocket endpoint: frame size, heartbeat, hello timeout,
 * outbound queue, rate limits and allowed browser origins. Chat rules and their limits
 * (body length, page sizes, typing timeout, presence grace) are {@link dev.parley.core.ChatLimits}
 * on the engine. Immutable; build with {@link #builder()}; invalid values fail in
 * {@link Builder#build()} with the option's name.
 *
 * <pre>{@code
 * ChatServerConfig config = ChatServerConfig.builder()
 *         .allowedOrigins(List.of("https://chat.example.com"))
 *         .pingInterval(Duration.ofSeconds(20))
 *         .build();
 * }</pre>
 *
 * @param wsPath              path of the WebSocket endpoint (default {@code /ws})
 * @param maxFrameBytes       largest text frame (message) a client may send, in UTF-8 bytes;
 *                            a larger one closes the socket with 1009 (default 65,536)
 * @param pingInterval        the server sends {@code {"type":"ping"}} this often; no frame from
 *                            the client for twice this long closes the socket with 4408 (default 25 s)
 * @param helloTimeout        a socket without a successful {@code hello} after this long is closed
 *                            with 4401 (default 10 s)
 * @param outboundQueueMax    frames waiting to be written to one socket; one more closes the
 *                            socket with 4503, slow consumer (default 1,024)
 * @param maxCommandsInFlight commands of one socket accepted but not yet answered; more are
 *                            answered {@code rate_limited} (default 256)
 * @param connectionRate      commands per second and burst of one socket (default 20/s, burst 40)
 * @param userRate            commands per second and burst of all sockets of one user
 *                            (default 50/s, burst 100)
 * @param rateLimitStrikes    consecutive {@code rate_limited} answers after which the socket is
 *                            closed with 4429 (default 10)
 * @param allowedOrigins      browser origins ({@code scheme://host[:port]}) allowed to open a
 *                            socket, matched exactly; a handshake without {@code Origin} is
 *                            always allowed (default: none)
 * @param workerThreads       size of the worker pool the server creates when the host supplies
 *                            no executor (default max(8, 2 × CPUs))
 * @param maxConnections      open TCP connections the embedded server keeps (HTTP and WebSocket
 *                            together); one more is closed at once, without a response (default 10,000)
 * @param maxConnectionsPerAddress open connections from one client IP address; one more is closed at
 *                            once (default 0: no limit, since clients behind one proxy share an address)
 * @param requestHeaderTimeout a new connection must complete its first request's headers (the
 *                            WebSocket handshake included) within this long, or it is closed: the
 *                            bound on slowloris handshakes (default 10 s)
 * @param acceptQueueSize     connections the operating system may hold completed but not yet
 *                            accepted (the listen backlog of the embedded server); a burst of
 *                            handshakes beyond it is dropped by the kernel and retried by the client
 *                            after a second or more. The kernel caps it (Linux:
 *                            {@code net.core.somaxconn}) (default 1,024; Jetty's own default is 50)
 */
public record ChatServerConfig(String wsPath, int maxFrameBytes, Duration pingInterval, Duration helloTimeout,
                               int outboundQueueMax, int maxCommandsInFlight, RateLimit connectionRate,
                               RateLimit userRate, int rateLimitStrikes, Set<String> allowedOrigins,
                               int workerThreads, int maxConnections, int maxConnectionsPerAddress,
                               Duration requestHeaderTimeout, int acceptQueueSize) {

    /** The WebSocket subprotocol of protocol v1. */
    public static final String SUBPROTOCOL = "parley.v1";

    /** Validates every value; the {@link Builder} is the convenient way to get here. */
    public ChatServerConfig {
        if (wsPath == null || !wsPath.startsWith("/") || wsPath.contains("*") || wsPath.contains("{")) {
            throw new IllegalArgumentException("wsPath must be a literal path starting with '/': " + wsPath);
        }
        atLeast("maxFrameBytes", maxFrameBytes, 1_024);
        positive("pingInterval", pingInterval);
        positive("helloTimeout", helloTimeout);
        atLeast("outboundQueueMax", outboundQueueMax, 1);
        atLeast("maxCommandsInFlight", maxCommandsInFlight, 1);
        Objects.requireNonNull(connectionRate, "connectionRate");
        Objects.requireNonNull(userRate, "userRate");
        atLeast("rateLimitStrikes", rateLimitStrikes, 1);
        atLeast("workerThreads", workerThreads, 1);
        atLeast("maxConnections", maxConnections, 1);
        atLeast("maxConnectionsPerAddress", maxConnectionsPerAddress, 0);
        positive("requestHeaderTimeout", requestHeaderTimeout);
        atLeast("acceptQueueSize", acceptQueueSize, 1);
        Objects.requireNonNull(allowedOrigins, "allowedOrigins");
        for (String origin : allowedOrigins) {
            if (origin == null || origin.isBlank() || origin.endsWith("/") || !origin.contains("://")) {
                throw new IllegalArgumentException(
                        "allowedOrigins must hold origins like https://host[:port] (no path, no trailing '/'): "
                                + origin);
            }
        }
        allowedOrigins = Set.copyOf(allowedOrigins);
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    public static ChatServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.wsPath = wsPath;
        b.maxFrameBytes = maxFrameBytes;
        b.pingInterval = pingInterval;
        b.helloTimeout = helloTimeout;
        b.outboundQueueMax = outboundQueueMax;
        b.maxCommandsInFlight = maxCommandsInFlight;
        b.connectionRate = connectionRate;
        b.userRate = userRate;
        b.rateLimitStrikes = rateLimitStrikes;
        b.allowedOrigins = new LinkedHashSet<>(allowedOrigins);
        b.workerThreads = workerThreads;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.requestHeaderTimeout = requestHeaderTimeout;
        b.acceptQueueSize = acceptQueueSize;
        return b;
    }

    /**
     * A token bucket: {@code perSecond} tokens refill every second, at most {@code burst} are saved.
     *
     * @param perSecond sustained commands per second, positive
     * @param burst     commands allowed at once, at least 1
     */
    public record RateLimit(double perSecond, int burst) {
        public RateLimit {
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("perSecond must be positive and finite: " + perSecond);
            }
            if (burst < 1) {
                throw new IllegalArgumentException("burst must be at least 1: " + burst);
            }
        }
    }

    /** Validating builder; {@link #build()} names the first invalid option. */
    public static final class Builder {
        private String wsPath = "/ws";
        private int maxFrameBytes = 65_536;
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration helloTimeout = Duration.ofSeconds(10);
        private int outboundQueueMax = 1_024;
        private int maxCommandsInFlight = 256;
        private RateLimit connectionRate = new RateLimit(20, 40);
        private RateLimit userRate = new RateLimit(50, 100);
        private int rateLimitStrikes = 10;
        private Set<String> allowedOrigins = new LinkedHashSet<>();
        private int workerThreads = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
        private int maxConnections = 10_000;
        private int maxConnectionsPerAddress = 0;
        private Duration requestHeaderTimeout = Duration.ofSeconds(10);
        private int acceptQueueSize = 1_024;

        private Builder() {
        }

        public Builder wsPath(String value) {
            this.wsPath = value;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = value;
            return this;
        }

        public Builder pingInterval(Duration value) {
            this.pingInterval = value;
            return this;
        }

        public Builder helloTimeout(Duration value) {
            this.helloTimeout = value;
            return this;
        }

        public Builder outboundQueueMax(int value) {
            this.outboundQueueMax = value;
            return this;
        }

        public Builder maxCommandsInFlight(int value) {
            this.maxCommandsInFlight = value;
            return this;
        }

        public Builder connectionRate(double perSecond, int burst) {
            this.connectionRate = new RateLimit(perSecond, burst);
            return this;
        }

        public Builder userRate(double perSecond, int burst) {
            this.userRate = new RateLimit(perSecond, burst);
            return this;
        }

        public Builder rateLimitStrikes(int value) {
            this.rateLimitStrikes = value;
            return this;
        }

        /** Replaces the allowed origins, e.g. {@code "https://chat.example.com"}, {@code "http://localhost:8080"}. */
        public Builder allowedOrigins(Collection<String> origins) {
            this.allowedOrigins = new LinkedHashSet<>(Objects.requireNonNull(origins, "allowedOrigins"));
            return this;
        }

        public Builder workerThreads(int value) {
            this.workerThreads = value;
            return this;
        }

        /** Embedded server only: in a host's own container, its connection limits apply. */
        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        /** Embedded server only; 0 turns the per-address limit off. */
        public Builder maxConnectionsPerAddress(int value) {
            this.maxConnectionsPerAddress = value;
            return this;
        }

        /** Embedded server only. */
        public Builder requestHeaderTimeout(Duration value) {
            this.requestHeaderTimeout = value;
            return this;
        }

        /**
         * Embedded server only: the listen backlog. Raise it (and {@code net.core.somaxconn}) when
         * thousands of clients reconnect at once, e.g. after a restart.
         *
         * @since 0.1.0
         */
        public Builder acceptQueueSize(int value) {
            this.acceptQueueSize = value;
            return this;
        }

        public ChatServerConfig build() {
            return new ChatServerConfig(wsPath, maxFrameBytes, pingInterval, helloTimeout, outboundQueueMax,
                    maxCommandsInFlight, connectionRate, userRate, rateLimitStrikes, allowedOrigins, workerThreads,
                    maxConnections, maxConnectionsPerAddress, requestHeaderTimeout, acceptQueueSize);
        }
    }
}
