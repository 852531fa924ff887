package dev.parley.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happened to a reaction. */
public enum ReactionAction {
    @JsonProperty("added") ADDED,
    @JsonProperty("removed") REMOVED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
