package dev.parley.core.spi;

import dev.parley.core.ErrorCode;
import dev.parley.core.protocol.CommandType;

/**
 * Where Parley reports what it measures: the engine (messages committed), the store (commit
 * times), the broker (delivery lag between nodes) and the server (sockets, commands, fan-out,
 * dropped frames) call it. Every method has a no-op default, so an implementation picks what
 * it records; {@code dev.parley:chat-micrometer} records all of it in a Micrometer
 * {@code MeterRegistry} (see {@code docs/metrics.md}).
 *
 * <pre>{@code
 * ChatMetrics metrics = new MicrometerChatMetrics(registry);
 * ChatServer.builder().metrics(metrics).start();
 * }</pre>
 *
 * <p>Methods are called on hot paths (socket threads, the store's writer thread, the broker's
 * dispatcher) and concurrently: an implementation must be thread-safe, must not block, must
 * not throw, and should look its meters up once rather than per call. Durations are in
 * nanoseconds.
 *
 * @since 0.1.0
 */
public interface ChatMetrics {

    /** Records nothing: the default everywhere a {@code ChatMetrics} is optional. */
    static ChatMetrics none() {
        return NoMetrics.INSTANCE;
    }

    /** A WebSocket was accepted (it counts as active until {@link #connectionClosed()}). */
    default void connectionOpened() {
    }

    /** A socket counted by {@link #connectionOpened()} closed; called once per socket. */
    default void connectionClosed() {
    }

    /** A message (a user's or a system message) was durably committed; retries of a committed send are not counted. */
    default void messageSent() {
    }

    /**
     * A live {@code message} event was queued to {@code sockets} local sockets (one call per
     * event and node; resume replays are not counted).
     */
    default void messagesDelivered(int sockets) {
    }

    /**
     * A socket command finished, from the moment a worker started it until its reply was ready
     * (a {@code send} until its commit).
     *
     * @param command       the command
     * @param error         the error it was answered with, {@code null} when it succeeded
     * @param durationNanos how long it took
     */
    default void commandCompleted(CommandType command, ErrorCode error, long durationNanos) {
    }

    /**
     * The store committed one transaction.
     *
     * @param writes        writes in it (group commit puts many in one)
     * @param durationNanos from the start of the transaction to the end of the commit
     */
    default void storeCommitted(int writes, long durationNanos) {
    }

    /**
     * A delivery published by another node arrived here {@code lagNanos} after it was published
     * (measured with wall clocks, so it includes the clock difference of the two machines;
     * never negative). Brokers that cross a network report it; the in-process broker hands
     * deliveries over synchronously and reports nothing.
     */
    default void brokerLag(long lagNanos) {
    }

    /**
     * A socket's outbound queue overflowed (slow consumer, closed with 4503) and {@code frames}
     * frames waiting for it were dropped.
     */
    default void outboundDropped(int frames) {
    }
}

/** The no-op {@link ChatMetrics}. */
enum NoMetrics implements ChatMetrics {
    INSTANCE
}
