package dev.parley.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * An identity from outside the account system (an Ethereum wallet address, …) that signs a
 * user in. Each {@code (kind, subject)} belongs to at most one user; a user may have several.
 * The module that verifies the identity chooses the kind and writes the subject in one
 * canonical form (e.g. kind {@code "eip155"}, subject the EIP-55 checksummed address).
 *
 * @param kind     what sort of identity, lower-case letters, digits and {@code -}, e.g. {@code "eip155"}
 * @param subject  the identity itself, in its canonical form
 * @param userId   the user it signs in
 * @param linkedAt when it was linked
 * @since 0.1.0
 */
public record LinkedIdentity(String kind, String subject, String userId, Instant linkedAt) {
    public LinkedIdentity {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }
}
