package dev.parley.web3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatEngine;
import dev.parley.core.ErrorCode;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.Principal;
import dev.parley.tck.MutableClock;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

class SiweAuthenticatorTest {
    private static final ECKeyPair ALICE = ECKeyPair.create(new BigInteger("1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c5b6a7988", 16));
    private static final ECKeyPair MALLORY = ECKeyPair.create(BigInteger.valueOf(424242));
    private static final String ALICE_ADDRESS = Keys.toChecksumAddress(Keys.getAddress(ALICE));

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private final ChatEngine engine = ChatEngine.builder().store(new InMemoryChatStore()).build();
    private final SiweAuthenticator auth = new SiweAuthenticator(engine, SiweSettings.builder()
            .domain("chat.example.com").uri("https://chat.example.com/login").chainIds(Set.of(1L, 10L))
            .clockSkew(Duration.ofSeconds(30)).maxMessageAge(Duration.ofMinutes(10))
            .nonceTtl(Duration.ofMinutes(5)).sessionTtl(Duration.ofHours(1))
            .clock(clock).random(new SecureRandom()).build());

    private SiweMessage message(String domain, String uri, long chain, String nonce, Instant issued, Instant exp,
                                Instant nbf) {
        return new SiweMessage("https", domain, ALICE_ADDRESS, "Sign in to chat", uri, "1", chain, nonce,
                issued.toString(), exp == null ? null : exp.toString(), nbf == null ? null : nbf.toString(), null,
                List.of("https://chat.example.com/terms"));
    }

    private SiweMessage good(String nonce) {
        return message("chat.example.com", "https://chat.example.com/login", 1, nonce, clock.instant(),
                clock.instant().plus(Duration.ofMinutes(10)), null);
    }

    static String sign(String text, ECKeyPair key) {
        Sign.SignatureData s = Sign.signPrefixedMessage(text.getBytes(StandardCharsets.UTF_8), key);
        return "0x" + HexFormat.of().formatHex(s.getR()) + HexFormat.of().formatHex(s.getS())
                + HexFormat.of().formatHex(s.getV());
    }

