package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatEngine;
import dev.parley.core.ErrorCode;
import dev.parley.core.local.InMemoryAccountStore;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.LinkedIdentity;
import dev.parley.core.spi.Principal;
import dev.parley.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-in with a verified outside identity (a wallet) and linking it to a password account. */
class AccountServiceIdentityTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String WALLET = "0xAb5801a7D398351b8bE11C439e05C5B3259aeC9B";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private ChatEngine engine;
    private InMemoryAccountStore store;
    private AccountService accounts;

    @BeforeEach
    void setUp() {
        engine = ChatEngine.builder().store(new InMemoryChatStore()).build();
        store = new InMemoryAccountStore();
        accounts = new AccountService(engine, store, AccountSettings.builder()
                .hasher(new PasswordHasher(64, 1, 1)).sessionTtl(Duration.ofHours(1)).build(), clock);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private LoginResult.LoggedIn walletSignIn(String address) {
        return (LoginResult.LoggedIn) accounts.signInWithIdentity("eip155", address, address, "0xAb58…eC9B",
                "test", "10.0.0.1");
    }

    @Test
    void firstSignInCreatesUserAccountAndLinkWithAStoredSession() {
        LoginResult.LoggedIn in = walletSignIn(WALLET);

        assertThat(in.userId()).isEqualTo(WALLET);
        assertThat(engine.user(WALLET).name()).isEqualTo("0xAb58…eC9B");
        assertThat(store.account(WALLET)).hasValueSatisfying(a -> {
            assertThat(a.username()).isEqualTo(WALLET.toLowerCase());
            assertThat(AccountService.hasPassword(a)).isFalse();
        });
        assertThat(accounts.identities(WALLET)).extracting(LinkedIdentity::subject).containsExactly(WALLET);
        assertThat(accounts.authenticate(in.token())).contains(new Principal(WALLET, "0xAb58…eC9B", in.sessionId()));
        assertThat(accounts.sessions(WALLET)).extracting(s -> s.id()).containsExactly(in.sessionId());
    }

    @Test
    void secondSignInReusesTheUserAndKeepsItsName() {
        walletSignIn(WALLET);
        engine.updateProfile(WALLET, "Vitalik", null, null);

        LoginResult.LoggedIn again = walletSignIn(WALLET);

        assertThat(again.userId()).isEqualTo(WALLET);
        assertThat(engine.user(WALLET).name()).isEqualTo("Vitalik");
        assertThat(accounts.sessions(WALLET)).hasSize(2);
    }

    @Test
    void walletAccountHasNoPasswordThatLogsIn() {
        walletSignIn(WALLET);

        assertThatThrownBy(() -> accounts.login(WALLET.toLowerCase(), "", null, null))
                .extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThatThrownBy(() -> accounts.login(WALLET.toLowerCase(), "anything at all", null, null))
                .extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void linkedWalletSignsInThePasswordUser() {
        String alice = accounts.register("alice", PASSWORD, "Alice");

        accounts.linkIdentity(alice, "eip155", WALLET);
        LoginResult.LoggedIn in = walletSignIn(WALLET);

        assertThat(in.userId()).isEqualTo(alice);
        assertThat(store.account(WALLET)).isEmpty();
        assertThat(accounts.authenticate(in.token())).map(Principal::name).contains("Alice");
    }

    @Test
    void linkingAWalletOfAnotherAccountIsConflictAndRelinkingOwnIsIdempotent() {
        String alice = accounts.register("alice", PASSWORD, null);
        walletSignIn(WALLET);

        assertThatThrownBy(() -> accounts.linkIdentity(alice, "eip155", WALLET))
                .extracting("code").isEqualTo(ErrorCode.CONFLICT);
        LinkedIdentity own = accounts.identities(WALLET).get(0);
        assertThat(accounts.linkIdentity(WALLET, "eip155", WALLET)).isEqualTo(own);
    }

    @Test
    void unlinkKeepsTheLastWayToSignIn() {
        walletSignIn(WALLET);
        String alice = accounts.register("alice", PASSWORD, null);
        accounts.linkIdentity(alice, "eip155", "0x0000000000000000000000000000000000000001");

        assertThatThrownBy(() -> accounts.unlinkIdentity(WALLET, "eip155", WALLET))
                .extracting("code").isEqualTo(ErrorCode.CONFLICT);
        assertThatThrownBy(() -> accounts.unlinkIdentity(alice, "eip155", WALLET))
                .extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
        accounts.unlinkIdentity(alice, "eip155", "0x0000000000000000000000000000000000000001");
        assertThat(accounts.identities(alice)).isEmpty();
    }

    @Test
    void disabledWalletAccountCannotSignIn() {
        String admin = accounts.register("admin", PASSWORD, null);
        walletSignIn(WALLET);

        accounts.setDisabled(admin, WALLET, true);

        assertThatThrownBy(() -> walletSignIn(WALLET)).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void twoFactorAppliesToWalletSignInOfAPasswordAccount() {
        String alice = accounts.register("alice", PASSWORD, null);
        String secret = accounts.enrollTotp(alice).secret();
        accounts.confirmTotp(alice, Totp.sha1(6).at(Base32.decode(secret), clock.instant()));
        accounts.linkIdentity(alice, "eip155", WALLET);

        LoginResult result = accounts.signInWithIdentity("eip155", WALLET, WALLET, "x", null, null);

        assertThat(result).isInstanceOf(LoginResult.TotpRequired.class);
        assertThat(accounts.sessions(alice)).isEmpty();
    }

    @Test
    void firstAccountOfAnyKindIsTheAdmin() {
        walletSignIn(WALLET);
        String bob = accounts.register("bob", PASSWORD, null);

        assertThat(accounts.account(WALLET).admin()).isTrue();
        assertThat(accounts.account(bob).admin()).isFalse();
    }

    @Test
    void malformedIdentityIsBadRequest() {
        assertThatThrownBy(() -> accounts.signInWithIdentity("EIP 155", WALLET, WALLET, "x", null, null))
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> accounts.signInWithIdentity("eip155", "", WALLET, "x", null, null))
                .extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void nonceIsSingleUseAndExpires() {
        String nonce = accounts.issueNonce("login", Duration.ofMinutes(5), 10);
        String late = accounts.issueNonce("login", Duration.ofMinutes(5), 10);

        assertThat(nonce).matches("[A-Za-z0-9]{17}");
        assertThat(accounts.consumeNonce("login", nonce)).isTrue();
        assertThat(accounts.consumeNonce("login", nonce)).isFalse();
        clock.advance(Duration.ofMinutes(5));
        assertThat(accounts.consumeNonce("login", late)).isFalse();
        assertThat(accounts.consumeNonce("login", "never-issued")).isFalse();
        assertThat(accounts.consumeNonce("login", null)).isFalse();
    }

    @Test
    void nonceWorksOnlyInItsScope() {
        String nonce = accounts.issueNonce("link:alice", Duration.ofMinutes(5), 10);

        assertThat(accounts.consumeNonce("link:bob", nonce)).isFalse();
        assertThat(accounts.consumeNonce("login", nonce)).isFalse();
        assertThat(accounts.consumeNonce("link:alice", nonce)).isTrue();
    }

    @Test
    void noncesOverTheCapAreRateLimited() {
        accounts.issueNonce("login", Duration.ofMinutes(5), 2);
        accounts.issueNonce("login", Duration.ofMinutes(5), 2);

        assertThatThrownBy(() -> accounts.issueNonce("login", Duration.ofMinutes(5), 2))
                .extracting("code").isEqualTo(ErrorCode.RATE_LIMITED);
        clock.advance(Duration.ofMinutes(5));
        assertThat(accounts.issueNonce("login", Duration.ofMinutes(5), 2)).hasSize(17);
    }
}
