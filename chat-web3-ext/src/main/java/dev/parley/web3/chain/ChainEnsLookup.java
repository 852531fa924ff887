package dev.parley.web3.chain;

import dev.parley.web3.EnsLookup;
import dev.parley.web3.internal.Abi;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.web3j.crypto.Hash;

/**
 * ENS names of wallets, looked up on the chain: reverse resolution (the registry's resolver of
 * {@code <address>.addr.reverse}, then its {@code name(node)}) and the forward check that the
 * name resolves back to the address (the registry's resolver of {@code namehash(name)}, then
 * {@code addr(node)}); a name that does not resolve back is no name. Results, "no name"
 * included, are cached for a TTL; a lookup the chain cannot answer is thrown (and not cached), so
 * {@code WalletSignIn} logs it and shows no name.
 *
 * <pre>{@code
 * EnsLookup ens = new ChainEnsLookup(chains);   // mainnet (chain 1), the ENS registry, 1 h TTL
 * ChatServer.builder().addApiExtension(SiweHttpApi.extension(siwe, chains, ens))
 * }</pre>
 *
 * <p>Names are used as the chain returns them, without ENSIP-15 normalisation; a name that is
 * not already in normalised-looking form (upper-case ASCII letters, white space or control
 * characters, empty labels, over 255 characters) is treated as no name, so nothing a wallet owner
 * writes there is displayed unchecked.
 *
 * @since 0.1.0
 */
public final class ChainEnsLookup implements EnsLookup {
    /** The ENS registry on Ethereum mainnet (the same address on the main test networks). */
    public static final String MAINNET_REGISTRY = "0x00000000000C2E074eC69A0dFb2997BA6C7d2e1e";
    private static final int MAX_CACHED = 100_000;

    private record Entry(Optional<String> name, Instant expires) {
    }

    private final Chains chains;
    private final long chainId;
    private final String registry;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

    /** Mainnet (chain 1), {@link #MAINNET_REGISTRY}, a TTL of one hour. */
    public ChainEnsLookup(Chains chains) {
        this(chains, 1, MAINNET_REGISTRY, Duration.ofHours(1), Clock.systemUTC());
    }

    /**
     * @param chainId  the chain the registry is on
     * @param registry the ENS registry's address (lower case or EIP-55)
     * @param ttl      how long an answer (a name or none) is reused
     */
    public ChainEnsLookup(Chains chains, long chainId, String registry, Duration ttl, Clock clock) {
        this.chains = Objects.requireNonNull(chains, "chains");
        this.chainId = chainId;
        this.registry = Addresses.checksummed(registry, "registry");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be > 0");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws ChainException {@link ChainError#MALFORMED_INPUT} for a malformed address; the
     *                        chain's failures ({@code unavailable}) when it cannot be asked
     */
    @Override
    public Optional<String> nameOf(String address) {
        String owner = Addresses.checksummed(address, "address");
        String key = owner.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Entry cached = cache.get(key);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.name();
        }
        Optional<String> name = lookup(key);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, new Entry(name, now.plus(ttl)));
        return name;
    }

    private Optional<String> lookup(String lowerAddress) {
        JsonRpcClient rpc = chains.client(chainId);
        byte[] reverse = namehash(lowerAddress.substring(2) + ".addr.reverse");
        String resolver = resolver(rpc, reverse);
        if (resolver == null) {
            return Optional.empty();
        }
        String name;
        try {
            name = Abi.string(callOrEmpty(rpc, resolver, Abi.call("name(bytes32)", new Abi.Bytes32(reverse))));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not a resolver with names
        }
        if (!plausible(name)) {
            return Optional.empty();
        }
        byte[] forward = namehash(name);
        String forwardResolver = resolver(rpc, forward);
        if (forwardResolver == null) {
            return Optional.empty();
        }
        String resolved;
        try {
            resolved = Abi.address(callOrEmpty(rpc, forwardResolver, Abi.call("addr(bytes32)", new Abi.Bytes32(forward))), 0);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return resolved.equalsIgnoreCase(lowerAddress) ? Optional.of(name) : Optional.empty();
    }

    /** The registry's resolver of {@code node}, or {@code null} for none. */
    private String resolver(JsonRpcClient rpc, byte[] node) {
        String result = callOrEmpty(rpc, registry, Abi.call("resolver(bytes32)", new Abi.Bytes32(node)));
        try {
            String a = Abi.address(result, 0);
            return new BigInteger(a.substring(2), 16).signum() == 0 ? null : a;
        } catch (IllegalArgumentException e) {
            throw new ChainException(ChainError.NO_CONTRACT, "no ENS registry answered at " + registry + " on chain "
                    + chainId);
        }
    }

    /** A revert counts as "nothing here" ({@code 0x}). */
    private static String callOrEmpty(JsonRpcClient rpc, String to, String data) {
        try {
            return rpc.call(to, data);
        } catch (ChainException e) {
            if (e.reason() == ChainError.CALL_REVERTED) {
                return "0x";
            }
            throw e;
        }
    }

    private static boolean plausible(String name) {
        if (name.isEmpty() || name.length() > 255 || name.startsWith(".") || name.endsWith(".") || name.contains("..")) {
            return false;
        }
        return name.codePoints().noneMatch(c -> (c >= 'A' && c <= 'Z') || Character.isWhitespace(c)
                || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }

    /**
     * EIP-137 namehash: {@code keccak256(namehash(parent) ‖ keccak256(label))}, from the last
     * label; the empty name is 32 zero bytes.
     */
    public static byte[] namehash(String name) {
        byte[] node = new byte[32];
        if (name.isEmpty()) {
            return node;
        }
        String[] labels = name.split("\\.", -1);
        for (int i = labels.length - 1; i >= 0; i--) {
            byte[] label = Hash.sha3(labels[i].getBytes(StandardCharsets.UTF_8));
            byte[] both = new byte[64];
            System.arraycopy(node, 0, both, 0, 32);
            System.arraycopy(label, 0, both, 32, 32);
            node = Hash.sha3(both);
        }
        return node;
    }
}
