package dev.parley.core.spi;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable credentials and login sessions for password accounts. Implemented next to the
 * {@link ChatStore} (same database); used by the accounts module, not by the engine.
 * Failures of the database surface as {@code unavailable}.
 *
 * <p>Since 0.8 it may also keep {@linkplain LinkedIdentity linked identities} (wallets that
 * sign a user in) and single-use {@linkplain #createNonce nonces}, so that every node of a
 * cluster sees them. These are default methods answering {@code unsupported}, so older
 * implementations keep compiling; the built-in stores implement them.
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

    // ------------------------------------------------------------------ linked identities (0.8)

    /**
     * Links an identity to a user (whose account must exist).
     *
     * @throws ChatException {@code conflict} when the {@code (kind, subject)} is already linked,
     *                       to this user or another; {@code unsupported} when the store keeps none
     * @since 0.1.0
     */
    default void linkIdentity(LinkedIdentity identity) {
        throw unsupported("linked identities");
    }

    /**
     * The link of an identity, if any.
     *
     * @since 0.1.0
     */
    default Optional<LinkedIdentity> identity(String kind, String subject) {
        throw unsupported("linked identities");
    }

    /**
     * A user's linked identities, oldest link first.
     *
     * @since 0.1.0
     */
    default List<LinkedIdentity> identities(String userId) {
        throw unsupported("linked identities");
    }

    /**
     * Removes a link of this user; {@link #deleteAccount} removes all of them.
     *
     * @return false when the identity is not linked to {@code userId}
     * @since 0.1.0
     */
    default boolean unlinkIdentity(String userId, String kind, String subject) {
        throw unsupported("linked identities");
    }

    // ------------------------------------------------------------------ single-use nonces (0.8)

    /**
     * Records a freshly issued nonce (its hash). Expired nonces may be dropped first; when
     * {@code maxOutstanding} unexpired ones are already held, nothing is stored. The cap may be
     * overshot slightly by concurrent calls on several nodes.
     *
     * @param nonceHash      hex SHA-256 of the nonce
     * @param expiresAt      the nonce is refused from this instant on
     * @param now            the current time (expired nonces are those with {@code expiresAt <= now})
     * @param maxOutstanding most unexpired nonces held
     * @return false when the cap is reached
     * @throws ChatException {@code conflict} for a hash already held
     * @since 0.1.0
     */
    default boolean createNonce(String nonceHash, Instant expiresAt, Instant now, int maxOutstanding) {
        throw unsupported("nonces");
    }

    /**
     * Uses up a nonce. Atomic: of concurrent calls for one hash, on any node, at most one
     * returns true; the nonce is gone afterwards either way.
     *
     * @return true when the hash was held and {@code now} is before its expiry
     * @since 0.1.0
     */
    default boolean consumeNonce(String nonceHash, Instant now) {
        throw unsupported("nonces");
    }

    private static ChatException unsupported(String what) {
        return new ChatException(ErrorCode.UNSUPPORTED, "this account store keeps no " + what);
    }
}
