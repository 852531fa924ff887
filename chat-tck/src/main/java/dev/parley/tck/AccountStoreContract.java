package dev.parley.tck;

import static dev.parley.tck.StoreFixtures.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.AuthSession;
import dev.parley.core.spi.LinkedIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountStore} does, whatever keeps the data: accounts (usernames compared
 * case-insensitively), one-time TOTP steps, recovery codes and login sessions; since 0.8 also
 * linked identities (an identity signs in one user) and single-use expiring nonces.
 *
 * <p><b>How to use.</b> Extend it in your test tree and implement {@link #openStore()}:
 * <pre>{@code
 * class MyStoreAccountTest extends AccountStoreContract {
 *     @Override
 *     protected AccountStore openStore() {
 *         return new MyStore(...); // empty: no users, conversations or messages
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> JUnit makes a new instance of the test class for every test. Before each
 * test the contract calls {@link #openStore()} once and keeps the result in {@link #store}; the
 * tests call {@link #createUser(String)} before they create an account for that user. After each
 * test the contract closes {@link #store} if it is {@link AutoCloseable}. So {@code openStore()}
 * must return an empty store every time: a new in-memory instance, or a database that was emptied
 * (a new file, a new or truncated schema). Your subclass may add tests of its own, and may call
 * {@code openStore()} again to check what survives a reopen: close the old store first and
 * assign the new one to {@link #store}, which the contract then closes.
 *
 * <p>Times are compared at millisecond precision, the finest a store must keep.
 *
 * @since 0.1.0
 */
public abstract class AccountStoreContract {
    /** The time every account and session of the contract is created around. */
    protected static final Instant T0 = StoreFixtures.T0;

    /** The store under test, opened before each test. */
    protected AccountStore store;

    /** A new, empty store; called before every test (see the lifecycle above). */
    protected abstract AccountStore openStore();

    /** Creates the chat user an account belongs to: a store may require that it exists. */
    protected abstract void createUser(String userId);

    @BeforeEach
    protected final void openContractStore() {
        store = openStore();
    }

    @AfterEach
    protected final void closeContractStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** Creates the chat user and an account for it. */
    protected Account register(String userId, String username) {
        createUser(userId);
        Account account = new Account(userId, username, "$argon2id$v=19$m=19456,t=2,p=1$salt$" + userId,
                false, false, T0, null, false);
        store.createAccount(account);
        return account;
    }

    /** A session created {@code minute} minutes after T0. */
    protected static AuthSession session(String id, String userId, int minute) {
        Instant created = T0.plus(Duration.ofMinutes(minute));
        return new AuthSession(id, userId, "token-hash-" + id, created, created.plus(Duration.ofDays(30)), created,
                "parley-test/1.0", "127.0.0.1");
    }

    // ------------------------------------------------------------------ accounts

    @Test
    void createdAccountIsFoundByUserIdAndByUsername() {
        Account alice = register("u-alice", "alice");

        assertThat(store.account("u-alice")).contains(alice);
        assertThat(store.accountByUsername("alice")).contains(alice);
    }

    @Test
    void usernameLookupIgnoresCase() {
        Account alice = register("u-alice", "alice");

        assertThat(store.accountByUsername("ALICE")).contains(alice);
        assertThat(store.accountByUsername("Alice")).contains(alice);
    }

    @Test
    void usernameTakenInAnotherCaseIsConflict() {
        register("u-alice", "alice");
        createUser("u-other");

        assertCode(ErrorCode.CONFLICT, () -> store.createAccount(
                new Account("u-other", "ALICE", "hash", false, false, T0, null, false)));
        assertThat(store.account("u-other")).isEmpty();
    }

    @Test
    void secondAccountForTheSameUserIsConflict() {
        Account alice = register("u-alice", "alice");

        assertCode(ErrorCode.CONFLICT, () -> store.createAccount(
                new Account("u-alice", "alice2", "hash", false, false, T0, null, false)));
        assertThat(store.account("u-alice")).contains(alice);
        assertThat(store.accountByUsername("alice2")).isEmpty();
    }

    @Test
    void unknownAccountIsEmpty() {
        assertThat(store.account("nobody")).isEmpty();
        assertThat(store.accountByUsername("nobody")).isEmpty();
    }

    @Test
    void updateAccountReplacesPasswordFlagsAndTotp() {
        Account alice = register("u-alice", "alice");
        Account changed = alice.withPasswordHash("new-hash").withAdmin(true).withDisabled(true)
                .withTotp("JBSWY3DPEHPK3PXP", true);

        store.updateAccount(changed);

        assertThat(store.account("u-alice")).contains(changed);
        assertThat(store.accountByUsername("alice")).contains(changed);
    }

    @Test
    void updateOfAnUnknownAccountIsNotFound() {
        assertCode(ErrorCode.NOT_FOUND, () -> store.updateAccount(
                new Account("nobody", "nobody", "hash", false, false, T0, null, false)));
        assertThat(store.account("nobody")).isEmpty();
    }

    @Test
    void accountsArePagedInUserIdOrder() {
        for (String id : List.of("u3", "u1", "u4", "u2")) {
            register(id, "name-" + id);
        }

        assertThat(store.accounts(2, null)).extracting(Account::userId).containsExactly("u1", "u2");
        assertThat(store.accounts(2, "u2")).extracting(Account::userId).containsExactly("u3", "u4");
        assertThat(store.accounts(10, "u1")).extracting(Account::userId).containsExactly("u2", "u3", "u4");
        assertThat(store.accounts(2, "u4")).isEmpty();
    }

    @Test
    void deleteAccountFreesTheUsername() {
        register("u-alice", "alice");

        store.deleteAccount("u-alice");

        assertThat(store.account("u-alice")).isEmpty();
        assertThat(store.accountByUsername("alice")).isEmpty();
        Account newcomer = register("u-newcomer", "alice");
        assertThat(store.accountByUsername("alice")).contains(newcomer);
    }

    @Test
    void deleteAccountRemovesItsSessionsAndRecoveryCodes() {
        register("u-alice", "alice");
        register("u-bob", "bob");
        store.createSession(session("s1", "u-alice", 1));
        store.createSession(session("s2", "u-bob", 2));
        store.replaceRecoveryCodes("u-alice", List.of("code-a"));
        store.replaceRecoveryCodes("u-bob", List.of("code-b"));

        store.deleteAccount("u-alice");

        assertThat(store.sessions("u-alice")).isEmpty();
        assertThat(store.sessionByTokenHash("token-hash-s1")).isEmpty();
        assertThat(store.sessions("u-bob")).extracting(AuthSession::id).containsExactly("s2");
        register("u-alice", "alice");
        assertThat(store.useRecoveryCode("u-alice", "code-a")).as("old code of a re-created account").isFalse();
        assertThat(store.useRecoveryCode("u-bob", "code-b")).isTrue();
    }

    @Test
    void deleteAccountForgetsUsedTotpSteps() {
        register("u-alice", "alice");
        assertThat(store.useTotpStep("u-alice", 1000)).isTrue();

        store.deleteAccount("u-alice");
        register("u-alice", "alice");

        assertThat(store.useTotpStep("u-alice", 10)).isTrue();
    }

    @Test
    void deleteOfAnUnknownAccountChangesNothing() {
        Account alice = register("u-alice", "alice");

        store.deleteAccount("nobody");

        assertThat(store.accounts(10, null)).containsExactly(alice);
    }

    // ------------------------------------------------------------------ two-factor

    @Test
    void totpStepIsAcceptedOnlyWhenGreaterThanEveryUsedStep() {
        register("u-alice", "alice");

        assertThat(store.useTotpStep("u-alice", 100)).isTrue();
        assertThat(store.useTotpStep("u-alice", 100)).as("same step").isFalse();
        assertThat(store.useTotpStep("u-alice", 99)).as("older step").isFalse();
        assertThat(store.useTotpStep("u-alice", 101)).isTrue();
    }

    @Test
    void totpStepsArePerUser() {
        register("u-alice", "alice");
        register("u-bob", "bob");

        assertThat(store.useTotpStep("u-alice", 100)).isTrue();
        assertThat(store.useTotpStep("u-bob", 100)).isTrue();
    }

    @Test
    void updateAccountKeepsTheUsedTotpStep() {
        Account alice = register("u-alice", "alice");
        assertThat(store.useTotpStep("u-alice", 100)).isTrue();

        store.updateAccount(alice.withTotp("JBSWY3DPEHPK3PXP", true));

        assertThat(store.useTotpStep("u-alice", 100)).isFalse();
    }

    @Test
    void concurrentUsesOfOneTotpStepSucceedOnce() throws Exception {
        register("u-alice", "alice");

        List<Boolean> outcomes = race(16, () -> store.useTotpStep("u-alice", 500));

        assertThat(outcomes).containsOnlyOnce(true);
    }

    @Test
    void recoveryCodeWorksOnce() {
        register("u-alice", "alice");
        store.replaceRecoveryCodes("u-alice", List.of("code-1", "code-2"));

        assertThat(store.useRecoveryCode("u-alice", "code-1")).isTrue();
        assertThat(store.useRecoveryCode("u-alice", "code-1")).isFalse();
        assertThat(store.useRecoveryCode("u-alice", "code-2")).isTrue();
    }

    @Test
    void recoveryCodeOfAnotherUserIsRefused() {
        register("u-alice", "alice");
        register("u-bob", "bob");
        store.replaceRecoveryCodes("u-alice", List.of("code-1"));

        assertThat(store.useRecoveryCode("u-bob", "code-1")).isFalse();
        assertThat(store.useRecoveryCode("u-alice", "code-1")).isTrue();
    }

    @Test
    void replacingRecoveryCodesInvalidatesTheOldOnes() {
        register("u-alice", "alice");
        store.replaceRecoveryCodes("u-alice", List.of("old-1", "old-2"));

        store.replaceRecoveryCodes("u-alice", List.of("new-1", "new-1"));

        assertThat(store.useRecoveryCode("u-alice", "old-1")).isFalse();
        assertThat(store.useRecoveryCode("u-alice", "new-1")).isTrue();
        assertThat(store.useRecoveryCode("u-alice", "new-1")).as("a repeated hash is one code").isFalse();
        store.replaceRecoveryCodes("u-alice", List.of("again"));
        store.replaceRecoveryCodes("u-alice", List.of());
        assertThat(store.useRecoveryCode("u-alice", "again")).isFalse();
    }

    @Test
    void concurrentUsesOfOneRecoveryCodeSucceedOnce() throws Exception {
        register("u-alice", "alice");
        store.replaceRecoveryCodes("u-alice", List.of("code-1"));

        List<Boolean> outcomes = race(16, () -> store.useRecoveryCode("u-alice", "code-1"));

        assertThat(outcomes).containsOnlyOnce(true);
    }

    // ------------------------------------------------------------------ sessions

    @Test
    void sessionIsFoundByItsTokenHash() {
        register("u-alice", "alice");
        AuthSession s = session("s1", "u-alice", 1);

        store.createSession(s);

        assertThat(store.sessionByTokenHash("token-hash-s1")).contains(s);
        assertThat(store.sessionByTokenHash("token-hash-unknown")).isEmpty();
    }

    @Test
    void sessionWithoutClientOrAddressIsStored() {
        register("u-alice", "alice");
        AuthSession s = new AuthSession("s1", "u-alice", "token-hash-s1", T0, T0.plusSeconds(60), T0, null, null);

        store.createSession(s);

        assertThat(store.sessionByTokenHash("token-hash-s1")).contains(s);
    }

    @Test
    void sessionsAreTheUsersOwnNewestFirst() {
        register("u-alice", "alice");
        register("u-bob", "bob");
        store.createSession(session("s-mid", "u-alice", 5));
        store.createSession(session("s-old", "u-alice", 1));
        store.createSession(session("s-bob", "u-bob", 7));
        store.createSession(session("s-new", "u-alice", 9));

        assertThat(store.sessions("u-alice")).extracting(AuthSession::id).containsExactly("s-new", "s-mid", "s-old");
        assertThat(store.sessions("nobody")).isEmpty();
    }

    @Test
    void deleteSessionOfAnotherUsersSessionIsRefused() {
        register("u-alice", "alice");
        register("u-bob", "bob");
        AuthSession bobs = session("s-bob", "u-bob", 1);
        store.createSession(bobs);

        assertThat(store.deleteSession("u-alice", "s-bob")).isFalse();
        assertThat(store.sessionByTokenHash("token-hash-s-bob")).contains(bobs);
    }

    @Test
    void deleteSessionRemovesItAndItsToken() {
        register("u-alice", "alice");
        store.createSession(session("s1", "u-alice", 1));
        store.createSession(session("s2", "u-alice", 2));

        assertThat(store.deleteSession("u-alice", "s1")).isTrue();

        assertThat(store.deleteSession("u-alice", "s1")).as("already deleted").isFalse();
        assertThat(store.sessionByTokenHash("token-hash-s1")).isEmpty();
        assertThat(store.sessions("u-alice")).extracting(AuthSession::id).containsExactly("s2");
    }

    @Test
    void deleteSessionsReturnsTheDeletedIdsAndSparesOtherUsers() {
        register("u-alice", "alice");
        register("u-bob", "bob");
        store.createSession(session("s1", "u-alice", 1));
        store.createSession(session("s2", "u-alice", 2));
        store.createSession(session("s-bob", "u-bob", 3));

        assertThat(store.deleteSessions("u-alice")).containsExactlyInAnyOrder("s1", "s2");

        assertThat(store.sessions("u-alice")).isEmpty();
        assertThat(store.sessionByTokenHash("token-hash-s2")).isEmpty();
        assertThat(store.sessions("u-bob")).extracting(AuthSession::id).containsExactly("s-bob");
        assertThat(store.deleteSessions("u-alice")).isEmpty();
    }

    @Test
    void touchSessionMovesLastUsedAt() {
        register("u-alice", "alice");
        AuthSession s = session("s1", "u-alice", 1);
        store.createSession(s);
        Instant later = s.createdAt().plus(Duration.ofHours(3));

        store.touchSession("s1", later);

        AuthSession touched = store.sessionByTokenHash("token-hash-s1").orElseThrow();
        assertThat(touched.lastUsedAt()).isEqualTo(later);
        assertThat(touched).usingRecursiveComparison().ignoringFields("lastUsedAt").isEqualTo(s);
    }

    @Test
    void touchOfAnUnknownSessionChangesNothing() {
        store.touchSession("nobody", T0);

        assertThat(store.sessionByTokenHash("token-hash-nobody")).isEmpty();
    }

    // ------------------------------------------------------------------ linked identities

    @Test
    void linkedIdentityIsFoundBySubjectAndListedOldestFirst() {
        register("u-alice", "alice");
        LinkedIdentity second = new LinkedIdentity("eip155", "0xB0b", "u-alice", T0.plusSeconds(5));
        LinkedIdentity first = new LinkedIdentity("eip155", "0xA11ce", "u-alice", T0);

        store.linkIdentity(second);
        store.linkIdentity(first);

        assertThat(store.identity("eip155", "0xA11ce")).contains(first);
        assertThat(store.identity("eip155", "0xa11ce")).as("subjects are exact").isEmpty();
        assertThat(store.identity("other", "0xA11ce")).isEmpty();
        assertThat(store.identities("u-alice")).containsExactly(first, second);
    }

    @Test
    void identityLinkedToAnyoneIsConflict() {
        register("u-alice", "alice");
        register("u-bob", "bob");
        store.linkIdentity(new LinkedIdentity("eip155", "0xA11ce", "u-alice", T0));

        assertCode(ErrorCode.CONFLICT, () -> store.linkIdentity(new LinkedIdentity("eip155", "0xA11ce", "u-bob", T0)));
        assertCode(ErrorCode.CONFLICT, () -> store.linkIdentity(new LinkedIdentity("eip155", "0xA11ce", "u-alice", T0)));
        assertThat(store.identities("u-bob")).isEmpty();
    }

    @Test
    void identityOfAUserWithoutAccountIsNotFound() {
        createUser("u-nobody");

        assertCode(ErrorCode.NOT_FOUND, () -> store.linkIdentity(new LinkedIdentity("eip155", "0x1", "u-nobody", T0)));
    }

    @Test
    void concurrentLinksOfOneIdentitySucceedOnce() throws Exception {
        for (int i = 0; i < 8; i++) {
            register("u-" + i, "user" + i);
        }
        AtomicInteger next = new AtomicInteger();

        List<Boolean> outcomes = race(8, () -> {
            try {
                store.linkIdentity(new LinkedIdentity("eip155", "0xA11ce", "u-" + next.getAndIncrement(), T0));
                return true;
            } catch (ChatException e) {
                assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                return false;
            }
        });

        assertThat(outcomes).containsOnlyOnce(true);
    }

    @Test
    void unlinkRemovesOnlyTheUsersOwnLink() {
        register("u-alice", "alice");
        register("u-bob", "bob");
        store.linkIdentity(new LinkedIdentity("eip155", "0xA11ce", "u-alice", T0));

        assertThat(store.unlinkIdentity("u-bob", "eip155", "0xA11ce")).isFalse();
        assertThat(store.identity("eip155", "0xA11ce")).isPresent();
        assertThat(store.unlinkIdentity("u-alice", "eip155", "0xA11ce")).isTrue();
        assertThat(store.unlinkIdentity("u-alice", "eip155", "0xA11ce")).isFalse();
        assertThat(store.identity("eip155", "0xA11ce")).isEmpty();
        store.linkIdentity(new LinkedIdentity("eip155", "0xA11ce", "u-bob", T0));
        assertThat(store.identities("u-bob")).hasSize(1);
    }

    @Test
    void deleteAccountRemovesItsIdentities() {
        register("u-alice", "alice");
        store.linkIdentity(new LinkedIdentity("eip155", "0xA11ce", "u-alice", T0));

        store.deleteAccount("u-alice");

        assertThat(store.identity("eip155", "0xA11ce")).isEmpty();
        assertThat(store.identities("u-alice")).isEmpty();
    }

    // ------------------------------------------------------------------ nonces

    @Test
    void nonceWorksOnceAndOnlyBeforeItExpires() {
        Instant expiry = T0.plusSeconds(300);
        assertThat(store.createNonce("n1", expiry, T0, 10)).isTrue();
        assertThat(store.createNonce("n2", expiry, T0, 10)).isTrue();

        assertThat(store.consumeNonce("n1", T0.plusSeconds(299))).isTrue();
        assertThat(store.consumeNonce("n1", T0.plusSeconds(299))).as("used").isFalse();
        assertThat(store.consumeNonce("n2", expiry)).as("expired").isFalse();
        assertThat(store.consumeNonce("n2", T0)).as("an expired nonce is gone too").isFalse();
        assertThat(store.consumeNonce("never-issued", T0)).isFalse();
    }

    @Test
    void nonceHeldTwiceIsConflict() {
        store.createNonce("n1", T0.plusSeconds(300), T0, 10);

        assertCode(ErrorCode.CONFLICT, () -> store.createNonce("n1", T0.plusSeconds(300), T0, 10));
    }

    @Test
    void noncesAreCappedUntilTheOldExpire() {
        assertThat(store.createNonce("n1", T0.plusSeconds(60), T0, 2)).isTrue();
        assertThat(store.createNonce("n2", T0.plusSeconds(120), T0, 2)).isTrue();

        assertThat(store.createNonce("n3", T0.plusSeconds(180), T0.plusSeconds(30), 2)).as("full").isFalse();
        assertThat(store.createNonce("n3", T0.plusSeconds(180), T0.plusSeconds(60), 2)).as("n1 expired").isTrue();
        assertThat(store.consumeNonce("n3", T0.plusSeconds(61))).isTrue();
        assertThat(store.consumeNonce("n2", T0.plusSeconds(61))).isTrue();
    }

    @Test
    void concurrentUsesOfOneNonceSucceedOnce() throws Exception {
        store.createNonce("n1", T0.plusSeconds(300), T0, 10);

        List<Boolean> outcomes = race(16, () -> store.consumeNonce("n1", T0));

        assertThat(outcomes).containsOnlyOnce(true);
    }

    /** Runs {@code action} on {@code threads} threads released together; returns every outcome. */
    protected static <T> List<T> race(int threads, Callable<T> action) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return action.call();
                }));
            }
            start.countDown();
            List<T> outcomes = new ArrayList<>();
            for (Future<T> f : futures) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }
}
