package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A member's role in a conversation. Direct conversations have only {@link #MEMBER}s. */
public enum Role {
    @JsonProperty("owner") OWNER,
    @JsonProperty("admin") ADMIN,
    @JsonProperty("member") MEMBER;

    /** Owners and admins manage membership. */
    public boolean canManageMembers() {
        return this != MEMBER;
    }

    /** Owners and admins delete other members' messages and pin messages in groups. */
    public boolean canModerate() {
        return this != MEMBER;
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Role fromWire(String wire) {
        return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
    }
}
