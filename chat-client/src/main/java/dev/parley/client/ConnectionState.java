package dev.parley.client;

/**
 * Where a {@link ChatClient}'s connection stands, as reported to
 * {@link ChatClient.Listener#onConnectionState}.
 */
public enum ConnectionState {
    /** Opening the socket or waiting for the {@code hello} reply. */
    CONNECTING,
    /** {@code hello} succeeded: commands are sent, pushes arrive. */
    CONNECTED,
    /**
     * No session. Either a reconnect is scheduled (after a lost connection), or the client
     * waits for {@link ChatClient#connect()} (before the first connect, after a failed
     * first attempt, after the server refused the token).
     */
    DISCONNECTED,
    /** {@link ChatClient#close()} was called; final. */
    CLOSED
}
