package dev.parley.accounts;

import java.time.Duration;
import java.util.Objects;

/**
 * Policy of the account service. Build with {@link #builder()}; {@code build()} names an invalid option.
 *
 * @param hasher              Argon2id parameters; stored hashes with other parameters are rehashed at login
 * @param sessionTtl          how long a login token works (default 30 days)
 * @param issuer              name shown in authenticator apps (default "Parley")
 * @param minPasswordChars    shortest password (default 10)
 * @param freeFailures        failed logins per account or address before delays start (default 5)
 * @param maxLockout          longest delay after repeated failures (default 15 minutes)
 * @param challengeTtl        how long a two-factor challenge stays valid (default 5 minutes)
 */
public record AccountSettings(PasswordHasher hasher, Duration sessionTtl, String issuer, int minPasswordChars,
                              int freeFailures, Duration maxLockout, Duration challengeTtl) {
    public static final int MAX_PASSWORD_CHARS = 256;

    public static AccountSettings defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Validating builder. */
    public static final class Builder {
        private PasswordHasher hasher = PasswordHasher.defaults();
        private Duration sessionTtl = Duration.ofDays(30);
        private String issuer = "Parley";
        private int minPasswordChars = 10;
        private int freeFailures = 5;
        private Duration maxLockout = Duration.ofMinutes(15);
        private Duration challengeTtl = Duration.ofMinutes(5);

        public Builder hasher(PasswordHasher value) {
            this.hasher = Objects.requireNonNull(value, "hasher");
            return this;
        }

        public Builder sessionTtl(Duration value) {
            this.sessionTtl = value;
            return this;
        }

        public Builder issuer(String value) {
            this.issuer = value;
            return this;
        }

        public Builder minPasswordChars(int value) {
            this.minPasswordChars = value;
            return this;
        }

        public Builder freeFailures(int value) {
            this.freeFailures = value;
            return this;
        }

        public Builder maxLockout(Duration value) {
            this.maxLockout = value;
            return this;
        }

        public Builder challengeTtl(Duration value) {
            this.challengeTtl = value;
            return this;
        }

        public AccountSettings build() {
            if (sessionTtl == null || sessionTtl.isNegative() || sessionTtl.isZero()) {
                throw new IllegalArgumentException("sessionTtl must be positive");
            }
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalArgumentException("issuer must not be empty");
            }
            if (minPasswordChars < 8 || minPasswordChars > MAX_PASSWORD_CHARS) {
                throw new IllegalArgumentException("minPasswordChars must be 8 to " + MAX_PASSWORD_CHARS);
            }
            if (freeFailures < 1) {
                throw new IllegalArgumentException("freeFailures must be >= 1");
            }
            if (maxLockout == null || maxLockout.isNegative() || maxLockout.isZero()) {
                throw new IllegalArgumentException("maxLockout must be positive");
            }
            if (challengeTtl == null || challengeTtl.isNegative() || challengeTtl.isZero()) {
                throw new IllegalArgumentException("challengeTtl must be positive");
            }
            return new AccountSettings(hasher, sessionTtl, issuer, minPasswordChars, freeFailures, maxLockout,
                    challengeTtl);
        }
    }
}
