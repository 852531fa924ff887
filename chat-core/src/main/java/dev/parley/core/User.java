package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat user. {@code name} is the display name shown to others.
 *
 * @param id        time-ordered id
 * @param name      display name
 * @param createdAt when the user was created
 */
public record User(String id, String name, Instant createdAt) {
    public User {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
