package dev.parley.web3;

import dev.parley.accounts.AccountService;
import dev.parley.accounts.LoginResult;
import dev.parley.core.ChatException;
import dev.parley.core.spi.LinkedIdentity;
import dev.parley.web3.chain.Chains;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Keys;

/**
 * Sign-In with Ethereum for servers with accounts: a verified wallet gets the same kind of
 * session a password login gives (stored hashed by the {@link AccountService}, listed and
 * revoked like the others, valid on every node and after a restart), so the account service
 * stays the one {@code Authenticator}. Nonces live in the account store too: single use,
 * expiring, shared by every node.
 *
 * <pre>{@code
 * WalletSignIn wallets = new WalletSignIn(accounts, SiweSettings.builder()
 *         .domain("chat.example.com").uri("https://chat.example.com").build());
 * String nonce = wallets.issueNonce();                       // 1. to the browser
 * LoginResult r = wallets.signIn(message, signature, ua, ip); // 2. the signed EIP-4361 text
 * }</pre>
 *
 * <p>A wallet is the identity {@code ("eip155", checksummed address)}: the first sign-in of an
 * unlinked address creates the user whose id is the address (display name {@code 0xAbCd…1234})
 * with a password-less account; an address {@linkplain #link linked} to a password account
 * signs that account in. {@link SiweHttpApi} serves all of this over HTTP.
 *
 * <p>Refusals: {@link SiweException} (its {@link SiweError}) for the message, signature and
 * nonce; the account service's codes for the rest ({@code conflict} for an address linked to
 * another account, {@code forbidden} for a disabled account).
 *
 * @since 0.1.0
 */
public final class WalletSignIn {
    /** The identity kind of a wallet address (CAIP-2's namespace for EVM chains). */
    public static final String KIND = "eip155";
    static final String LOGIN_SCOPE = "siwe-login";
    private static final Logger log = LoggerFactory.getLogger(WalletSignIn.class);

    private final AccountService accounts;
    private final SiweSettings settings;
    private final SiweVerifier verifier;
    private final EnsLookup ens;

    /** Without ENS names. */
    public WalletSignIn(AccountService accounts, SiweSettings settings) {
        this(accounts, settings, EnsLookup.none());
    }

    /** With ENS names from {@code ens}; contract wallets cannot sign in (no chain to ask). */
    public WalletSignIn(AccountService accounts, SiweSettings settings, EnsLookup ens) {
        this(accounts, settings, ens, Chains.none());
    }

    /**
     * With ENS names and contract wallets: a signature that does not recover to the message's
     * address is checked with ERC-1271 {@code isValidSignature} on the endpoint of the message's
     * chain (see {@link SiweVerifier#SiweVerifier(SiweSettings, Chains)}); an endpoint that fails
     * is {@link SiweError#CHAIN_UNAVAILABLE} and leaves the nonce usable.
     *
     * @param chains the JSON-RPC endpoints; {@link Chains#none()} for EOA wallets only
     * @since 0.1.0
     */
    public WalletSignIn(AccountService accounts, SiweSettings settings, EnsLookup ens, Chains chains) {
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.verifier = new SiweVerifier(settings, Objects.requireNonNull(chains, "chains"));
        this.ens = Objects.requireNonNull(ens, "ens");
    }

    public SiweSettings settings() {
        return settings;
    }

    /**
     * A fresh nonce for a sign-in message.
     *
     * @throws ChatException {@code rate_limited} when {@link SiweSettings#maxNonces()} are outstanding
     */
    public String issueNonce() {
        return accounts.issueNonce(LOGIN_SCOPE, settings.nonceTtl(), settings.maxNonces());
    }

    /**
     * A fresh nonce with which {@code userId} may {@link #link} a wallet; no one else can use it.
     */
    public String issueLinkNonce(String userId) {
        return accounts.issueNonce(linkScope(userId), settings.nonceTtl(), settings.maxNonces());
    }

    /**
     * Verifies a signed sign-in message, uses up its nonce and signs the wallet's user in.
     *
     * @param message   the exact EIP-4361 text the wallet signed
     * @param signature its EIP-191 signature, {@code 0x} + 130 hex digits
     * @param client    user agent, stored with the session, may be {@code null}
     * @param address   client network address, stored with the session, may be {@code null}
     * @return a session, or a TOTP challenge for an account with two-factor on
     * @throws SiweException when the message, signature, binding, times or nonce are wrong; a
     *                       refused attempt leaves the nonce usable
     */
    public LoginResult signIn(String message, String signature, String client, String address) {
        SiweMessage m = verify(message, signature, LOGIN_SCOPE);
        String wallet = m.address();
        return accounts.signInWithIdentity(KIND, wallet, wallet, shortName(wallet), client, address);
    }

    /**
     * Links the wallet that signed {@code message} (over a nonce of {@link #issueLinkNonce}) to
     * {@code userId}'s account: proof of both, the caller's session and the wallet's key.
     *
     * @throws SiweException for a wrong message, signature or nonce
     * @throws ChatException {@code conflict} when the wallet is linked to another account
     */
    public Wallet link(String userId, String message, String signature) {
        Objects.requireNonNull(userId, "userId");
        SiweMessage m = verify(message, signature, linkScope(userId));
        return wallet(accounts.linkIdentity(userId, KIND, m.address()));
    }

    /**
     * Unlinks a wallet from {@code userId}'s account.
     *
     * @param address the address, in any letter case
     * @throws ChatException {@code bad_request} for a malformed address, {@code not_found} when it
     *                       is not linked to this account, {@code conflict} when it is the last
     *                       way into a password-less account
     */
    public void unlink(String userId, String address) {
        accounts.unlinkIdentity(userId, KIND, checksummed(address));
    }

    /** The user's wallets, oldest link first. */
    public List<Wallet> wallets(String userId) {
        return accounts.identities(userId).stream().filter(i -> KIND.equals(i.kind())).map(this::wallet).toList();
    }

    /**
     * The EIP-55 form of an address given in any letter case.
     *
     * @throws ChatException {@code bad_request} unless it is {@code 0x} and 40 hex digits
     */
    public static String checksummed(String address) {
        if (address == null || !address.matches("0[xX][0-9a-fA-F]{40}")) {
            throw ChatException.badRequest("address must be 0x and 40 hex digits");
        }
        return Keys.toChecksumAddress("0x" + address.substring(2).toLowerCase(Locale.ROOT));
    }

    private SiweMessage verify(String message, String signature, String scope) {
        SiweMessage m = verifier.verify(message, signature, null);
        // Consumed only after every other check passed, so a forged attempt does not burn a user's nonce.
        if (!accounts.consumeNonce(scope, m.nonce())) {
            throw new SiweException(SiweError.NONCE_INVALID, "nonce unknown, expired, already used or issued for"
                    + " something else");
        }
        return m;
    }

    private Wallet wallet(LinkedIdentity identity) {
        return new Wallet(identity.subject(), ensName(identity.subject()), identity.linkedAt());
    }

    private String ensName(String address) {
        try {
            Optional<String> name = ens.nameOf(address);
            return name == null ? null : name.orElse(null);
        } catch (RuntimeException e) {
            log.warn("ENS lookup {} failed for {}", ens.getClass().getName(), address, e);
            return null;
        }
    }

    private static String linkScope(String userId) {
        return "siwe-link:" + userId;
    }

    static String shortName(String address) {
        return address.substring(0, 6) + "…" + address.substring(address.length() - 4);
    }
}
