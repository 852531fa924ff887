package dev.parley.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Authenticator} does: a token it issued names its user; anything else —
 * unknown, malformed, empty, huge, revoked — is no principal (never an exception, which the
 * transports would answer as an internal error); it is safe to call from many threads.
 *
 * <p><b>How to use.</b> Extend it and implement the three hooks for your authenticator: how to
 * get one, how to sign a user in (issue a token), and how to revoke a token. A fresh state per
 * test is not required, but tokens must be unique per call of {@link #issueToken}.
 *
 * @since 0.1.0
 */
public abstract class AuthenticatorContract {

    /** The authenticator under test (the same one for all calls of a test). */
    protected abstract Authenticator authenticator();

    /** Signs {@code userId} in (creating the user if needed) and returns the token a client would present. */
    protected abstract String issueToken(String userId);

    /**
     * Makes {@code token} stop working, as logout or revocation does; return false if this
     * authenticator's tokens cannot be revoked (the revocation test is then skipped).
     */
    protected abstract boolean revoke(String token);

    @Test
    void anIssuedTokenNamesItsUser() {
        String token = issueToken("tck-alice");
        Optional<Principal> principal = authenticator().authenticate(token);
        assertThat(principal).hasValueSatisfying(p -> assertThat(p.userId()).isEqualTo(userIdOf("tck-alice", p)));
        assertThat(authenticator().authenticate(token)).as("a token works more than once").isPresent();
    }

    /**
     * The user id the principal of {@code requested} should carry; by default the requested id.
     * Override when the authenticator assigns its own ids (e.g. accounts with generated ids).
     */
    protected String userIdOf(String requested, Principal principal) {
        return requested;
    }

    @Test
    void twoUsersGetTheirOwnPrincipals() {
        Principal a = authenticator().authenticate(issueToken("tck-ann")).orElseThrow();
        Principal b = authenticator().authenticate(issueToken("tck-ben")).orElseThrow();
        assertThat(a.userId()).isNotEqualTo(b.userId());
    }

    @Test
    void anythingElseIsNoPrincipalAndNeverAnException() {
        String good = issueToken("tck-carl");
        List<String> bad = new ArrayList<>(List.of("", " ", "nonsense", "Bearer " + good, good + "x",
                good.substring(0, good.length() - 1), "\u0000", "é€𝄞", "x".repeat(100_000)));
        bad.add(null);
        for (String token : bad) {
            assertThatCode(() -> assertThat(authenticator().authenticate(token)).as("token %s", abbreviate(token))
                    .isEmpty()).doesNotThrowAnyException();
        }
    }

    @Test
    void aRevokedTokenStopsWorking() {
        String token = issueToken("tck-dora");
        String other = issueToken("tck-dora");
        if (!revoke(token)) {
            return;
        }
        assertThat(authenticator().authenticate(token)).isEmpty();
        assertThat(authenticator().authenticate(other)).as("only that token").isPresent();
    }

    @Test
    void manyThreadsAuthenticateAtOnce() throws Exception {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tokens.add(issueToken("tck-t" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<Principal>>> results = new ArrayList<>();
            for (int round = 0; round < 25; round++) {
                for (String t : tokens) {
                    results.add(pool.submit(() -> authenticator().authenticate(t)));
                }
            }
            for (Future<Optional<Principal>> r : results) {
                assertThat(r.get()).isPresent();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 20 ? s.substring(0, 20) + "…" : s;
    }
}
