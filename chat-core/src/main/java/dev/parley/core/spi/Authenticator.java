package dev.parley.core.spi;

import java.util.Optional;

/**
 * Turns the token a client presents in {@code hello} (or as an HTTP bearer token) into a
 * principal. Implementations: password sessions, wallet sign-in, a bridge to the host
 * application's own login.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @return the principal, or empty when the token is unknown, expired or revoked
     */
    Optional<Principal> authenticate(String token);
}
