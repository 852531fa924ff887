package dev.parley.core.spi;

import dev.parley.core.event.ChatEvent.PresenceEvent;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Presence shared by the nodes of a deployment, offered by a clustered {@link Broker} through
 * {@link Broker#clusterPresence()}. A user is online while any device on any live node is
 * connected.
 *
 * <p>The engine keeps counting devices and applying the grace period on its own node, and
 * reports only the node-level transitions here ({@link #localOnline}, {@link #localOffline}).
 * The implementation shares them with the other nodes, forgets the users of a node it stops
 * hearing from within a bound it documents, and tells every node's engine about each
 * <em>cluster-level</em> transition through {@link #watch}: a user who comes online on a
 * second node, or leaves one of two, causes no transition. Each node then announces the
 * transition to its own sockets only (see {@link Broker#publishLocal}).
 *
 * <pre>{@code
 * broker.clusterPresence().ifPresent(p -> p.localOnline("alice"));
 * }</pre>
 *
 * @since 0.1.0
 */
public interface ClusterPresence {

    /** This node now has a connected device of {@code userId}; called once per local transition. */
    void localOnline(String userId);

    /**
     * This node's last device of {@code userId} went away and its grace period passed.
     *
     * @param lastSeenAt when the last device left
     */
    void localOffline(String userId, Instant lastSeenAt);

    /**
     * The user's presence across the cluster: {@code ONLINE} (no last-seen time) when any live
     * node has a device of the user, else {@code OFFLINE} with the last-seen time if known.
     * Never blocks on the network.
     */
    PresenceEvent current(String userId);

    /**
     * Registers the watcher of cluster-level transitions on this node. Each transition is
     * reported once per node, in order, on a thread of the implementation that is not its
     * network I/O thread (the watcher may read the store).
     *
     * @return a handle whose {@code close()} stops the reports
     */
    AutoCloseable watch(Consumer<PresenceEvent> transitions);
}
