package dev.parley.server.internal;

import java.util.Set;

/**
 * Which browser origins may open a socket: an exact, case-sensitive match against the
 * allow-list; a request without {@code Origin} (not a browser) is allowed.
 */
public final class OriginPolicy {
    private final Set<String> allowed;

    public OriginPolicy(Set<String> allowed) {
        this.allowed = Set.copyOf(allowed);
    }

    public boolean allows(String origin) {
        return origin == null || allowed.contains(origin);
    }
}
