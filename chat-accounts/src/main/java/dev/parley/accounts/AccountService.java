package dev.parley.accounts;

import dev.parley.accounts.internal.LoginThrottle;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.User;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.AuthSession;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.LinkedIdentity;
import dev.parley.core.spi.Principal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password accounts: registration, login with optional TOTP second factor, sessions, and
 * the {@link Authenticator} that turns a session token into a principal.
 *
 * <pre>{@code
 * AccountService accounts = new AccountService(engine, accountStore, AccountSettings.defaults(), Clock.systemUTC());
 * String userId = accounts.register("alice", "correct horse battery", "Alice");
 * LoginResult r = accounts.login("alice", "correct horse battery", "127.0.0.1", "my-app/1.0");
 * }</pre>
 *
 * <p>Every failure is a {@link ChatException} with a documented code: {@code bad_request}
 * (invalid input, weak password), {@code conflict} (username taken), {@code unauthenticated}
 * (wrong password or code, expired or revoked token), {@code forbidden} (disabled account,
 * not an admin), {@code rate_limited} (too many failures; carries {@code retryAfterMs}).
 */
public final class AccountService implements Authenticator {
    private static final Logger log = LoggerFactory.getLogger(AccountService.class);
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9_.-]{3,32}");
    private static final Set<String> COMMON_PASSWORDS = Set.of("password123", "1234567890", "qwertyuiop",
            "password12", "iloveyou12", "1q2w3e4r5t", "qwerty1234", "abc1234567", "letmein123", "passw0rd12",
            "0987654321", "1234554321", "welcome123", "admin12345", "changeme12");
    private static final int RECOVERY_CODES = 10;
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    /**
     * The password hash of an account that has none (created by an identity sign-in): not a
     * PHC string, so no password ever verifies against it.
     */
    static final String NO_PASSWORD = "";
    private static final String NONCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int NONCE_CHARS = 17;
    private static final long NONCE_RETRY_MS = 10_000;
    private static final Pattern IDENTITY_KIND = Pattern.compile("[a-z0-9-]{1,32}");

    private final ChatEngine engine;
    private final AccountStore store;
    private final AccountSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Totp totp = Totp.sha1(6);
    private final LoginThrottle throttle;
    private final ConcurrentHashMap<String, Challenge> challenges = new ConcurrentHashMap<>();
    private final List<Consumer<SessionsRevoked>> revocationListeners = new CopyOnWriteArrayList<>();

    private record Challenge(String userId, Instant expiresAt, String client, String address) {
    }

    /**
     * Sessions that stopped working (logout, revocation, disabled or deleted account);
     * transports close the sockets opened with them (close code 4401).
     *
     * @param userId     the user
     * @param sessionIds the revoked sessions
     */
    public record SessionsRevoked(String userId, List<String> sessionIds) {
    }

    public AccountService(ChatEngine engine, AccountStore store, AccountSettings settings, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.throttle = new LoginThrottle(clock, settings.freeFailures(), settings.maxLockout());
    }

    public AccountSettings settings() {
        return settings;
    }

    /**
     * The engine whose users these accounts sign in, e.g. for an API extension that needs it
     * ({@code ChatServer.Builder.addApiExtension} hands extensions the account service).
     *
     * @since 0.1.0
     */
    public ChatEngine engine() {
        return engine;
    }

    /** Registers a listener for revoked sessions. */
    public void onSessionsRevoked(Consumer<SessionsRevoked> listener) {
        revocationListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    // ------------------------------------------------------------------ registration and login

    /**
     * Creates an account and its chat user.
     *
     * @param username    3 to 32 characters of {@code a-z 0-9 _ . -} (case-insensitive, stored lower-case)
     * @param password    see {@link #checkPassword}
     * @param displayName shown to others; defaults to the username
     * @return the new user's id
     */
    public String register(String username, String password, String displayName) {
        String name = normalizeUsername(username);
        checkPassword(name, password);
        if (store.accountByUsername(name).isPresent()) {
            throw ChatException.conflict("username is taken: " + name);
        }
        String hash = settings.hasher().hash(password);
        User user = engine.createUser(displayName == null || displayName.isBlank() ? name : displayName);
        boolean first = store.accounts(1, null).isEmpty();
        store.createAccount(new Account(user.id(), name, hash, first, false, now(), null, false));
        log.info("registered {} as {}{}", name, user.id(), first ? " (first account: admin)" : "");
        return user.id();
    }

    /**
     * The documented password policy: {@link AccountSettings#minPasswordChars()} to 256
     * characters, not containing the username, not one repeated character, not a well-known
     * common password.
     *
     * @throws ChatException {@code bad_request} naming the rule that failed
     */
    public void checkPassword(String username, String password) {
        if (password == null || password.length() < settings.minPasswordChars()) {
            throw ChatException.badRequest("password must have at least " + settings.minPasswordChars() + " characters");
        }
        if (password.length() > AccountSettings.MAX_PASSWORD_CHARS) {
            throw ChatException.tooLarge("password must have at most " + AccountSettings.MAX_PASSWORD_CHARS + " characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (username != null && lower.contains(username.toLowerCase(Locale.ROOT))) {
            throw ChatException.badRequest("password must not contain the username");
        }
        if (password.chars().distinct().count() == 1) {
            throw ChatException.badRequest("password must not be one repeated character");
        }
        if (COMMON_PASSWORDS.contains(lower)) {
            throw ChatException.badRequest("password is too common");
        }
    }

    /**
     * Checks a password. Returns a session, or a challenge when two-factor is on.
     *
     * @param address client address (for brute-force protection), may be {@code null}
     * @param client  user agent or client name, stored with the session, may be {@code null}
     */
    public LoginResult login(String username, String password, String address, String client) {
        if (username == null || password == null) {
            throw ChatException.badRequest("username and password are required");
        }
        String name = username.strip().toLowerCase(Locale.ROOT);
        String accountKey = "account:" + name;
        String addressKey = address == null ? null : "address:" + address;
        throttle.check(accountKey);
        if (addressKey != null) {
            throttle.check(addressKey);
        }
        Optional<Account> found = store.accountByUsername(name);
        boolean ok = found.isPresent() && password.length() <= AccountSettings.MAX_PASSWORD_CHARS
                && settings.hasher().verify(password, found.get().passwordHash());
        if (!ok) {
            throttle.failed(accountKey);
            if (addressKey != null) {
                throttle.failed(addressKey);
            }
            throw ChatException.unauthenticated("wrong username or password");
        }
        throttle.succeeded(accountKey);
        if (addressKey != null) {
            throttle.succeeded(addressKey);
        }
        Account account = found.get();
        if (account.disabled()) {
            throw ChatException.forbidden("account is disabled");
        }
        if (settings.hasher().needsRehash(account.passwordHash())) {
            account = account.withPasswordHash(settings.hasher().hash(password));
            store.updateAccount(account);
            log.info("rehashed password of {} with current parameters", account.userId());
        }
        if (account.totpEnabled()) {
            purgeExpiredChallenges();
            String challengeId = randomToken(24);
            challenges.put(challengeId, new Challenge(account.userId(), now().plus(settings.challengeTtl()), client, address));
            return new LoginResult.TotpRequired(challengeId);
        }
        return newSession(account.userId(), client, address);
    }

    /**
     * Second login step: a current TOTP code or one unused recovery code.
     *
     * @throws ChatException {@code unauthenticated} for an unknown or expired challenge, a
     *                       wrong or already used code
     */
    public LoginResult.LoggedIn loginTotp(String challengeId, String code, String recoveryCode) {
        if (challengeId == null || (code == null) == (recoveryCode == null)) {
            throw ChatException.badRequest("challengeId and exactly one of code or recoveryCode are required");
        }
        Challenge challenge = challenges.get(challengeId);
        if (challenge == null || challenge.expiresAt().isBefore(now())) {
            challenges.remove(challengeId);
            throw ChatException.unauthenticated("unknown or expired challenge; log in again");
        }
        String key = "totp:" + challenge.userId();
        throttle.check(key);
        Account account = store.account(challenge.userId())
                .orElseThrow(() -> ChatException.unauthenticated("account no longer exists"));
        boolean ok = code != null ? acceptCode(account, code) : store.useRecoveryCode(account.userId(), sha256(normalizeRecovery(recoveryCode)));
        if (!ok) {
            throttle.failed(key);
            throw ChatException.unauthenticated(code != null ? "wrong or already used code" : "wrong or already used recovery code");
        }
        throttle.succeeded(key);
        challenges.remove(challengeId);
        if (account.disabled()) {
            throw ChatException.forbidden("account is disabled");
        }
        return newSession(account.userId(), challenge.client(), challenge.address());
    }

    /** Ends the session of {@code token}. Unknown tokens are ignored. */
    public void logout(String token) {
        if (token == null) {
            return;
        }
        store.sessionByTokenHash(sha256(token)).ifPresent(s -> revoke(s.userId(), s.id()));
    }

    @Override
    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return Optional.empty();
        }
        Optional<AuthSession> found = store.sessionByTokenHash(sha256(token));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AuthSession session = found.get();
        Instant now = now();
        if (!session.expiresAt().isAfter(now)) {
            store.deleteSession(session.userId(), session.id());
            return Optional.empty();
        }
        Optional<Account> account = store.account(session.userId());
        if (account.isEmpty() || account.get().disabled()) {
            return Optional.empty();
        }
        if (session.lastUsedAt().plus(TOUCH_INTERVAL).isBefore(now)) {
            store.touchSession(session.id(), now);
        }
        User user = engine.user(session.userId());
        return Optional.of(new Principal(user.id(), user.name(), session.id()));
    }

    /** Like {@link #authenticate} but throws {@code unauthenticated}. */
    public Principal require(String token) {
        return authenticate(token).orElseThrow(() -> ChatException.unauthenticated("invalid or expired token"));
    }

    // ------------------------------------------------------------------ sessions

    public List<AuthSession> sessions(String userId) {
        return store.sessions(userId);
    }

    /** Revokes one of the caller's sessions. */
    public void revokeSession(String userId, String sessionId) {
        if (!store.deleteSession(userId, sessionId)) {
            throw ChatException.notFound("no such session: " + sessionId);
        }
        fire(new SessionsRevoked(userId, List.of(sessionId)));
    }

    /** Changes the password after checking the current one; other sessions are revoked. */
    public void changePassword(String userId, String currentSessionId, String currentPassword, String newPassword) {
        Account account = account(userId);
        if (currentPassword == null || !settings.hasher().verify(currentPassword, account.passwordHash())) {
            throw ChatException.unauthenticated("current password is wrong");
        }
        checkPassword(account.username(), newPassword);
        store.updateAccount(account.withPasswordHash(settings.hasher().hash(newPassword)));
        List<String> others = new ArrayList<>();
        for (AuthSession s : store.sessions(userId)) {
            if (!s.id().equals(currentSessionId)) {
                store.deleteSession(userId, s.id());
                others.add(s.id());
            }
        }
        if (!others.isEmpty()) {
            fire(new SessionsRevoked(userId, others));
        }
    }

    // ------------------------------------------------------------------ linked identities

    /**
     * Signs in with an identity that the caller has just verified (a wallet that signed a
     * Sign-In with Ethereum message, …): the same kind of session a password login gives.
     * When the identity is linked to a user, that user signs in. Otherwise a user is created
     * with the id {@code newUserId} (kept if it already exists) and an account without password
     * whose username is {@code newUserId} in lower case, and the identity is linked to it; like
     * {@link #register}, the very first account becomes an admin. Two-factor applies: an
     * account with TOTP on gets a {@link LoginResult.TotpRequired} challenge here too.
     *
     * @param kind        identity kind ({@link LinkedIdentity#kind()}), e.g. {@code "eip155"}
     * @param subject     the identity in its canonical form, e.g. the EIP-55 checksummed address
     * @param newUserId   the user id for a first sign-in (a chat user id, at most 64 characters)
     * @param displayName the display name of a new user
     * @param client      user agent or client name, stored with the session, may be {@code null}
     * @param address     client address, stored with the session, may be {@code null}
     * @throws ChatException {@code forbidden} for a disabled account; {@code bad_request} for a
     *                       malformed kind, subject or user id; {@code unsupported} when the store
     *                       keeps no identities
     * @since 0.1.0
     */
    public LoginResult signInWithIdentity(String kind, String subject, String newUserId, String displayName,
                                          String client, String address) {
        checkIdentity(kind, subject);
        Objects.requireNonNull(newUserId, "newUserId");
        Optional<LinkedIdentity> linked = store.identity(kind, subject);
        String userId = linked.isPresent() ? linked.get().userId() : createIdentityUser(kind, subject, newUserId,
                displayName);
        Account account = store.account(userId)
                .orElseThrow(() -> ChatException.unauthenticated("the account of this identity no longer exists"));
        if (account.disabled()) {
            throw ChatException.forbidden("account is disabled");
        }
        if (account.totpEnabled()) {
            purgeExpiredChallenges();
            String challengeId = randomToken(24);
            challenges.put(challengeId, new Challenge(userId, now().plus(settings.challengeTtl()), client, address));
            return new LoginResult.TotpRequired(challengeId);
        }
        return newSession(userId, client, address);
    }

    /** Creates (or completes) the account of a first identity sign-in; returns the user the identity now signs in. */
    private String createIdentityUser(String kind, String subject, String userId, String displayName) {
        try {
            engine.user(userId);
        } catch (ChatException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            engine.putUser(userId, displayName);
        }
        if (store.account(userId).isEmpty()) {
            boolean first = store.accounts(1, null).isEmpty();
            try {
                store.createAccount(new Account(userId, userId.toLowerCase(Locale.ROOT), NO_PASSWORD, first, false,
                        now(), null, false));
                log.info("created account {} for {} {}{}", userId, kind, subject, first ? " (first account: admin)" : "");
            } catch (ChatException e) {
                if (e.code() != ErrorCode.CONFLICT || store.account(userId).isEmpty()) {
                    throw e; // not a concurrent first sign-in of the same identity
                }
            }
        }
        try {
            store.linkIdentity(new LinkedIdentity(kind, subject, userId, now()));
            return userId;
        } catch (ChatException e) {
            if (e.code() != ErrorCode.CONFLICT) {
                throw e;
            }
            // Linked concurrently (another request or node): sign in whoever it is linked to now.
            return store.identity(kind, subject).map(LinkedIdentity::userId).orElseThrow(() -> e);
        }
    }

    /**
     * Links a verified identity to a user's account, so that it signs that user in from now on.
     * Linking an identity the user already has is answered with the existing link.
     *
     * @throws ChatException {@code conflict} when the identity is linked to another user;
     *                       {@code not_found} when the user has no account; {@code forbidden}
     *                       for a disabled account
     * @since 0.1.0
     */
    public LinkedIdentity linkIdentity(String userId, String kind, String subject) {
        checkIdentity(kind, subject);
        Account account = account(userId);
        if (account.disabled()) {
            throw ChatException.forbidden("account is disabled");
        }
        Optional<LinkedIdentity> existing = store.identity(kind, subject);
        if (existing.isPresent()) {
            if (existing.get().userId().equals(userId)) {
                return existing.get();
            }
            throw ChatException.conflict(subject + " is linked to another account");
        }
        LinkedIdentity identity = new LinkedIdentity(kind, subject, userId, now());
        try {
            store.linkIdentity(identity);
        } catch (ChatException e) {
            if (e.code() == ErrorCode.CONFLICT) {
                throw ChatException.conflict(subject + " is linked to another account");
            }
            throw e;
        }
        log.info("linked {} {} to {}", kind, subject, userId);
        return identity;
    }

    /**
     * Removes a link. An account without password keeps at least one identity, else nobody
     * could sign in to it. Sessions stay: they are the account's, not the identity's.
     *
     * @throws ChatException {@code not_found} when the identity is not linked to this user;
     *                       {@code conflict} when it is the last way to sign in
     * @since 0.1.0
     */
    public void unlinkIdentity(String userId, String kind, String subject) {
        checkIdentity(kind, subject);
        Account account = account(userId);
        List<LinkedIdentity> own = store.identities(userId);
        boolean linked = own.stream().anyMatch(i -> i.kind().equals(kind) && i.subject().equals(subject));
        if (!linked) {
            throw ChatException.notFound(subject + " is not linked to this account");
        }
        if (!hasPassword(account) && own.size() == 1) {
            throw ChatException.conflict("cannot unlink the only way to sign in to this account");
        }
        if (!store.unlinkIdentity(userId, kind, subject)) {
            throw ChatException.notFound(subject + " is not linked to this account");
        }
        log.info("unlinked {} {} from {}", kind, subject, userId);
    }

    /**
     * The user's linked identities, oldest first (empty for a user without any).
     *
     * @since 0.1.0
     */
    public List<LinkedIdentity> identities(String userId) {
        return store.identities(Objects.requireNonNull(userId, "userId"));
    }

    /**
     * Whether the account can log in with a password (accounts created by an identity sign-in cannot).
     *
     * @since 0.1.0
     */
    public static boolean hasPassword(Account account) {
        return !NO_PASSWORD.equals(account.passwordHash());
    }

    private static void checkIdentity(String kind, String subject) {
        if (kind == null || !IDENTITY_KIND.matcher(kind).matches()) {
            throw ChatException.badRequest("identity kind must be 1 to 32 characters of a-z 0-9 -");
        }
        if (subject == null || subject.isEmpty() || subject.length() > 200) {
            throw ChatException.badRequest("identity subject must be 1 to 200 characters");
        }
    }

    // ------------------------------------------------------------------ single-use nonces

    /**
     * Issues a nonce for a sign-in method that has the client sign a challenge (Sign-In with
     * Ethereum). It is kept in the store, as a hash, so that any node can {@link #consumeNonce
     * consume} it: 17 characters from the 62 ASCII letters and digits (about 101 bits).
     *
     * <p>A nonce belongs to a {@code scope} and is consumed only in the same one: a nonce issued
     * to sign in ({@code "siwe-login"}) cannot serve to link a wallet, and one issued to link a
     * wallet to a user ({@code "siwe-link:" + userId}) serves no other user.
     *
     * @param scope          what the nonce is for (any text, not stored in the clear)
     * @param ttl            how long it may be used
     * @param maxOutstanding most unexpired nonces held (a bound on what anonymous callers can make the store keep)
     * @throws ChatException {@code rate_limited} when that many are outstanding
     * @since 0.1.0
     */
    public String issueNonce(String scope, Duration ttl, int maxOutstanding) {
        Objects.requireNonNull(scope, "scope");
        if (ttl.isNegative() || ttl.isZero() || maxOutstanding < 1) {
            throw new IllegalArgumentException("ttl must be > 0 and maxOutstanding >= 1");
        }
        StringBuilder sb = new StringBuilder(NONCE_CHARS);
        for (int i = 0; i < NONCE_CHARS; i++) {
            sb.append(NONCE_ALPHABET.charAt(random.nextInt(NONCE_ALPHABET.length())));
        }
        String nonce = sb.toString();
        Instant now = now();
        if (!store.createNonce(sha256(scope + "\n" + nonce), now.plus(ttl), now, maxOutstanding)) {
            throw ChatException.rateLimited("too many sign-in nonces outstanding; try again shortly",
                    Math.min(ttl.toMillis(), NONCE_RETRY_MS));
        }
        return nonce;
    }

    /**
     * Uses up a nonce of {@link #issueNonce}: true once, on whichever node, while it is
     * unexpired, and only in the scope it was issued for.
     *
     * @since 0.1.0
     */
    public boolean consumeNonce(String scope, String nonce) {
        Objects.requireNonNull(scope, "scope");
        if (nonce == null || nonce.isEmpty() || nonce.length() > 200) {
            return false;
        }
        return store.consumeNonce(sha256(scope + "\n" + nonce), now());
    }

    // ------------------------------------------------------------------ two-factor

    /** Starts enrolment: a new secret that is not active until {@link #confirmTotp}. */
    public TotpEnrollment enrollTotp(String userId) {
        Account account = account(userId);
        if (account.totpEnabled()) {
            throw ChatException.conflict("two-factor is already on; disable it first");
        }
        byte[] secret = new byte[20];
        random.nextBytes(secret);
        String base32 = Base32.encode(secret);
        store.updateAccount(account.withTotp(base32, false));
        return new TotpEnrollment(base32, Totp.otpauthUri(settings.issuer(), account.username(), base32));
    }

    /** Confirms enrolment with a first code; two-factor is on from now. Returns the recovery codes (shown once). */
    public List<String> confirmTotp(String userId, String code) {
        Account account = account(userId);
        if (account.totpSecret() == null) {
            throw ChatException.conflict("start enrolment first");
        }
        if (account.totpEnabled()) {
            throw ChatException.conflict("two-factor is already on");
        }
        if (!acceptCode(account, code)) {
            throw ChatException.unauthenticated("wrong or already used code");
        }
        List<String> codes = new ArrayList<>();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            String c = recoveryCode();
            codes.add(c);
            hashes.add(sha256(normalizeRecovery(c)));
        }
        store.replaceRecoveryCodes(userId, hashes);
        store.updateAccount(account.withTotp(account.totpSecret(), true));
        return codes;
    }

    /** Turns two-factor off after checking a current code. */
    public void disableTotp(String userId, String code) {
        Account account = account(userId);
        if (!account.totpEnabled()) {
            throw ChatException.conflict("two-factor is not on");
        }
        if (!acceptCode(account, code)) {
            throw ChatException.unauthenticated("wrong or already used code");
        }
        store.updateAccount(account.withTotp(null, false));
        store.replaceRecoveryCodes(userId, List.of());
    }

    // ------------------------------------------------------------------ administration

    public Account account(String userId) {
        return store.account(userId).orElseThrow(() -> ChatException.notFound("no account for " + userId));
    }

    /** Throws {@code forbidden} unless {@code userId} is an admin. */
    public void requireAdmin(String userId) {
        if (store.account(userId).map(a -> !a.admin()).orElse(true)) {
            throw ChatException.forbidden("admins only");
        }
    }

    public List<Account> accounts(String adminId, int limit, String afterUserId) {
        requireAdmin(adminId);
        if (limit < 1 || limit > 100) {
            throw ChatException.badRequest("limit must be 1 to 100");
        }
        return store.accounts(limit, afterUserId);
    }

    /** Disables or enables an account; disabling revokes its sessions. */
    public void setDisabled(String adminId, String userId, boolean disabled) {
        requireAdmin(adminId);
        if (adminId.equals(userId)) {
            throw ChatException.badRequest("admins cannot disable themselves");
        }
        store.updateAccount(account(userId).withDisabled(disabled));
        if (disabled) {
            revokeAll(userId);
        }
    }

    public void setAdmin(String adminId, String userId, boolean admin) {
        requireAdmin(adminId);
        if (adminId.equals(userId) && !admin) {
            throw ChatException.badRequest("admins cannot remove their own admin role");
        }
        store.updateAccount(account(userId).withAdmin(admin));
    }

    /**
     * Deletes an account (by an admin, or the user themself). Data policy: credentials,
     * sessions and recovery codes are deleted; avatar and bio are cleared; the chat user stays with the display name
     * "Deleted user" so that conversations other people keep remain readable.
     */
    public void deleteAccount(String callerId, String userId) {
        if (!callerId.equals(userId)) {
            requireAdmin(callerId);
        }
        account(userId);
        List<String> sessions = store.deleteSessions(userId);
        store.deleteAccount(userId);
        engine.updateProfile(userId, "Deleted user", "", "");
        if (!sessions.isEmpty()) {
            fire(new SessionsRevoked(userId, sessions));
        }
    }

    // ------------------------------------------------------------------ internals

    private boolean acceptCode(Account account, String code) {
        if (account.totpSecret() == null) {
            return false;
        }
        OptionalLong step = totp.verify(Base32.decode(account.totpSecret()), code, now(), 1);
        return step.isPresent() && store.useTotpStep(account.userId(), step.getAsLong());
    }

    private LoginResult.LoggedIn newSession(String userId, String client, String address) {
        String token = randomToken(32);
        Instant now = now();
        AuthSession session = new AuthSession(engine.ids().next(), userId, sha256(token), now,
                now.plus(settings.sessionTtl()), now, truncate(client), truncate(address));
        store.createSession(session);
        return new LoginResult.LoggedIn(token, userId, session.id(), session.expiresAt());
    }

    private void revoke(String userId, String sessionId) {
        if (store.deleteSession(userId, sessionId)) {
            fire(new SessionsRevoked(userId, List.of(sessionId)));
        }
    }

    private void revokeAll(String userId) {
        List<String> ids = store.deleteSessions(userId);
        if (!ids.isEmpty()) {
            fire(new SessionsRevoked(userId, ids));
        }
    }

    private void fire(SessionsRevoked event) {
        for (Consumer<SessionsRevoked> listener : revocationListeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                log.warn("session revocation listener failed", e);
            }
        }
    }

    private void purgeExpiredChallenges() {
        Instant now = now();
        challenges.values().removeIf(c -> c.expiresAt().isBefore(now));
    }

    private static String normalizeUsername(String username) {
        if (username == null) {
            throw ChatException.badRequest("username is required");
        }
        String name = username.strip().toLowerCase(Locale.ROOT);
        if (!USERNAME.matcher(name).matches()) {
            throw ChatException.badRequest("username must be 3 to 32 characters of a-z 0-9 _ . -");
        }
        return name;
    }

    private String recoveryCode() {
        String alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                sb.append('-');
            }
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String normalizeRecovery(String code) {
        return code.strip().toLowerCase(Locale.ROOT).replace("-", "").replace(" ", "");
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String truncate(String s) {
        return s == null ? null : s.length() <= 200 ? s : s.substring(0, 200);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
