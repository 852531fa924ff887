package dev.parley.web3;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * What a sign-in must match and how long things live. Built with {@link #builder()}; setting
 * an option twice fails.
 *
 * <pre>{@code
 * SiweSettings s = SiweSettings.builder()
 *         .domain("chat.example.com").uri("https://chat.example.com/login")
 *         .chainIds(Set.of(1L, 10L)).build();
 * }</pre>
 *
 * @param domain        the authority the message must name (exact match)
 * @param scheme        when the message names a scheme, it must be this one (default {@code https})
 * @param uri           the URI the message must name (exact match)
 * @param chainIds      chain ids accepted (default: 1, Ethereum mainnet)
 * @param clockSkew     tolerance for clocks: expiration, not-before and a future issued-at are
 *                      judged with this much slack (default 1 minute)
 * @param maxMessageAge a message issued longer ago than this is refused (default 10 minutes)
 * @param nonceTtl      how long an issued nonce may be used (default 5 minutes)
 * @param maxNonces     at most this many unused nonces are kept (default 10,000)
 * @param sessionTtl    how long a sign-in token works (default 24 hours)
 * @param maxSessions   at most this many live tokens are kept (default 100,000)
 * @param clock         time source (default UTC system clock)
 * @param random        source of nonces and tokens (default a new {@link SecureRandom})
 */
public record SiweSettings(String domain, String scheme, String uri, Set<Long> chainIds, Duration clockSkew,
                           Duration maxMessageAge, Duration nonceTtl, int maxNonces, Duration sessionTtl,
                           int maxSessions, Clock clock, SecureRandom random) {

    public SiweSettings {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(uri, "uri");
        chainIds = Set.copyOf(chainIds);
        if (chainIds.isEmpty()) {
            throw new IllegalArgumentException("chainIds must not be empty");
        }
        positive(clockSkew, "clockSkew", true);
        positive(maxMessageAge, "maxMessageAge", false);
        positive(nonceTtl, "nonceTtl", false);
        positive(sessionTtl, "sessionTtl", false);
        if (maxNonces < 1 || maxSessions < 1) {
            throw new IllegalArgumentException("maxNonces and maxSessions must be at least 1");
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
    }

    private static void positive(Duration d, String name, boolean zeroOk) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || (!zeroOk && d.isZero())) {
            throw new IllegalArgumentException(name + " must be " + (zeroOk ? "≥ 0" : "> 0"));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link SiweSettings}; {@code domain} and {@code uri} are required. */
    public static final class Builder {
        private String domain;
        private String scheme;
        private String uri;
        private Set<Long> chainIds;
        private Duration clockSkew;
        private Duration maxMessageAge;
        private Duration nonceTtl;
        private Integer maxNonces;
        private Duration sessionTtl;
        private Integer maxSessions;
        private Clock clock;
        private SecureRandom random;

        private Builder() {
        }

        public Builder domain(String v) {
            domain = once(domain, v, "domain");
            return this;
        }

        public Builder scheme(String v) {
            scheme = once(scheme, v, "scheme");
            return this;
        }

        public Builder uri(String v) {
            uri = once(uri, v, "uri");
            return this;
        }

        public Builder chainIds(Set<Long> v) {
            chainIds = once(chainIds, v, "chainIds");
            return this;
        }

        public Builder clockSkew(Duration v) {
            clockSkew = once(clockSkew, v, "clockSkew");
            return this;
        }

        public Builder maxMessageAge(Duration v) {
            maxMessageAge = once(maxMessageAge, v, "maxMessageAge");
            return this;
        }

        public Builder nonceTtl(Duration v) {
            nonceTtl = once(nonceTtl, v, "nonceTtl");
            return this;
        }

        public Builder maxNonces(int v) {
            maxNonces = once(maxNonces, v, "maxNonces");
            return this;
        }

        public Builder sessionTtl(Duration v) {
            sessionTtl = once(sessionTtl, v, "sessionTtl");
            return this;
        }

        public Builder maxSessions(int v) {
            maxSessions = once(maxSessions, v, "maxSessions");
            return this;
        }

        public Builder clock(Clock v) {
            clock = once(clock, v, "clock");
            return this;
        }

        public Builder random(SecureRandom v) {
            random = once(random, v, "random");
            return this;
        }

        private static <T> T once(T current, T value, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " set twice");
            }
            return Objects.requireNonNull(value, name);
        }

        /** @throws NullPointerException when domain or uri is missing */
        public SiweSettings build() {
            return new SiweSettings(domain, scheme == null ? "https" : scheme, uri,
                    chainIds == null ? Set.of(1L) : chainIds,
                    clockSkew == null ? Duration.ofMinutes(1) : clockSkew,
                    maxMessageAge == null ? Duration.ofMinutes(10) : maxMessageAge,
                    nonceTtl == null ? Duration.ofMinutes(5) : nonceTtl,
                    maxNonces == null ? 10_000 : maxNonces,
                    sessionTtl == null ? Duration.ofHours(24) : sessionTtl,
                    maxSessions == null ? 100_000 : maxSessions,
                    clock == null ? Clock.systemUTC() : clock,
                    random == null ? new SecureRandom() : random);
        }
    }
}
