package dev.parley.core.local;

import dev.parley.core.ChatException;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.AuthSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
}
