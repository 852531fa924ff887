package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;
import java.util.Set;

/**
 * What a system message records: a membership or group change, made by the message's sender.
 *
 * <pre>{@code
 * SystemInfo added = new SystemInfo(SystemInfo.MEMBER_ADDED, "bob", null);
 * }</pre>
 *
 * @param type   the change: {@code member.added}, {@code member.removed}, {@code member.left},
 *               {@code member.joined}, {@code role.changed}, {@code owner.changed} or {@code group.updated}
 * @param userId the member the change is about, or {@code null}
 * @param role   the new role for {@code role.changed}, or {@code null}
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SystemInfo(String type, String userId, String role) {
    public static final String MEMBER_ADDED = "member.added";
    public static final String MEMBER_REMOVED = "member.removed";
    public static final String MEMBER_LEFT = "member.left";
    public static final String MEMBER_JOINED = "member.joined";
    public static final String ROLE_CHANGED = "role.changed";
    public static final String OWNER_CHANGED = "owner.changed";
    public static final String GROUP_UPDATED = "group.updated";

    private static final Set<String> TYPES = Set.of(MEMBER_ADDED, MEMBER_REMOVED, MEMBER_LEFT, MEMBER_JOINED,
            ROLE_CHANGED, OWNER_CHANGED, GROUP_UPDATED);

    public SystemInfo {
        Objects.requireNonNull(type, "type");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("unknown system message type: " + type);
        }
    }
}
