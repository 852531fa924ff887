package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.local.InMemoryAccountStore;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.Principal;
import dev.parley.tck.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountServiceTest {
    private static final String PASSWORD = "correct horse battery";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private ChatEngine engine;
    private InMemoryAccountStore store;
    private AccountService accounts;
    private final List<AccountService.SessionsRevoked> revoked = new ArrayList<>();

    @BeforeEach
    void setUp() {
        engine = ChatEngine.builder().store(new InMemoryChatStore()).build();
        store = new InMemoryAccountStore();
        accounts = new AccountService(engine, store, AccountSettings.builder()
                .hasher(new PasswordHasher(64, 1, 1)).sessionTtl(Duration.ofHours(1)).build(), clock);
        accounts.onSessionsRevoked(revoked::add);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private LoginResult.LoggedIn login(String user) {
        return (LoginResult.LoggedIn) accounts.login(user, PASSWORD, "10.0.0.1", "test");
    }

    @Test
    void registerCreatesAChatUserAndLoginGivesAWorkingToken() {
        String id = accounts.register("Alice", PASSWORD, "Alice A.");
        assertThat(engine.user(id).name()).isEqualTo("Alice A.");
        LoginResult.LoggedIn session = login("alice");
        assertThat(session.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(accounts.authenticate(session.token())).contains(new Principal(id, "Alice A.", session.sessionId()));
        assertThat(store.sessions(id).get(0).tokenHash()).isNotEqualTo(session.token()).hasSize(64);
    }

    @Test
    void duplicateUsernameIsAConflictWhateverTheCase() {
        accounts.register("alice", PASSWORD, null);
        assertThatThrownBy(() -> accounts.register("ALICE", PASSWORD, null)).extracting("code").isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void weakPasswordsAndBadUsernamesAreRefusedWithTheRule() {
        assertThatThrownBy(() -> accounts.register("bob", "short", null))
                .isInstanceOf(ChatException.class).hasMessageContaining("at least 10");
        assertThatThrownBy(() -> accounts.register("bobby", "bobby-is-my-name", null)).hasMessageContaining("username");
        assertThatThrownBy(() -> accounts.register("bob", "aaaaaaaaaaaa", null)).hasMessageContaining("repeated");
        assertThatThrownBy(() -> accounts.register("bob", "password123", null)).hasMessageContaining("common");
        assertThatThrownBy(() -> accounts.register("bob", "x".repeat(257) + "yz", null)).extracting("code").isEqualTo(ErrorCode.TOO_LARGE);
        assertThatThrownBy(() -> accounts.register("b", PASSWORD, null)).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThatThrownBy(() -> accounts.register("bad name", PASSWORD, null)).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(store.accounts(10, null)).isEmpty();
    }

    @Test
    void wrongPasswordIsUnauthenticatedAndRepeatedFailuresAreDelayed() {
        accounts.register("alice", PASSWORD, null);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> accounts.login("alice", "wrong password!", "10.0.0.9", null))
                    .extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        }
        assertThatThrownBy(() -> accounts.login("alice", "wrong password!", "10.0.0.9", null))
                .extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        // fifth failure: now blocked, even with the right password
        assertThatThrownBy(() -> accounts.login("alice", PASSWORD, "10.0.0.8", null))
                .isInstanceOfSatisfying(ChatException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(e.retryAfterMs()).isBetween(1L, 1000L);
                });
        clock.advance(Duration.ofSeconds(1));
        assertThat(login("alice").token()).isNotBlank();
    }

    @Test
    void unknownUserLooksLikeAWrongPassword() {
        assertThatThrownBy(() -> accounts.login("nobody", PASSWORD, null, null))
                .isInstanceOf(ChatException.class).hasMessage("wrong username or password");
    }

    @Test
    void logoutAndRevocationStopTheTokenAndAreAnnounced() {
        String id = accounts.register("alice", PASSWORD, null);
        LoginResult.LoggedIn a = login("alice");
        LoginResult.LoggedIn b = login("alice");
        accounts.logout(a.token());
        assertThat(accounts.authenticate(a.token())).isEmpty();
        assertThat(accounts.authenticate(b.token())).isPresent();
        accounts.revokeSession(id, b.sessionId());
        assertThat(accounts.authenticate(b.token())).isEmpty();
        assertThat(revoked).extracting(r -> r.sessionIds().get(0)).containsExactly(a.sessionId(), b.sessionId());
        assertThatThrownBy(() -> accounts.revokeSession(id, "nope")).extracting("code").isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void expiredTokenStopsWorking() {
        accounts.register("alice", PASSWORD, null);
        LoginResult.LoggedIn s = login("alice");
        clock.advance(Duration.ofHours(1));
        assertThat(accounts.authenticate(s.token())).isEmpty();
        assertThat(accounts.authenticate("garbage")).isEmpty();
        assertThat(accounts.authenticate("")).isEmpty();
    }

    @Test
    void passwordIsRehashedWhenParametersChange() {
        String id = accounts.register("alice", PASSWORD, null);
        String before = store.account(id).orElseThrow().passwordHash();
        AccountService stronger = new AccountService(engine, store, AccountSettings.builder()
                .hasher(new PasswordHasher(128, 2, 1)).build(), clock);
        stronger.login("alice", PASSWORD, null, null);
        String after = store.account(id).orElseThrow().passwordHash();
        assertThat(after).isNotEqualTo(before).contains("m=128,t=2,p=1");
        assertThat(stronger.login("alice", PASSWORD, null, null)).isInstanceOf(LoginResult.LoggedIn.class);
    }

    @Test
    void totpEnrolConfirmLoginAndReplay() {
        String id = accounts.register("alice", PASSWORD, null);
        TotpEnrollment enrollment = accounts.enrollTotp(id);
        assertThat(enrollment.otpauthUri()).startsWith("otpauth://totp/Parley:alice?secret=" + enrollment.secret());
        byte[] secret = Base32.decode(enrollment.secret());
        Totp totp = Totp.sha1(6);
        assertThat(login("alice")).isInstanceOf(LoginResult.LoggedIn.class); // not on until confirmed
        assertThatThrownBy(() -> accounts.confirmTotp(id, "000000")).extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        List<String> recovery = accounts.confirmTotp(id, totp.at(secret, clock.instant()));
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates();

        clock.advance(Duration.ofSeconds(30));
        LoginResult first = accounts.login("alice", PASSWORD, null, null);
        assertThat(first).isInstanceOf(LoginResult.TotpRequired.class);
        String challenge = ((LoginResult.TotpRequired) first).challengeId();
        String code = totp.at(secret, clock.instant());
        assertThatThrownBy(() -> accounts.loginTotp(challenge, "123", null)).extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        LoginResult.LoggedIn in = accounts.loginTotp(challenge, code, null);
        assertThat(accounts.authenticate(in.token())).isPresent();
        // the challenge is single use, and so is the code
        assertThatThrownBy(() -> accounts.loginTotp(challenge, code, null)).extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        String again = ((LoginResult.TotpRequired) accounts.login("alice", PASSWORD, null, null)).challengeId();
        assertThatThrownBy(() -> accounts.loginTotp(again, code, null))
                .isInstanceOf(ChatException.class).hasMessageContaining("already used");
        // a recovery code works once
        assertThat(accounts.loginTotp(again, null, recovery.get(0).toUpperCase())).isNotNull();
        String third = ((LoginResult.TotpRequired) accounts.login("alice", PASSWORD, null, null)).challengeId();
        assertThatThrownBy(() -> accounts.loginTotp(third, null, recovery.get(0))).extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThatThrownBy(() -> accounts.loginTotp(third, "1", "2")).extracting("code").isEqualTo(ErrorCode.BAD_REQUEST);
    }

    @Test
    void totpChallengeExpires() {
        String id = accounts.register("alice", PASSWORD, null);
        byte[] secret = Base32.decode(accounts.enrollTotp(id).secret());
        accounts.confirmTotp(id, Totp.sha1(6).at(secret, clock.instant()));
        String challenge = ((LoginResult.TotpRequired) accounts.login("alice", PASSWORD, null, null)).challengeId();
        clock.advance(Duration.ofMinutes(6));
        assertThatThrownBy(() -> accounts.loginTotp(challenge, Totp.sha1(6).at(secret, clock.instant()), null))
                .hasMessageContaining("expired");
    }

    @Test
    void disableTotpNeedsACurrentCode() {
        String id = accounts.register("alice", PASSWORD, null);
        byte[] secret = Base32.decode(accounts.enrollTotp(id).secret());
        accounts.confirmTotp(id, Totp.sha1(6).at(secret, clock.instant()));
        assertThatThrownBy(() -> accounts.disableTotp(id, "000000")).extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        clock.advance(Duration.ofSeconds(30));
        accounts.disableTotp(id, Totp.sha1(6).at(secret, clock.instant()));
        assertThat(login("alice")).isInstanceOf(LoginResult.LoggedIn.class);
        assertThatThrownBy(() -> accounts.disableTotp(id, "000000")).extracting("code").isEqualTo(ErrorCode.CONFLICT);
    }

    @Test
    void firstAccountIsAdminAndAdminsManageOthers() {
        String admin = accounts.register("admin", PASSWORD, null);
        String bob = accounts.register("bob", PASSWORD, null);
        assertThat(store.account(admin).orElseThrow().admin()).isTrue();
        assertThat(store.account(bob).orElseThrow().admin()).isFalse();
        assertThatThrownBy(() -> accounts.setDisabled(bob, admin, true)).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        LoginResult.LoggedIn bobSession = login("bob");
        accounts.setDisabled(admin, bob, true);
        assertThat(accounts.authenticate(bobSession.token())).isEmpty();
        assertThatThrownBy(() -> login("bob")).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
        accounts.setDisabled(admin, bob, false);
        assertThat(login("bob")).isNotNull();
        assertThat(accounts.accounts(admin, 10, null)).hasSize(2);
        assertThatThrownBy(() -> accounts.accounts(bob, 10, null)).extracting("code").isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void deletingAnAccountKeepsTheChatUserAsDeletedUser() {
        String admin = accounts.register("admin", PASSWORD, null);
        String bob = accounts.register("bob", PASSWORD, "Bob");
        LoginResult.LoggedIn s = login("bob");
        accounts.deleteAccount(admin, bob);
        assertThat(accounts.authenticate(s.token())).isEmpty();
        assertThat(engine.user(bob).name()).isEqualTo("Deleted user");
        assertThatThrownBy(() -> login("bob")).extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(revoked).anySatisfy(r -> assertThat(r.userId()).isEqualTo(bob));
    }

    @Test
    void changePasswordRevokesOtherSessions() {
        String id = accounts.register("alice", PASSWORD, null);
        LoginResult.LoggedIn keep = login("alice");
        LoginResult.LoggedIn other = login("alice");
        assertThatThrownBy(() -> accounts.changePassword(id, keep.sessionId(), "wrong one!!", "another fine secret"))
                .extracting("code").isEqualTo(ErrorCode.UNAUTHENTICATED);
        accounts.changePassword(id, keep.sessionId(), PASSWORD, "another fine secret");
        assertThat(accounts.authenticate(keep.token())).isPresent();
        assertThat(accounts.authenticate(other.token())).isEmpty();
    }
}
