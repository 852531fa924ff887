package dev.parley.core.spi;

import java.util.Objects;

/**
 * An authenticated user, as the transports hand it to the engine.
 *
 * @param userId the user's id
 * @param name   display name
 */
public record Principal(String userId, String name) {
    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
    }
}