    @Test
    void signsInCreatesTheUserAndTheTokenAuthenticates() {
        String text = good(auth.issueNonce()).toMessage();

        SiweLogin login = auth.signIn(text, sign(text, ALICE));

        assertThat(login.userId()).isEqualTo(ALICE_ADDRESS).matches("0x[0-9a-fA-F]{40}");
        assertThat(engine.user(ALICE_ADDRESS).name()).isEqualTo(ALICE_ADDRESS.substring(0, 6) + "…"
                + ALICE_ADDRESS.substring(38));
        assertThat(login.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        Principal p = auth.authenticate(login.token()).orElseThrow();
        assertThat(p.userId()).isEqualTo(ALICE_ADDRESS);
        assertThat(p.sessionId()).isEqualTo(login.sessionId());
        assertThat(login.toString()).doesNotContain(login.token());
    }

    @Test
    void anExistingUserKeepsItsNameAndGetsANewSession() {
        engine.putUser(ALICE_ADDRESS, "Alice");
        String text = good(auth.issueNonce()).toMessage();

        SiweLogin login = auth.signIn(text, sign(text, ALICE));

        assertThat(auth.authenticate(login.token()).orElseThrow().name()).isEqualTo("Alice");
        assertThat(engine.user(ALICE_ADDRESS).name()).isEqualTo("Alice");
    }

    @Test
    void tokensExpireAndCanBeRevokedAndUnknownOnesFail() {
        String t1 = good(auth.issueNonce()).toMessage();
        SiweLogin a = auth.signIn(t1, sign(t1, ALICE));
        String t2 = good(auth.issueNonce()).toMessage();
        SiweLogin b = auth.signIn(t2, sign(t2, ALICE));

        assertThat(auth.signOut(a.token())).isTrue();
        assertThat(auth.authenticate(a.token())).isEmpty();
        assertThat(auth.authenticate(b.token())).isPresent();
        assertThat(auth.authenticate("not-a-token")).isEmpty();
        assertThat(auth.authenticate(null)).isEmpty();

        clock.advance(Duration.ofHours(1));
        assertThat(auth.authenticate(b.token())).isEmpty();
    }

    @Test
    void aSignatureAcceptsRecoveryByteZeroOrOne() {
        String text = good(auth.issueNonce()).toMessage();
        String sig = sign(text, ALICE);
        int v = Integer.parseInt(sig.substring(130), 16) - 27;
        String lowV = sig.substring(0, 130) + String.format("%02x", v);

        assertThat(auth.signIn(text, lowV).userId()).isEqualTo(ALICE_ADDRESS);
    }

    @Test
    void wrongDomain() {
        SiweMessage m = message("evil.example.com", "https://chat.example.com/login", 1, auth.issueNonce(),
                clock.instant(), null, null);
        refused(m.toMessage(), sign(m.toMessage(), ALICE), SiweError.DOMAIN_MISMATCH, ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void wrongScheme() {
        SiweMessage g = good(auth.issueNonce());
        SiweMessage m = new SiweMessage("http", g.domain(), g.address(), g.statement(), g.uri(), "1", 1, g.nonce(),
                g.issuedAt(), null, null, null, null);
        refused(m.toMessage(), sign(m.toMessage(), ALICE), SiweError.DOMAIN_MISMATCH, ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void wrongUri() {
        SiweMessage m = message("chat.example.com", "https://chat.example.com/other", 1, auth.issueNonce(),
                clock.instant(), null, null);
        refused(m.toMessage(), sign(m.toMessage(), ALICE), SiweError.URI_MISMATCH, ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void chainNotAllowed() {
        SiweMessage m = message("chat.example.com", "https://chat.example.com/login", 137, auth.issueNonce(),
                clock.instant(), null, null);
        refused(m.toMessage(), sign(m.toMessage(), ALICE), SiweError.CHAIN_NOT_ALLOWED, ErrorCode.UNAUTHENTICATED);
        SiweMessage optimism = message("chat.example.com", "https://chat.example.com/login", 10, auth.issueNonce(),
                clock.instant(), null, null);
        assertThat(auth.signIn(optimism.toMessage(), sign(optimism.toMessage(), ALICE)).userId())
                .isEqualTo(ALICE_ADDRESS);
    }

    @Test
    void replayedNonce() {
        String text = good(auth.issueNonce()).toMessage();
        String sig = sign(text, ALICE);
        auth.signIn(text, sig);

        refused(text, sig, SiweError.NONCE_INVALID, ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void nonceNeverIssuedOrExpired() {
        String made = good("madeUpNonce123").toMessage();
        refused(made, sign(made, ALICE), SiweError.NONCE_INVALID, ErrorCode.UNAUTHENTICATED);

        String nonce = auth.issueNonce();
        clock.advance(Duration.ofMinutes(6));
        String late = good(nonce).toMessage();
        refused(late, sign(late, ALICE), SiweError.NONCE_INVALID, ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void expiredMessage() {
        String nonce = auth.issueNonce();
        SiweMessage m = message("chat.example.com", "https://chat.example.com/login", 1, nonce,
                clock.instant().minus(Duration.ofMinutes(3)), clock.instant().minus(Duration.ofMinutes(1)), null);
        refused(m.toMessage(), sign(m.toMessage(), ALICE), SiweError.EXPIRED, ErrorCode.UNAUTHENTICATED);
        // within the 30 s skew it is still accepted
        SiweMessage justExpired = message("chat.example.com", "https://chat.example.com/login", 1, nonce,
                clock.instant().minus(Duration.ofMinutes(3)), clock.instant().minus(Duration.ofSeconds(10)), null);
        assertThat(auth.signIn(justExpired.toMessage(), sign(justExpired.toMessage(), ALICE))).isNotNull();
    }

    @Test
    void notYetValidIssuedInTheFutureOrTooOld() {
        String nonce = auth.issueNonce();
        SiweMessage nbf = message("chat.example.com", "https://chat.example.com/login", 1, nonce, clock.instant(),
                null, clock.instant().plus(Duration.ofMinutes(2)));
        refused(nbf.toMessage(), sign(nbf.toMessage(), ALICE), SiweError.NOT_YET_VALID, ErrorCode.UNAUTHENTICATED);
        SiweMessage future = message("chat.example.com", "https://chat.example.com/login", 1, nonce,
                clock.instant().plus(Duration.ofMinutes(2)), null, null);
        refused(future.toMessage(), sign(future.toMessage(), ALICE), SiweError.ISSUED_IN_FUTURE,
                ErrorCode.UNAUTHENTICATED);
        SiweMessage old = message("chat.example.com", "https://chat.example.com/login", 1, nonce,
                clock.instant().minus(Duration.ofMinutes(11)), null, null);
        refused(old.toMessage(), sign(old.toMessage(), ALICE), SiweError.TOO_OLD, ErrorCode.UNAUTHENTICATED);
    }

    @Test
    void signatureByAnotherKeyLeavesTheNonceUsable() {
        String text = good(auth.issueNonce()).toMessage();
        refused(text, sign(text, MALLORY), SiweError.SIGNATURE_MISMATCH, ErrorCode.UNAUTHENTICATED);
        // a signature over other text does not do either
        refused(text, sign(text + " ", ALICE), SiweError.SIGNATURE_MISMATCH, ErrorCode.UNAUTHENTICATED);

        assertThat(auth.signIn(text, sign(text, ALICE)).userId()).isEqualTo(ALICE_ADDRESS);
    }

    @Test
    void malformedMessageOrSignature() {
        String text = good(auth.issueNonce()).toMessage();
        String broken = text.replace("Version: 1", "Version: 2");
        refused(broken, sign(broken, ALICE), SiweError.MALFORMED_MESSAGE, ErrorCode.BAD_REQUEST);
        refused("hello", sign("hello", ALICE), SiweError.MALFORMED_MESSAGE, ErrorCode.BAD_REQUEST);
        refused(null, "0x", SiweError.MALFORMED_MESSAGE, ErrorCode.BAD_REQUEST);
        refused(text, "0x1234", SiweError.MALFORMED_SIGNATURE, ErrorCode.BAD_REQUEST);
        refused(text, null, SiweError.MALFORMED_SIGNATURE, ErrorCode.BAD_REQUEST);
        String sig = sign(text, ALICE);
        refused(text, sig.substring(0, 130) + "05", SiweError.MALFORMED_SIGNATURE, ErrorCode.BAD_REQUEST);
    }

    private void refused(String text, String signature, SiweError reason, ErrorCode code) {
        assertThatThrownBy(() -> auth.signIn(text, signature)).isInstanceOfSatisfying(SiweException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).startsWith(reason.name().toLowerCase(java.util.Locale.ROOT) + ":");
        });
    }
}
