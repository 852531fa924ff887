package dev.parley.accounts;

import java.time.Instant;

/** Outcome of a password login: a session, or a second-factor challenge. */
public sealed interface LoginResult {

    /**
     * Logged in.
     *
     * @param token     bearer token (shown once; only its hash is stored)
     * @param userId    the user
     * @param sessionId the session, for listing and revoking
     * @param expiresAt when the token stops working
     */
    record LoggedIn(String token, String userId, String sessionId, Instant expiresAt) implements LoginResult {
    }

    /**
     * Password accepted, two-factor required: answer with {@link AccountService#loginTotp}.
     *
     * @param challengeId single-use id, valid for five minutes
     */
    record TotpRequired(String challengeId) implements LoginResult {
    }
}
