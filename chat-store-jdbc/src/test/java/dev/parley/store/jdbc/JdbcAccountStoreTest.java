package dev.parley.store.jdbc;

import static dev.parley.tck.StoreFixtures.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.ErrorCode;
import dev.parley.core.User;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.AuthSession;
import dev.parley.tck.AccountStoreContract;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcAccountStoreTest extends AccountStoreContract {
    @TempDir
    Path dir;

    private JdbcChatStore jdbc;

    @Override
    protected AccountStore openStore() {
        jdbc = JdbcChatStore.sqlite(dir.resolve("chat.db"));
        return jdbc;
    }

    @Override
    protected void createUser(String userId) {
        jdbc.putUser(new User(userId, "Name of " + userId, T0));
    }

    private void reopen() {
        jdbc.close();
        store = openStore();
    }

    @Test
    void accountOfAnUnknownChatUserIsNotFound() {
        assertCode(ErrorCode.NOT_FOUND, () -> store.createAccount(
                new Account("ghost", "ghost", "hash", false, false, T0, null, false)));
        assertThat(store.accountByUsername("ghost")).isEmpty();
    }

    @Test
    void deleteAccountKeepsTheChatUser() {
        register("u-alice", "alice");

        store.deleteAccount("u-alice");

        assertThat(jdbc.findUser("u-alice")).isPresent();
    }

    @Test
    void sessionWithATakenTokenHashIsConflict() {
        register("u-alice", "alice");
        AuthSession first = session("s1", "u-alice", 1);
        store.createSession(first);
        AuthSession second = session("s2", "u-alice", 2);
        AuthSession sameToken = new AuthSession("s2", "u-alice", first.tokenHash(), second.createdAt(),
                second.expiresAt(), second.lastUsedAt(), null, null);

        assertCode(ErrorCode.CONFLICT, () -> store.createSession(sameToken));
        assertThat(store.sessionByTokenHash(first.tokenHash())).contains(first);
    }

    @Test
    void renamingToATakenUsernameIsConflict() {
        register("u-alice", "alice");
        Account bob = register("u-bob", "bob");

        assertCode(ErrorCode.CONFLICT, () -> store.updateAccount(
                new Account("u-bob", "ALICE", "hash", false, false, T0, null, false)));
        assertThat(store.account("u-bob")).contains(bob);
    }

    @Test
    void closedStoreIsUnavailable() {
        register("u-alice", "alice");
        jdbc.close();

        assertCode(ErrorCode.UNAVAILABLE, () -> store.account("u-alice"));
        assertCode(ErrorCode.UNAVAILABLE, () -> store.useTotpStep("u-alice", 1));
    }

    @Test
    void everythingSurvivesReopen() {
        Account alice = register("u-alice", "alice").withTotp("JBSWY3DPEHPK3PXP", true).withAdmin(true);
        store.updateAccount(alice);
        Account bob = register("u-bob", "bob");
        assertThat(store.useTotpStep("u-alice", 100)).isTrue();
        store.replaceRecoveryCodes("u-alice", List.of("code-1", "code-2"));
        assertThat(store.useRecoveryCode("u-alice", "code-1")).isTrue();
        AuthSession s1 = session("s1", "u-alice", 1);
        AuthSession s2 = session("s2", "u-alice", 2);
        store.createSession(s1);
        store.createSession(s2);
        Instant touched = T0.plusSeconds(7_200);
        store.touchSession("s1", touched);

        reopen();

        assertThat(store.account("u-alice")).contains(alice);
        assertThat(store.accountByUsername("BOB")).contains(bob);
        assertThat(store.accounts(10, null)).containsExactly(alice, bob);
        assertThat(store.useTotpStep("u-alice", 100)).as("used before the reopen").isFalse();
        assertThat(store.useTotpStep("u-alice", 101)).isTrue();
        assertThat(store.useRecoveryCode("u-alice", "code-1")).as("used before the reopen").isFalse();
        assertThat(store.useRecoveryCode("u-alice", "code-2")).isTrue();
        assertThat(store.sessions("u-alice")).extracting(AuthSession::id).containsExactly("s2", "s1");
        assertThat(store.sessionByTokenHash(s1.tokenHash()).orElseThrow().lastUsedAt()).isEqualTo(touched);
        assertThat(store.sessionByTokenHash(s2.tokenHash())).contains(s2);
        createUser("u-carol");
        assertCode(ErrorCode.CONFLICT, () -> store.createAccount(
                new Account("u-carol", "Alice", "hash", false, false, T0, null, false)));
    }
}
