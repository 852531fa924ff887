package dev.parley.core;

import java.util.Objects;

/**
 * A user's privacy choices, enforced by {@link ChatEngine}.
 *
 * @param directMessages who may start a direct conversation with the user
 * @param lastSeen       who sees the user's last-seen time
 * @param presence       who sees the user online
 * @param readReceipts   off: the user neither sends nor sees read receipts (delivered
 *                       receipts and the user's own unread counts still work)
 */
public record PrivacySettings(Audience directMessages, Audience lastSeen, Audience presence, boolean readReceipts) {
    public PrivacySettings {
        Objects.requireNonNull(directMessages, "directMessages");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(presence, "presence");
    }

    /** Everyone may message, see presence and last seen; read receipts on. */
    public static PrivacySettings defaults() {
        return new PrivacySettings(Audience.EVERYONE, Audience.EVERYONE, Audience.EVERYONE, true);
    }
}
