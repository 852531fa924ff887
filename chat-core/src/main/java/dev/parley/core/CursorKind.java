package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The two per-member cursors. Reading implies delivery. */
public enum CursorKind {
    @JsonProperty("delivered") DELIVERED,
    @JsonProperty("read") READ;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
