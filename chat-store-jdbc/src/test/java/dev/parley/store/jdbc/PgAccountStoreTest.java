package dev.parley.store.jdbc;

import static dev.parley.tck.StoreFixtures.assertCode;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.core.ErrorCode;
import dev.parley.core.User;
import dev.parley.core.spi.Account;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.AuthSession;
import dev.parley.tck.AccountStoreContract;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@link AccountStoreContract} on PostgreSQL, and the JDBC store's own account rules. */
class PgAccountStoreTest extends AccountStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase pg = new PostgresTestDatabase();

    private JdbcChatStore jdbc;

    @Override
    protected AccountStore openStore() {
        jdbc = pg.builder().build();
        return jdbc;
    }

    @Override
    protected void createUser(String userId) {
        jdbc.putUser(new User(userId, "Name of " + userId, T0));
    }

    @Test
    void accountOfAnUnknownChatUserIsNotFound() {
        assertCode(ErrorCode.NOT_FOUND, () -> store.createAccount(
                new Account("ghost", "ghost", "hash", false, false, T0, null, false)));
        assertThat(store.accountByUsername("ghost")).isEmpty();
    }

    @Test
    void renamingToATakenUsernameInOtherCaseIsConflict() {
        register("u-alice", "alice");
        Account bob = register("u-bob", "bob");

        assertCode(ErrorCode.CONFLICT, () -> store.updateAccount(
                new Account("u-bob", "ALICE", "hash", false, false, T0, null, false)));
        assertThat(store.account("u-bob")).contains(bob);
    }

    @Test
    void sessionWithATakenTokenHashIsConflict() {
        register("u-alice", "alice");
        AuthSession first = session("s1", "u-alice", 1);
        store.createSession(first);
        AuthSession second = session("s2", "u-alice", 2);

        assertCode(ErrorCode.CONFLICT, () -> store.createSession(new AuthSession("s2", "u-alice", first.tokenHash(),
                second.createdAt(), second.expiresAt(), second.lastUsedAt(), null, null)));
        assertThat(store.sessionByTokenHash(first.tokenHash())).contains(first);
    }

    @Test
    void everythingSurvivesReopen() {
        Account alice = register("u-alice", "alice").withTotp("JBSWY3DPEHPK3PXP", true).withAdmin(true);
        store.updateAccount(alice);
        assertThat(store.useTotpStep("u-alice", 100)).isTrue();
        store.replaceRecoveryCodes("u-alice", List.of("code-1", "code-2"));
        store.createSession(session("s1", "u-alice", 1));

        jdbc.close();
        store = openStore();

        assertThat(store.accountByUsername("ALICE")).contains(alice);
        assertThat(store.useTotpStep("u-alice", 100)).as("used before the reopen").isFalse();
        assertThat(store.useRecoveryCode("u-alice", "code-2")).isTrue();
        assertThat(store.sessions("u-alice")).extracting(AuthSession::id).containsExactly("s1");
    }
}
