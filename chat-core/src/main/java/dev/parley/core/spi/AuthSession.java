package dev.parley.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A login session. The token itself is never stored: only its SHA-256 hash.
 *
 * @param id         session id (shown to the user, used to revoke)
 * @param userId     the user
 * @param tokenHash  hex SHA-256 of the bearer token
 * @param createdAt  login time
 * @param expiresAt  the token stops working after this
 * @param lastUsedAt last successful authentication
 * @param client     user agent or client name given at login, may be {@code null}
 * @param address    client address at login, may be {@code null}
 */
public record AuthSession(String id, String userId, String tokenHash, Instant createdAt, Instant expiresAt,
                          Instant lastUsedAt, String client, String address) {
    public AuthSession {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(tokenHash, "tokenHash");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }
}
