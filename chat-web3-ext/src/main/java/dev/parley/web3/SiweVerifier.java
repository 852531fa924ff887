package dev.parley.web3;

import dev.parley.web3.internal.Eip191;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks a signed EIP-4361 message against {@link SiweSettings}: grammar, domain, scheme,
 * URI, chain id, the times (against the settings' clock, with its skew) and the EIP-191
 * {@code personal_sign} signature of an externally owned account. Contract wallets
 * (ERC-1271) are not verified yet: their signatures fail as {@link SiweError#SIGNATURE_MISMATCH}.
 * Nonces are the caller's business ({@link SiweAuthenticator} consumes them); pass
 * {@code expectedNonce} to compare with one.
 */
public final class SiweVerifier {
    private final SiweSettings settings;

    public SiweVerifier(SiweSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * @param message       the exact text the wallet signed
     * @param signature     {@code 0x} + 130 hex digits ({@code r || s || v})
     * @param expectedNonce the nonce the message must carry, or {@code null} not to check here
     * @return the verified message
     * @throws SiweException naming the first rule broken
     */
    public SiweMessage verify(String message, String signature, String expectedNonce) {
        SiweMessage m = SiweMessage.parse(message);
        if (!m.domain().equals(settings.domain())) {
            throw new SiweException(SiweError.DOMAIN_MISMATCH, "message is for " + m.domain());
        }
        if (m.scheme() != null && !m.scheme().equals(settings.scheme())) {
            throw new SiweException(SiweError.DOMAIN_MISMATCH, "message is for scheme " + m.scheme());
        }
        if (!m.uri().equals(settings.uri())) {
            throw new SiweException(SiweError.URI_MISMATCH, "message is for " + m.uri());
        }
        if (!settings.chainIds().contains(m.chainId())) {
            throw new SiweException(SiweError.CHAIN_NOT_ALLOWED, "chain " + m.chainId() + " is not accepted");
        }
        if (expectedNonce != null && !expectedNonce.equals(m.nonce())) {
            throw new SiweException(SiweError.NONCE_INVALID, "nonce does not match");
        }
        checkTimes(m);
        String signer;
        try {
            signer = Eip191.recover(message, signature);
        } catch (Eip191.MalformedSignature e) {
            throw new SiweException(SiweError.MALFORMED_SIGNATURE, e.getMessage());
        }
        if (signer == null || !signer.toLowerCase(Locale.ROOT).equals(m.address().toLowerCase(Locale.ROOT))) {
            throw new SiweException(SiweError.SIGNATURE_MISMATCH, "signature is not by " + m.address());
        }
        return m;
    }

    private void checkTimes(SiweMessage m) {
        Instant now = settings.clock().instant();
        Instant late = now.plus(settings.clockSkew());
        Instant early = now.minus(settings.clockSkew());
        Instant issued = m.issuedAtInstant();
        if (issued.isAfter(late)) {
            throw new SiweException(SiweError.ISSUED_IN_FUTURE, "issued at " + m.issuedAt());
        }
        if (issued.isBefore(early.minus(settings.maxMessageAge()))) {
            throw new SiweException(SiweError.TOO_OLD, "issued at " + m.issuedAt());
        }
        Instant exp = m.expirationTimeInstant();
        if (exp != null && !exp.isAfter(early)) {
            throw new SiweException(SiweError.EXPIRED, "expired at " + m.expirationTime());
        }
        Instant nbf = m.notBeforeInstant();
        if (nbf != null && nbf.isAfter(late)) {
            throw new SiweException(SiweError.NOT_YET_VALID, "not valid before " + m.notBefore());
        }
    }
}
