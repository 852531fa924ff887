package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Objects;

/**
 * An invite link to a group: whoever holds the code may join while it is valid.
 *
 * @param code           128 random bits, base64url without padding
 * @param conversationId the group
 * @param createdBy      the owner or admin who created it ({@code null} where not known: the
 *                       Java client's copy, since the wire leaves it out)
 * @param createdAt      creation time ({@code null} where not known, as {@code createdBy})
 * @param expiresAt      when it stops working, or {@code null} for never
 * @param maxUses        how many joins it allows, or {@code null} for unlimited
 * @param uses           joins so far
 * @param revoked        whether an admin revoked it
 * @since 0.1.0
 */
public record GroupInvite(String code, @JsonIgnore String conversationId, @JsonIgnore String createdBy,
                          @JsonIgnore Instant createdAt, Instant expiresAt, Integer maxUses, int uses,
                          @JsonIgnore boolean revoked) {
    public GroupInvite {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(conversationId, "conversationId");
    }

    /** Whether a join at {@code now} may use it. */
    public boolean usableAt(Instant now) {
        return !revoked && (expiresAt == null || now.isBefore(expiresAt)) && (maxUses == null || uses < maxUses);
    }
}
