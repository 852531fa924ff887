package dev.parley.web3.chain;

import dev.parley.core.ChatEngine;
import dev.parley.core.User;
import dev.parley.web3.internal.Abi;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * NFT avatars (ENSIP-12): a user names an NFT they own as avatar ({@link AssetId}); ownership
 * is checked on the token's chain (ERC-721 {@code ownerOf(tokenId)} equal to the user's
 * address, ERC-1155 {@code balanceOf(address, tokenId)} ≥ 1), cached for a TTL, and checked
 * again when the cache entry expires, so an avatar the user sold is reported
 * {@link AvatarStatus#NOT_OWNED}.
 *
 * <pre>{@code
 * NftAvatars avatars = new NftAvatars(engine, chains, WalletAddresses.userIdIsAddress(),
 *         Duration.ofMinutes(10), Clock.systemUTC());
 * avatars.set(userId, "eip155:1/erc721:0xbc4c…f13d/42");   // refused unless owned
 * avatars.status(userId);                                  // VERIFIED, NOT_OWNED or UNVERIFIABLE
 * }</pre>
 *
 * <p>A revert of {@code ownerOf} (a token that does not exist) counts as not owned; an address
 * without code or a contract of another kind ({@link ChainError#NO_CONTRACT}), no endpoint or
 * an endpoint that fails count as unverifiable (and make {@link #set} fail with that reason). Unverifiable results are cached for at most {@link #UNVERIFIABLE_TTL} so that a
 * chain that comes back is asked again soon. Thread-safe.
 *
 * @since 0.1.0
 */
public final class NftAvatars {
    /** Longest time an {@link AvatarStatus#UNVERIFIABLE} outcome is reused. */
    public static final Duration UNVERIFIABLE_TTL = Duration.ofSeconds(30);
    private static final int MAX_CACHED = 100_000;

    private final ChatEngine engine;
    private final Chains chains;
    private final WalletAddresses wallets;
    private final Duration ttl;
    private final Clock clock;
    private final ConcurrentHashMap<String, AvatarCheck> cache = new ConcurrentHashMap<>();

    /**
     * @param ttl how long a verified or not-owned outcome is reused before the chain is asked again
     */
    public NftAvatars(ChatEngine engine, Chains chains, WalletAddresses wallets, Duration ttl, Clock clock) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.chains = Objects.requireNonNull(chains, "chains");
        this.wallets = Objects.requireNonNull(wallets, "wallets");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be > 0");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Sets {@code userId}'s avatar to the NFT {@code assetId} after checking, freshly, that the
     * user's wallet owns it.
     *
     * @return the check that allowed it
     * @throws ChainException {@link ChainError#MALFORMED_INPUT} for a bad asset id,
     *                        {@link ChainError#NO_WALLET}, {@link ChainError#NOT_OWNED} ({@code forbidden}),
     *                        {@link ChainError#CHAIN_NOT_CONFIGURED}, or the endpoint's failure
     *                        ({@code unavailable}) when ownership cannot be checked
     */
    public AvatarCheck set(String userId, String assetId) {
        AssetId asset = AssetId.parse(assetId);
        String address = wallets.require(userId);
        AvatarCheck check = ask(address, asset, true);
        if (check.status() == AvatarStatus.NOT_OWNED) {
            throw new ChainException(ChainError.NOT_OWNED, address + " does not own " + asset + " (" + check.detail() + ")");
        }
        engine.updateProfile(userId, null, asset.toString(), null);
        return check;
    }

    /**
     * The status of {@code userId}'s current avatar, from the cache or, once expired, the chain.
     *
     * @return empty when the avatar is not an NFT (or there is none); an avatar that is an
     *         {@code eip155:} text but not a valid asset id is {@link AvatarStatus#UNVERIFIABLE}
     */
    public Optional<AvatarCheck> status(String userId) {
        User user = engine.user(userId);
        String avatar = user.avatar();
        if (avatar == null || !avatar.startsWith("eip155:")) {
            return Optional.empty();
        }
        AssetId asset;
        try {
            asset = AssetId.parse(avatar);
        } catch (ChainException e) {
            return Optional.of(new AvatarCheck(null, null, AvatarStatus.UNVERIFIABLE, clock.instant(), e.getMessage()));
        }
        Optional<String> address = wallets.addressOf(userId);
        if (address.isEmpty()) {
            return Optional.of(new AvatarCheck(asset, null, AvatarStatus.UNVERIFIABLE, clock.instant(),
                    "user has no wallet address"));
        }
        return Optional.of(check(address.get(), asset));
    }

    /**
     * Asks the chain again about every avatar in the cache (each one set or asked about since it
     * was last dropped), so that an NFT sold since is reported {@link AvatarStatus#NOT_OWNED}
     * without waiting for a reader to find the entry expired. A chain that fails makes the entry
     * {@link AvatarStatus#UNVERIFIABLE}; nothing is thrown.
     *
     * @return how many avatars were checked
     * @since 0.1.0
     */
    public int recheck() {
        int checked = 0;
        for (var entry : cache.entrySet()) {
            AvatarCheck c = entry.getValue();
            if (c.owner() == null || c.asset() == null) {
                continue;
            }
            cache.put(entry.getKey(), lookup(c.owner(), c.asset(), clock.instant(), false));
            checked++;
        }
        return checked;
    }

    /**
     * Runs {@link #recheck()} every {@code interval} on a daemon thread ({@code parley-web3-avatars})
     * until the returned handle is closed.
     *
     * @since 0.1.0
     */
    public AutoCloseable startRechecks(Duration interval) {
        long ms = interval.toMillis();
        if (ms < 1) {
            throw new IllegalArgumentException("interval must be ≥ 1 ms");
        }
        java.util.concurrent.ScheduledExecutorService timer =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "parley-web3-avatars");
                    t.setDaemon(true);
                    return t;
                });
        timer.scheduleWithFixedDelay(() -> {
            try {
                recheck();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(NftAvatars.class).warn("NFT avatar re-check failed", e);
            }
        }, ms, ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** Whether {@code owner} owns {@code asset}, from the cache while fresh. */
    public AvatarCheck check(String owner, AssetId asset) {
        return ask(Addresses.checksummed(owner, "owner"), asset, false);
    }

    private AvatarCheck ask(String owner, AssetId asset, boolean fresh) {
        String key = owner.toLowerCase(java.util.Locale.ROOT) + ' ' + asset;
        Instant now = clock.instant();
        AvatarCheck cached = fresh ? null : cache.get(key);
        if (cached != null && now.isBefore(expiry(cached))) {
            return cached;
        }
        AvatarCheck result = lookup(owner, asset, now, fresh);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(key, result);
        return result;
    }

    private Instant expiry(AvatarCheck c) {
        Duration d = c.status() == AvatarStatus.UNVERIFIABLE && ttl.compareTo(UNVERIFIABLE_TTL) > 0 ? UNVERIFIABLE_TTL
                : ttl;
        return c.checkedAt().plus(d);
    }

    private AvatarCheck lookup(String owner, AssetId asset, Instant now, boolean rethrow) {
        try {
            JsonRpcClient rpc = chains.client(asset.chainId());
            if (asset.standard() == AssetId.Standard.ERC721) {
                String result;
                try {
                    result = rpc.call(asset.contract(), Abi.call("ownerOf(uint256)", new Abi.Uint(asset.tokenId())));
                } catch (ChainException e) {
                    if (e.reason() != ChainError.CALL_REVERTED) {
                        throw e;
                    }
                    return new AvatarCheck(asset, owner, AvatarStatus.NOT_OWNED, now, "ownerOf reverted: no such token");
                }
                String holder = word(result, asset, () -> Abi.address(result, 0));
                return Addresses.same(holder, owner) ? new AvatarCheck(asset, owner, AvatarStatus.VERIFIED, now, null)
                        : new AvatarCheck(asset, owner, AvatarStatus.NOT_OWNED, now, "owned by " + holder);
            }
            String result;
            try {
                result = rpc.call(asset.contract(), Abi.call("balanceOf(address,uint256)", new Abi.Address(owner),
                        new Abi.Uint(asset.tokenId())));
            } catch (ChainException e) {
                if (e.reason() != ChainError.CALL_REVERTED) {
                    throw e;
                }
                throw new ChainException(ChainError.NO_CONTRACT, "balanceOf reverted: " + asset.contract()
                        + " is not an ERC-1155 contract");
            }
            BigInteger balance = word(result, asset, () -> Abi.uint(result, 0));
            return balance.signum() > 0 ? new AvatarCheck(asset, owner, AvatarStatus.VERIFIED, now, null)
                    : new AvatarCheck(asset, owner, AvatarStatus.NOT_OWNED, now, "balance 0");
        } catch (ChainException e) {
            if (rethrow) {
                throw e;
            }
            return new AvatarCheck(asset, owner, AvatarStatus.UNVERIFIABLE, now, e.getMessage());
        }
    }

    private static <T> T word(String result, AssetId asset, java.util.function.Supplier<T> decode) {
        try {
            return decode.get();
        } catch (IllegalArgumentException e) {
            throw new ChainException(ChainError.NO_CONTRACT, "no " + asset.standard().namespace()
                    + " contract answered at " + asset.contract() + " on chain " + asset.chainId()
                    + " (" + e.getMessage() + ")");
        }
    }
}
