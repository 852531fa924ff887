package dev.parley.web3.internal;

import dev.parley.core.ChatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Bearer tokens in memory: 32 random bytes (base64url), kept only as their SHA-256 hash,
 * expiring after a fixed TTL, at most {@code max} live ones (when full, expired ones are
 * dropped, then new sign-ins are refused with RATE_LIMITED rather than log others out).
 */
public final class TokenStore {
    public record Session(String id, String userId, String name, Instant expiresAt) {
    }

    private final Duration ttl;
    private final int max;
    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Session> byHash = new HashMap<>();

    public TokenStore(Duration ttl, int max, Clock clock, SecureRandom random) {
        this.ttl = ttl;
        this.max = max;
        this.clock = clock;
        this.random = random;
    }

    /** @return {token, session} */
    public synchronized Map.Entry<String, Session> create(String userId, String name) {
        Instant now = clock.instant();
        if (byHash.size() >= max) {
            byHash.values().removeIf(s -> !s.expiresAt().isAfter(now));
        }
        if (byHash.size() >= max) {
            throw ChatException.rateLimited("too many live sign-in sessions", ttl.toMillis());
        }
        String token = randomText(32);
        Session s = new Session(randomText(12), userId, name, now.plus(ttl));
        byHash.put(hash(token), s);
        return Map.entry(token, s);
    }

    public synchronized Session find(String token) {
        if (token == null) {
            return null;
        }
        String h = hash(token);
        Session s = byHash.get(h);
        if (s != null && !s.expiresAt().isAfter(clock.instant())) {
            byHash.remove(h);
            return null;
        }
        return s;
    }

    public synchronized boolean revoke(String token) {
        return token != null && byHash.remove(hash(token)) != null;
    }

    public synchronized int size() {
        return byHash.size();
    }

    private String randomText(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
