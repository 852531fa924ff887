package dev.parley.core.event;

import java.util.Objects;
import java.util.Set;

/**
 * An event and the users whose connected devices receive it. The engine decides the
 * recipients (membership, blocks, privacy); a node only looks up its local sockets.
 *
 * @param recipients user ids
 * @param event      the event
 */
public record Delivery(Set<String> recipients, ChatEvent event) {
    public Delivery {
        recipients = Set.copyOf(recipients);
        Objects.requireNonNull(event, "event");
    }
}
