package dev.parley.web3;

import dev.parley.core.ChatException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Nonces in memory, for one process. Each nonce is 17 characters drawn uniformly from the 62
 * ASCII letters and digits with a {@link SecureRandom} (about 101 bits), lives for a fixed
 * TTL and works once. At most {@code maxNonces} unused, unexpired nonces are held: when the
 * store is full, {@link #issue()} first drops expired ones and then refuses with
 * {@code RATE_LIMITED} (retry after the oldest expires) rather than evict nonces that users
 * are about to sign. Thread-safe. Not shared between servers: a cluster needs a shared store.
 */
public final class InMemoryNonceStore implements NonceStore {
    static final int LENGTH = 17;
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Duration ttl;
    private final int maxNonces;
    private final Clock clock;
    private final SecureRandom random;
    /** nonce → expiry, in issue order (so expiry order too, the TTL being fixed). */
    private final LinkedHashMap<String, Instant> nonces = new LinkedHashMap<>();

    /**
     * @param ttl       how long a nonce may be used, &gt; 0
     * @param maxNonces most unused nonces held, &ge; 1
     */
    public InMemoryNonceStore(Duration ttl, int maxNonces, Clock clock, SecureRandom random) {
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero() || maxNonces < 1) {
            throw new IllegalArgumentException("ttl must be > 0 and maxNonces ≥ 1");
        }
        this.maxNonces = maxNonces;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** With the TTL, cap, clock and random source of {@code settings}. */
    public InMemoryNonceStore(SiweSettings settings) {
        this(settings.nonceTtl(), settings.maxNonces(), settings.clock(), settings.random());
    }

    @Override
    public synchronized String issue() {
        Instant now = clock.instant();
        if (nonces.size() >= maxNonces) {
            dropExpired(now);
        }
        if (nonces.size() >= maxNonces) {
            Instant oldest = nonces.values().iterator().next();
            long retry = Math.max(1, Duration.between(now, oldest).toMillis());
            throw ChatException.rateLimited("too many sign-in nonces outstanding", retry);
        }
        String nonce;
        do {
            StringBuilder sb = new StringBuilder(LENGTH);
            for (int i = 0; i < LENGTH; i++) {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            nonce = sb.toString();
        } while (nonces.containsKey(nonce));
        nonces.put(nonce, now.plus(ttl));
        return nonce;
    }

    @Override
    public synchronized boolean consume(String nonce) {
        if (nonce == null) {
            return false;
        }
        Instant expiry = nonces.remove(nonce);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    /** Unused nonces held now, expired ones included until they are dropped. */
    public synchronized int size() {
        return nonces.size();
    }

    private void dropExpired(Instant now) {
        Iterator<Map.Entry<String, Instant>> it = nonces.entrySet().iterator();
        while (it.hasNext() && !it.next().getValue().isAfter(now)) {
            it.remove();
        }
    }
}
