package dev.parley.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Login credentials of a user (the chat identity itself is a {@link dev.parley.core.User}
 * with the same id).
 *
 * @param userId       the user
 * @param username     login name, stored lower-case, unique
 * @param passwordHash PHC string (Argon2id)
 * @param admin        whether the user may manage other users
 * @param disabled     a disabled account cannot log in and its sessions stop working
 * @param createdAt    registration time
 * @param totpSecret   Base32 TOTP secret, or {@code null}; set at enrolment, before confirmation
 * @param totpEnabled  whether two-factor login is on (set at confirmation)
 */
public record Account(String userId, String username, String passwordHash, boolean admin, boolean disabled,
                      Instant createdAt, String totpSecret, boolean totpEnabled) {
    public Account {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public Account withPasswordHash(String hash) {
        return new Account(userId, username, hash, admin, disabled, createdAt, totpSecret, totpEnabled);
    }

    public Account withAdmin(boolean value) {
        return new Account(userId, username, passwordHash, value, disabled, createdAt, totpSecret, totpEnabled);
    }

    public Account withDisabled(boolean value) {
        return new Account(userId, username, passwordHash, admin, value, createdAt, totpSecret, totpEnabled);
    }

    public Account withTotp(String secret, boolean enabled) {
        return new Account(userId, username, passwordHash, admin, disabled, createdAt, secret, enabled);
    }
}
