package dev.parley.server.internal;

/** WebSocket close codes of protocol v1 (see {@code docs/protocol.md}). */
public final class CloseCodes {
    /** Normal close. */
    public static final int NORMAL = 1000;
    /** Server shutting down; clients reconnect elsewhere. */
    public static final int GOING_AWAY = 1001;
    /**
     * The server may have missed events for this socket (a cluster broker lost its connection,
     * or a node-level queue overflowed): reconnect and resume from the store.
     */
    public static final int RESUME = 1012;
    /** Policy violation, e.g. the {@code parley.v1} subprotocol was not negotiated. */
    public static final int POLICY = 1008;
    /** Frame too large (sent by the container). */
    public static final int TOO_BIG = 1009;
    /** No successful hello in time, or the session was revoked. */
    public static final int UNAUTHENTICATED = 4401;
    /** No frame from the client for twice the ping interval. */
    public static final int IDLE = 4408;
    /** Closed for abuse after repeated {@code rate_limited}. */
    public static final int RATE_LIMITED = 4429;
    /** Slow consumer: the outbound queue overflowed. */
    public static final int SLOW_CONSUMER = 4503;

    private CloseCodes() {
    }
}
