package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat user and their public profile.
 *
 * @param id        time-ordered id (or the host application's id)
 * @param name      display name
 * @param createdAt when the user was created
 * @param avatar    avatar URL or ENSIP-12 NFT reference, or {@code null}
 * @param bio       short self-description, or {@code null}
 */
public record User(String id, String name, Instant createdAt, String avatar, String bio) {
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public User(String id, String name, Instant createdAt) {
        this(id, name, createdAt, null, null);
    }
}
