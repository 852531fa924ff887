package dev.parley.core;

import java.util.Objects;

/**
 * A group's information and permissions (a group's name is {@link Conversation#name()}).
 *
 * @param description     free text, or {@code null}
 * @param avatar          an {@code http(s)://} URL or {@code eip155:} reference, or {@code null}
 * @param whoCanPost      who may send messages
 * @param whoCanAdd       who may add members
 * @param infoEditors     who may change name, description and avatar
 * @param slowModeSeconds 0 (off) to 3600: a plain member posts at most once per this many seconds
 * @since 0.1.0
 */
public record GroupSettings(String description, String avatar, GroupPermission whoCanPost,
                            GroupPermission whoCanAdd, GroupPermission infoEditors, int slowModeSeconds) {
    public static final int MAX_SLOW_MODE_SECONDS = 3600;

    public GroupSettings {
        Objects.requireNonNull(whoCanPost, "whoCanPost");
        Objects.requireNonNull(whoCanAdd, "whoCanAdd");
        Objects.requireNonNull(infoEditors, "infoEditors");
        if (slowModeSeconds < 0 || slowModeSeconds > MAX_SLOW_MODE_SECONDS) {
            throw new IllegalArgumentException("slowModeSeconds must be 0 to 3600: " + slowModeSeconds);
        }
    }

    /** A new group's settings: everyone posts, admins add members and edit the info, no slow mode. */
    public static GroupSettings defaults() {
        return new GroupSettings(null, null, GroupPermission.ALL, GroupPermission.ADMINS, GroupPermission.ADMINS, 0);
    }

    public GroupSettings withInfo(String newDescription, String newAvatar) {
        return new GroupSettings(newDescription, newAvatar, whoCanPost, whoCanAdd, infoEditors, slowModeSeconds);
    }

    public GroupSettings withPermissions(GroupPermission post, GroupPermission add, GroupPermission info, int slowMode) {
        return new GroupSettings(description, avatar, post, add, info, slowMode);
    }
}
