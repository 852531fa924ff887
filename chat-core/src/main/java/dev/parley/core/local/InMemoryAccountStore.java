package dev.parley.core.local;

import dev.parley.core.ChatException;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.AuthSession;
import dev.parley.core.spi.LinkedIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** An {@link AccountStore} in memory: nothing survives the JVM. For tests and demos. */
public final class InMemoryAccountStore implements AccountStore {
    private final TreeMap<String, Account> byId = new TreeMap<>();
    private final Map<String, String> idByUsername = new HashMap<>();
    private final Map<String, Long> lastStep = new HashMap<>();
    private final Map<String, Set<String>> recovery = new HashMap<>();
    private final Map<String, AuthSession> sessionsById = new HashMap<>();
    private final Map<String, String> sessionByToken = new HashMap<>();
    /** kind, a line break and subject → link. */
    private final Map<String, LinkedIdentity> identities = new LinkedHashMap<>();
    private final Map<String, Instant> nonces = new HashMap<>();

    @Override
    public synchronized void createAccount(Account account) {
        String key = account.username().toLowerCase(Locale.ROOT);
        if (idByUsername.containsKey(key)) {
            throw ChatException.conflict("username is taken: " + account.username());
        }
        if (byId.containsKey(account.userId())) {
            throw ChatException.conflict("user already has an account: " + account.userId());
        }
        idByUsername.put(key, account.userId());
        byId.put(account.userId(), account);
    }

    @Override
    public synchronized void updateAccount(Account account) {
        Account old = byId.get(account.userId());
        if (old == null) {
            throw ChatException.notFound("no account for " + account.userId());
        }
        String oldKey = old.username().toLowerCase(Locale.ROOT);
        String newKey = account.username().toLowerCase(Locale.ROOT);
        if (!oldKey.equals(newKey)) {
            if (idByUsername.containsKey(newKey)) {
                throw ChatException.conflict("username is taken: " + account.username());
            }
            idByUsername.remove(oldKey);
            idByUsername.put(newKey, account.userId());
        }
        byId.put(account.userId(), account);
    }

    @Override
    public synchronized Optional<Account> accountByUsername(String username) {
        String id = idByUsername.get(username.toLowerCase(Locale.ROOT));
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<Account> account(String userId) {
        return Optional.ofNullable(byId.get(userId));
    }

    @Override
    public synchronized List<Account> accounts(int limit, String afterUserId) {
        Map<String, Account> tail = afterUserId == null ? byId : byId.tailMap(afterUserId, false);
        return tail.values().stream().limit(limit).toList();
    }

    @Override
    public synchronized void deleteAccount(String userId) {
        Account removed = byId.remove(userId);
        if (removed != null) {
            idByUsername.remove(removed.username().toLowerCase(Locale.ROOT));
        }
        recovery.remove(userId);
        lastStep.remove(userId);
        deleteSessions(userId);
        identities.values().removeIf(i -> i.userId().equals(userId));
    }

    @Override
    public synchronized boolean useTotpStep(String userId, long step) {
        Long last = lastStep.get(userId);
        if (last != null && step <= last) {
            return false;
        }
        lastStep.put(userId, step);
        return true;
    }

    @Override
    public synchronized void replaceRecoveryCodes(String userId, List<String> codeHashes) {
        recovery.put(userId, new HashSet<>(codeHashes));
    }

    @Override
    public synchronized boolean useRecoveryCode(String userId, String codeHash) {
        Set<String> codes = recovery.get(userId);
        return codes != null && codes.remove(codeHash);
    }

    @Override
    public synchronized void createSession(AuthSession session) {
        if (sessionsById.containsKey(session.id()) || sessionByToken.containsKey(session.tokenHash())) {
            throw ChatException.conflict("session id or token hash is in use");
        }
        sessionsById.put(session.id(), session);
        sessionByToken.put(session.tokenHash(), session.id());
    }

    @Override
    public synchronized Optional<AuthSession> sessionByTokenHash(String tokenHash) {
        String id = sessionByToken.get(tokenHash);
        return id == null ? Optional.empty() : Optional.ofNullable(sessionsById.get(id));
    }

    @Override
    public synchronized List<AuthSession> sessions(String userId) {
        return sessionsById.values().stream().filter(s -> s.userId().equals(userId))
                .sorted(Comparator.comparing(AuthSession::createdAt).reversed()).toList();
    }

    @Override
    public synchronized boolean deleteSession(String userId, String sessionId) {
        AuthSession s = sessionsById.get(sessionId);
        if (s == null || !s.userId().equals(userId)) {
            return false;
        }
        sessionsById.remove(sessionId);
        sessionByToken.remove(s.tokenHash());
        return true;
    }

    @Override
    public synchronized List<String> deleteSessions(String userId) {
        List<String> ids = new ArrayList<>();
        for (AuthSession s : List.copyOf(sessionsById.values())) {
            if (s.userId().equals(userId)) {
                deleteSession(userId, s.id());
                ids.add(s.id());
            }
        }
        return ids;
    }

    @Override
    public synchronized void touchSession(String sessionId, Instant lastUsedAt) {
        AuthSession s = sessionsById.get(sessionId);
        if (s != null) {
            sessionsById.put(sessionId, new AuthSession(s.id(), s.userId(), s.tokenHash(), s.createdAt(),
                    s.expiresAt(), lastUsedAt, s.client(), s.address()));
        }
    }

    @Override
    public synchronized void linkIdentity(LinkedIdentity identity) {
        String key = identity.kind() + "\n" + identity.subject();
        if (identities.containsKey(key)) {
            throw ChatException.conflict("identity is already linked: " + identity.subject());
        }
        if (!byId.containsKey(identity.userId())) {
            throw ChatException.notFound("no account for " + identity.userId());
        }
        identities.put(key, identity);
    }

    @Override
    public synchronized Optional<LinkedIdentity> identity(String kind, String subject) {
        return Optional.ofNullable(identities.get(kind + "\n" + subject));
    }

    @Override
    public synchronized List<LinkedIdentity> identities(String userId) {
        return identities.values().stream().filter(i -> i.userId().equals(userId))
                .sorted(Comparator.comparing(LinkedIdentity::linkedAt).thenComparing(LinkedIdentity::kind)
                        .thenComparing(LinkedIdentity::subject))
                .toList();
    }

    @Override
    public synchronized boolean unlinkIdentity(String userId, String kind, String subject) {
        String key = kind + "\n" + subject;
        LinkedIdentity found = identities.get(key);
        if (found == null || !found.userId().equals(userId)) {
            return false;
        }
        identities.remove(key);
        return true;
    }

    @Override
    public synchronized boolean createNonce(String nonceHash, Instant expiresAt, Instant now, int maxOutstanding) {
        if (nonces.containsKey(nonceHash)) {
            throw ChatException.conflict("nonce is already held");
        }
        if (nonces.size() >= maxOutstanding) {
            nonces.values().removeIf(expiry -> !expiry.isAfter(now));
        }
        if (nonces.size() >= maxOutstanding) {
            return false;
        }
        nonces.put(nonceHash, expiresAt);
        return true;
    }

    @Override
    public synchronized boolean consumeNonce(String nonceHash, Instant now) {
        Instant expiry = nonces.remove(nonceHash);
        return expiry != null && now.isBefore(expiry);
    }
}
