package dev.parley.web3.chain;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON-RPC endpoints the server trusts, one per chain id. Every on-chain check
 * (EIP-1271 signatures, NFT avatars, token gates, tips) asks the endpoint of the chain it is
 * about; a chain without an endpoint cannot be checked ({@link ChainError#CHAIN_NOT_CONFIGURED}).
 * Before its first use an endpoint is asked for its {@code eth_chainId}; an endpoint serving
 * another chain is refused ({@link ChainError#WRONG_CHAIN}) so that a misconfiguration cannot
 * make mainnet claims be checked against a test chain.
 *
 * <pre>{@code
 * Chains chains = Chains.builder()
 *         .endpoint(1, URI.create("https://rpc.example.com/mainnet"))
 *         .timeout(Duration.ofSeconds(5))
 *         .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Chains {
    private final Map<Long, JsonRpcClient> clients;
    private final Set<Long> checked = ConcurrentHashMap.newKeySet();

    private Chains(Map<Long, JsonRpcClient> clients) {
        this.clients = Map.copyOf(clients);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** No endpoints: every on-chain check fails with {@link ChainError#CHAIN_NOT_CONFIGURED}. */
    public static Chains none() {
        return new Chains(Map.of());
    }

    /** The chain ids with an endpoint. */
    public Set<Long> chainIds() {
        return clients.keySet();
    }

    /** Whether {@code chainId} has an endpoint. */
    public boolean configured(long chainId) {
        return clients.containsKey(chainId);
    }

    /**
     * The client of {@code chainId}'s endpoint, after checking once that it serves that chain.
     *
     * @throws ChainException {@link ChainError#CHAIN_NOT_CONFIGURED}, {@link ChainError#WRONG_CHAIN}
     *                        or the client's errors
     */
    public JsonRpcClient client(long chainId) {
        JsonRpcClient client = clients.get(chainId);
        if (client == null) {
            throw new ChainException(ChainError.CHAIN_NOT_CONFIGURED, "no JSON-RPC endpoint for chain " + chainId);
        }
        if (!checked.contains(chainId)) {
            long served = client.chainId();
            if (served != chainId) {
                throw new ChainException(ChainError.WRONG_CHAIN, client.endpoint() + " serves chain " + served
                        + ", configured for " + chainId);
            }
            checked.add(chainId);
        }
        return client;
    }

    /** Builder for {@link Chains}; an endpoint set twice for one chain fails. */
    public static final class Builder {
        private final Map<Long, URI> endpoints = new TreeMap<>();
        private Duration timeout;

        private Builder() {
        }

        /** The endpoint of {@code chainId} ({@code http} or {@code https}). */
        public Builder endpoint(long chainId, URI endpoint) {
            if (chainId < 1) {
                throw new IllegalArgumentException("chainId must be ≥ 1");
            }
            Objects.requireNonNull(endpoint, "endpoint");
            if (endpoints.putIfAbsent(chainId, endpoint) != null) {
                throw new IllegalStateException("endpoint for chain " + chainId + " set twice");
            }
            return this;
        }

        /** Deadline of each request, connect to last byte (default 10 seconds). */
        public Builder timeout(Duration v) {
            if (timeout != null) {
                throw new IllegalStateException("timeout set twice");
            }
            timeout = Objects.requireNonNull(v, "timeout");
            return this;
        }

        public Chains build() {
            Duration t = timeout == null ? Duration.ofSeconds(10) : timeout;
            Map<Long, JsonRpcClient> clients = new TreeMap<>();
            endpoints.forEach((id, uri) -> clients.put(id, JsonRpcClient.create(uri, t)));
            return new Chains(clients);
        }
    }
}
