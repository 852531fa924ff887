package dev.parley.core.event;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Typing indicator state. */
public enum TypingState {
    @JsonProperty("start") START,
    @JsonProperty("stop") STOP
}
