package dev.parley.core.spi;

import java.util.Objects;

/**
 * An authenticated user, as the transports hand it to the engine.
 *
 * @param userId    the user's id
 * @param name      display name
 * @param sessionId the login session the token belongs to, or {@code null} when the
 *                  authenticator has no revocable sessions; revoking it closes the sockets
 *                  opened with it
 */
public record Principal(String userId, String name, String sessionId) {
    public Principal {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
    }

    public Principal(String userId, String name) {
        this(userId, name, null);
    }
}
