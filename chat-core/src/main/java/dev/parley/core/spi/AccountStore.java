package dev.parley.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable credentials and login sessions for password accounts. Implemented next to the
 * {@link ChatStore} (same database); used by the accounts module, not by the engine.
 * Failures of the database surface as {@code unavailable}.
 */
public interface AccountStore {

    /**
     * Stores a new account for an existing chat user.
     *
     * @throws dev.parley.core.ChatException {@code conflict} when the username is taken or the
     *                                       user already has an account; {@code not_found}
     *                                       when the chat user does not exist
     */
    void createAccount(Account account);

    /**
     * Replaces the stored account with the same user id (username, password hash, flags, TOTP
     * state); a username taken by another account is a {@code conflict}.
     */
    void updateAccount(Account account);

    Optional<Account> accountByUsername(String username);

    Optional<Account> account(String userId);

    /** Accounts ordered by user id, after {@code afterUserId} ({@code null} for the first page). */
    List<Account> accounts(int limit, String afterUserId);

    /** Removes the account, its sessions and its recovery codes. */
    void deleteAccount(String userId);

    /**
     * Records that a TOTP code of {@code step} was used. Atomic: succeeds only when
     * {@code step} is greater than every step used before, so each code works once.
     *
     * @return false when the step (or a later one) was already used
     */
    boolean useTotpStep(String userId, long step);

    /** Replaces the user's recovery codes (their hashes). */
    void replaceRecoveryCodes(String userId, List<String> codeHashes);

    /**
     * Consumes a recovery code. Atomic: a code works once.
     *
     * @return false when the user has no unused code with this hash
     */
    boolean useRecoveryCode(String userId, String codeHash);

    /** @throws dev.parley.core.ChatException {@code conflict} for a reused session id or token hash */
    void createSession(AuthSession session);

    Optional<AuthSession> sessionByTokenHash(String tokenHash);

    /** The user's sessions, newest first. */
    List<AuthSession> sessions(String userId);

    /** @return false when the user has no such session */
    boolean deleteSession(String userId, String sessionId);

    /** Deletes all of a user's sessions; returns their ids. */
    List<String> deleteSessions(String userId);

    void touchSession(String sessionId, Instant lastUsedAt);
}
