package dev.parley.spring.boot.autoconfigure;

import dev.parley.core.ChatEngine;
import dev.parley.server.ChatEndpoint;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Parley's part of {@code /actuator/health} (component {@code parley}): down while the
 * endpoint shuts down or when the store does not answer a read; the details give the open
 * sockets and the WebSocket path.
 *
 * @since 0.1.0
 */
public final class ParleyHealthIndicator extends AbstractHealthIndicator {
    private final ChatEngine engine;
    private final ChatEndpoint endpoint;

    /** @param endpoint the WebSocket endpoint, or {@code null} outside a web application */
    public ParleyHealthIndicator(ChatEngine engine, ChatEndpoint endpoint) {
        super("Parley health check failed");
        this.engine = engine;
        this.endpoint = endpoint;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        // A read by primary key: one round trip to the database, nothing found.
        engine.store().findUser("parley-health-check");
        if (endpoint == null) {
            builder.up();
            return;
        }
        builder.withDetail("connections", endpoint.connectionCount())
                .withDetail("path", endpoint.config().wsPath());
        if (endpoint.isClosing()) {
            builder.down().withDetail("reason", "shutting down");
        } else {
            builder.up();
        }
    }
}
