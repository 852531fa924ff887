package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Who a message is deleted for. */
public enum DeleteScope {
    /** Everyone: the message becomes a tombstone; its text, edit history, reactions and pin are erased. */
    @JsonProperty("everyone") EVERYONE,
    /** Only the caller: the message is hidden from the caller's history, on every device. */
    @JsonProperty("me") ME;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
