package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Who in a group may do something a group setting governs.
 *
 * @since 0.1.0
 */
public enum GroupPermission {
    /** Every member. */
    @JsonProperty("all") ALL,
    /** Owners and admins only. */
    @JsonProperty("admins") ADMINS;

    /** Whether a member with {@code role} passes. */
    public boolean allows(Role role) {
        return this == ALL || role.canManageMembers();
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
