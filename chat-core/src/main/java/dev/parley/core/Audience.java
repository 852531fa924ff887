package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who may see or do something, for privacy settings. */
public enum Audience {
    @JsonProperty("everyone") EVERYONE,
    @JsonProperty("friends") FRIENDS,
    @JsonProperty("nobody") NOBODY;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
