package dev.parley.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What happened to a friendship, as told to the other user. */
public enum FriendChange {
    @JsonProperty("requested") REQUESTED,
    @JsonProperty("accepted") ACCEPTED,
    @JsonProperty("removed") REMOVED
}
