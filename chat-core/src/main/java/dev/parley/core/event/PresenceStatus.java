package dev.parley.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a user has a connected device. */
public enum PresenceStatus {
    @JsonProperty("online") ONLINE,
    @JsonProperty("offline") OFFLINE
}
