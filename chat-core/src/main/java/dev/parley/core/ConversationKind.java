package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Direct (exactly two members, one per pair) or group conversation. */
public enum ConversationKind {
    @JsonProperty("direct") DIRECT,
    @JsonProperty("group") GROUP;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
