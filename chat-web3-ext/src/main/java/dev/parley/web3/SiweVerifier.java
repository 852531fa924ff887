package dev.parley.web3;

import dev.parley.web3.chain.ChainException;
import dev.parley.web3.chain.Chains;
import dev.parley.web3.internal.Eip1271;
import dev.parley.web3.internal.Eip191;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * Checks a signed EIP-4361 message against {@link SiweSettings}: grammar, domain, scheme,
 * URI, chain id, the times (against the settings' clock, with its skew) and the EIP-191
 * {@code personal_sign} signature of an externally owned account. With {@link Chains}, a
 * signature that is not the address's key's is offered to the address as a contract wallet
 * (ERC-1271): {@code isValidSignature(hash, signature)} through {@code eth_call} on the endpoint
 * of the message's chain id must return {@code 0x1626ba7e}, {@code hash} being the EIP-191 hash
 * of the message. A chain that does not answer is {@link SiweError#CHAIN_UNAVAILABLE}; without
 * an endpoint for the chain, contract-wallet signatures fail as {@link SiweError#SIGNATURE_MISMATCH}.
 * Nonces are the caller's business ({@link SiweAuthenticator} consumes them); pass
 * {@code expectedNonce} to compare with one.
 */
public final class SiweVerifier {
    /** Contract-wallet signatures may be longer than 65 bytes (multisig, wrapped); not unbounded. */
    private static final int MAX_SIGNATURE_BYTES = 4096;
    private static final Pattern HEX_BYTES = Pattern.compile("0x([0-9a-fA-F]{2}){1," + MAX_SIGNATURE_BYTES + "}");

    private final SiweSettings settings;
    private final Chains chains;

    /** Externally owned accounts only. */
    public SiweVerifier(SiweSettings settings) {
        this(settings, Chains.none());
    }

    /**
     * Externally owned accounts, and contract wallets (ERC-1271) on the chains that have an endpoint.
     *
     * @since 0.1.0
     */
    public SiweVerifier(SiweSettings settings, Chains chains) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.chains = Objects.requireNonNull(chains, "chains");
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
        boolean contractWallets = chains.configured(m.chainId());
        String signer = null;
        try {
            signer = Eip191.recover(message, signature);
        } catch (Eip191.MalformedSignature e) {
            // not an ECDSA signature: only a contract wallet could accept it
            if (!contractWallets || signature == null || !HEX_BYTES.matcher(signature).matches()) {
                throw new SiweException(SiweError.MALFORMED_SIGNATURE, e.getMessage());
            }
        }
        if (signer != null && signer.toLowerCase(Locale.ROOT).equals(m.address().toLowerCase(Locale.ROOT))) {
            return m;
        }
        if (!contractWallets) {
            throw new SiweException(SiweError.SIGNATURE_MISMATCH, "signature is not by " + m.address());
        }
        byte[] hash = Sign.getEthereumMessageHash(message.getBytes(StandardCharsets.UTF_8));
        boolean accepted;
        try {
            accepted = Eip1271.isValidSignature(chains.client(m.chainId()), m.address(), hash,
                    Numeric.hexStringToByteArray(signature));
        } catch (ChainException e) {
            throw new SiweException(SiweError.CHAIN_UNAVAILABLE, "could not ask chain " + m.chainId()
                    + " whether " + m.address() + " accepts the signature (" + e.getMessage() + ")");
        }
        if (!accepted) {
            throw new SiweException(SiweError.SIGNATURE_MISMATCH, "signature is not by " + m.address()
                    + ", nor accepted by a contract wallet there (ERC-1271)");
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
