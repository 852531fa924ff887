package dev.parley.client.internal;

import dev.parley.client.ChatClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** A {@link ChatClient}'s validated, immutable configuration. */
public record ClientSettings(URI uri, Supplier<String> token, String clientName, String clientVersion,
                             boolean autoReconnect, Duration backoffMin, Duration backoffMax, double jitter,
                             Duration requestTimeout, Duration connectTimeout, int outboxMax,
                             Executor executor, List<ChatClient.Listener> listeners) {
    public ClientSettings {
        listeners = List.copyOf(listeners);
    }
}
