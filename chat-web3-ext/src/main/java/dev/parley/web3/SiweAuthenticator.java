package dev.parley.web3;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.Principal;
import dev.parley.web3.chain.Chains;
import dev.parley.web3.internal.TokenStore;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sign-In with Ethereum as an {@link Authenticator}:
 * <ol>
 *   <li>{@link #issueNonce()} gives the client a nonce to put in its EIP-4361 message;</li>
 *   <li>the wallet signs the message ({@code personal_sign});</li>
 *   <li>{@link #signIn(String, String)} verifies it ({@link SiweVerifier}), consumes the nonce,
 *       creates the chat user whose id is the EIP-55 checksummed address if it does not exist
 *       (display name {@code 0xAbCd…1234}) and returns a session token;</li>
 *   <li>{@link #authenticate(String)} accepts that token until it expires or is revoked.</li>
 * </ol>
 * Tokens are random (256 bits), kept only as SHA-256 hashes, in memory: they do not survive a
 * restart and are not shared between servers. This class is for a server without accounts;
 * with an {@code AccountService} use {@link WalletSignIn} (and {@link SiweHttpApi}), whose
 * sessions and nonces live in the account store, on every node.
 * Refusals are {@link SiweException}s naming a {@link SiweError}.
 */
public final class SiweAuthenticator implements Authenticator {
    private final ChatEngine engine;
    private final SiweVerifier verifier;
    private final NonceStore nonces;
    private final TokenStore tokens;

    /** With an {@link InMemoryNonceStore} configured from {@code settings}. */
    public SiweAuthenticator(ChatEngine engine, SiweSettings settings) {
        this(engine, settings, new InMemoryNonceStore(settings));
    }

    public SiweAuthenticator(ChatEngine engine, SiweSettings settings, NonceStore nonces) {
        this(engine, settings, nonces, Chains.none());
    }

    /**
     * Also signs in contract wallets (ERC-1271) on the chains {@code chains} has endpoints for.
     *
     * @since 0.1.0
     */
    public SiweAuthenticator(ChatEngine engine, SiweSettings settings, NonceStore nonces, Chains chains) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.verifier = new SiweVerifier(settings, chains);
        this.nonces = Objects.requireNonNull(nonces, "nonces");
        this.tokens = new TokenStore(settings.sessionTtl(), settings.maxSessions(), settings.clock(),
                settings.random());
    }

    /** A fresh single-use nonce for the client's message. */
    public String issueNonce() {
        return nonces.issue();
    }

    /**
     * Verifies a signed message and signs its address in.
     *
     * @param message   the exact EIP-4361 text the wallet signed
     * @param signature its EIP-191 signature, {@code 0x} + 130 hex digits
     * @throws SiweException when the message, signature, binding, times or nonce are wrong;
     *                       a refused attempt leaves the nonce usable
     */
    public SiweLogin signIn(String message, String signature) {
        SiweMessage m = verifier.verify(message, signature, null);
        if (!nonces.consume(m.nonce())) {
            throw new SiweException(SiweError.NONCE_INVALID, "nonce unknown, expired or already used");
        }
        String userId = m.address();
        String name = userId.substring(0, 6) + "…" + userId.substring(userId.length() - 4);
        try {
            name = engine.user(userId).name();
        } catch (ChatException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            engine.putUser(userId, name);
        }
        Map.Entry<String, TokenStore.Session> created = tokens.create(userId, name);
        TokenStore.Session s = created.getValue();
        return new SiweLogin(created.getKey(), userId, s.id(), s.expiresAt());
    }

    @Override
    public Optional<Principal> authenticate(String token) {
        TokenStore.Session s = tokens.find(token);
        return s == null ? Optional.empty() : Optional.of(new Principal(s.userId(), s.name(), s.id()));
    }

    /** Ends the session of {@code token}. @return whether it was live */
    public boolean signOut(String token) {
        return tokens.revoke(token);
    }
}
