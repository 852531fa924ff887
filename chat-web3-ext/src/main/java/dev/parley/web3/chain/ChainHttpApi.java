package dev.parley.web3.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.accounts.AccountService;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.User;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.ApiExtension;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP routes of the on-chain features, as an {@link ApiExtension} of the Parley HTTP API
 * (listed in {@code docs/http-api.md}):
 * <ul>
 *   <li>{@code PUT /api/v1/me/avatar} {@code {assetId}}: an NFT avatar, set only once the chain says
 *       the caller owns it ({@link NftAvatars#set});</li>
 *   <li>{@code GET /api/v1/users/{userId}/avatar}: whether a user's NFT avatar is owned
 *       ({@link NftAvatars#status});</li>
 *   <li>{@code PUT|GET|DELETE /api/v1/conversations/{id}/gate}: a group's token gate
 *       ({@link TokenGates}; only when gates are {@linkplain Builder#gates given});</li>
 *   <li>{@code POST /api/v1/conversations/{id}/tips}: a tip backed by a transaction ({@link Tips}).</li>
 * </ul>
 * Refusals are the API's JSON errors; those of the chain carry the {@link ChainError} in the
 * message ({@code "not_owned: …"}).
 *
 * <p>A gate is only enforced by an engine that has the {@link TokenGates} as a membership policy,
 * so the host builds the engine itself and gives the same gates here:
 * <pre>{@code
 * WalletAddresses wallets = WalletAddresses.linked(store);
 * TokenGates gates = new TokenGates(store, chains, wallets);
 * ChatEngine engine = ChatEngine.builder().store(store).membershipPolicy(gates).build();
 * ChatServer server = ChatServer.builder().engine(engine)
 *         .addApiExtension(SiweHttpApi.extension(siwe, chains, EnsLookup.none()))
 *         .addApiExtension(ChainHttpApi.builder(engine, chains).wallets(wallets).gates(gates)
 *                 .gateRechecks(Duration.ofMinutes(15)).avatarRechecks(Duration.ofHours(1))
 *                 .extension())
 *         .start();
 * }</pre>
 *
 * <p>It is {@link AutoCloseable}: {@link #close()} stops the periodic re-checks it started. A
 * {@code ChatServer} closes the extensions it made when it closes.
 *
 * @since 0.1.0
 */
public final class ChainHttpApi implements ApiExtension, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChainHttpApi.class);
    private static final ProtocolCodec CODEC = new ProtocolCodec();

    private final ChatEngine engine;
    private final NftAvatars avatars;
    private final TokenGates gates;
    private final Tips tips;
    private final List<AutoCloseable> rechecks = new ArrayList<>();

    private ChainHttpApi(Builder b) {
        this.engine = b.engine;
        WalletAddresses wallets = b.wallets != null ? b.wallets
                : b.engine.store() instanceof AccountStore accounts ? WalletAddresses.linked(accounts)
                : WalletAddresses.userIdIsAddress();
        this.avatars = new NftAvatars(b.engine, b.chains, wallets, b.avatarTtl, b.clock != null ? b.clock : b.engine.clock());
        this.gates = b.gates;
        this.tips = new Tips(b.engine, b.chains, wallets, b.tipConfirmations);
        if (b.gateRechecks != null) {
            rechecks.add(gates.startRechecks(b.engine, b.gateRechecks));
        }
        if (b.avatarRechecks != null) {
            rechecks.add(avatars.startRechecks(b.avatarRechecks));
        }
    }

    /**
     * @param engine the engine the server runs on (for gates: the one with the {@link TokenGates} policy)
     * @param chains the JSON-RPC endpoints to check claims on
     */
    public static Builder builder(ChatEngine engine, Chains chains) {
        return new Builder(engine, chains);
    }

    /**
     * For {@code ChatServer.Builder.addApiExtension} when the server builds the engine itself:
     * avatars and tips (no gates, since that engine has no {@link TokenGates} policy), over the
     * server's engine, with {@code options} applied to the builder:
     * <pre>{@code
     * ChatServer.builder().addApiExtension(ChainHttpApi.extension(chains,
     *         b -> b.tipConfirmations(3).avatarRechecks(Duration.ofHours(1))))
     * }</pre>
     *
     * @throws IllegalStateException at the server's start when {@code options} set gates
     */
    public static Function<AccountService, ApiExtension> extension(Chains chains, UnaryOperator<Builder> options) {
        Objects.requireNonNull(chains, "chains");
        Objects.requireNonNull(options, "options");
        return accounts -> {
            Builder b = options.apply(builder(accounts.engine(), chains));
            if (b.gates != null) {
                throw new IllegalStateException("gates need an engine built with them as membership policy: use"
                        + " builder(engine, chains).gates(gates).extension() with ChatServer.Builder.engine(engine)");
            }
            return b.build();
        };
    }

    /** The avatars' checker (e.g. for a host's own re-checks or UI). */
    public NftAvatars avatars() {
        return avatars;
    }

    @Override
    public void addRoutes(Routes routes) {
        routes.put("/v1/me/avatar", this::setAvatar)
                .get("/v1/users/{userId}/avatar", this::avatarStatus)
                .post("/v1/conversations/{id}/tips", this::tip);
        if (gates != null) {
            routes.put("/v1/conversations/{id}/gate", this::setGate)
                    .get("/v1/conversations/{id}/gate", this::gate)
                    .delete("/v1/conversations/{id}/gate", this::removeGate);
        }
    }

    /** Stops the periodic re-checks. Idempotent. */
    @Override
    public void close() {
        synchronized (rechecks) {
            for (AutoCloseable c : rechecks) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("stopping a re-check failed", e);
                }
            }
            rechecks.clear();
        }
    }

    // ------------------------------------------------------------------ avatars

    private Reply setAvatar(Request request) {
        String userId = request.principal().userId();
        AvatarCheck check = avatars.set(userId, request.requiredString("assetId"));
        ObjectNode reply = encode(userId, check.asset().toString(), check);
        reply.set("user", CODEC.user(engine.user(userId)));
        return Reply.ok(reply);
    }

    private Reply avatarStatus(Request request) {
        request.principal();
        String userId = request.path("userId");
        User user = engine.user(userId); // not_found for an unknown user
        Optional<AvatarCheck> check = avatars.status(userId);
        return Reply.ok(encode(userId, user.avatar(), check.orElse(null)));
    }

    private static ObjectNode encode(String userId, String avatar, AvatarCheck check) {
        ObjectNode n = object().put("userId", userId).put("avatar", avatar);
        if (check == null) {
            return n.put("status", "NONE");
        }
        n.put("status", check.status().name()).put("owner", check.owner()).put("checkedAt", time(check.checkedAt()));
        if (check.detail() != null) {
            n.put("detail", check.detail());
        }
        return n;
    }

    // ------------------------------------------------------------------ gates

    private Reply setGate(Request request) {
        String caller = request.principal().userId();
        String conversationId = request.path("id");
        String standard = request.requiredString("standard");
        TokenGate.Standard s = switch (standard.toUpperCase(Locale.ROOT).replace("-", "")) {
            case "ERC20" -> TokenGate.Standard.ERC20;
            case "ERC721" -> TokenGate.Standard.ERC721;
            default -> throw new ChainException(ChainError.MALFORMED_INPUT, "standard must be ERC20 or ERC721");
        };
        TokenGate gate = new TokenGate(chainId(request), s, request.requiredString("contract"),
                uint(request, "minimum"));
        gates.setGate(engine, caller, conversationId, gate);
        return Reply.ok(object().set("gate", encode(gate)));
    }

    private Reply gate(Request request) {
        String conversationId = request.path("id");
        engine.conversation(request.principal().userId(), conversationId); // members only
        ObjectNode reply = object();
        reply.set("gate", gates.gate(conversationId).map(ChainHttpApi::encode).orElse(null));
        return Reply.ok(reply);
    }

    private Reply removeGate(Request request) {
        String conversationId = request.path("id");
        if (!gates.removeGate(engine, request.principal().userId(), conversationId)) {
            throw ChatException.notFound(conversationId + " has no gate");
        }
        return Reply.noContent();
    }

    private static ObjectNode encode(TokenGate gate) {
        return object().put("chainId", gate.chainId()).put("standard", gate.standard().name())
                .put("contract", gate.contract()).put("minimum", gate.minimum().toString());
    }

    // ------------------------------------------------------------------ tips

    private Reply tip(Request request) {
        String caller = request.principal().userId();
        Tip tip = tips.post(caller, request.path("id"), request.requiredString("recipientId"), chainId(request),
                request.requiredString("txHash"), request.string("token"), uint(request, "amount"));
        ObjectNode t = object().put("chainId", tip.chainId()).put("txHash", tip.txHash()).put("from", tip.from())
                .put("to", tip.to()).put("token", tip.token()).put("amount", tip.amount().toString())
                .put("blockNumber", tip.blockNumber());
        ObjectNode reply = object();
        reply.set("tip", t);
        reply.set("message", CODEC.tree(tip.message()));
        return Reply.created(reply);
    }

    // ------------------------------------------------------------------ fields

    private static long chainId(Request request) {
        JsonNode n = request.body().get("chainId");
        if (n == null || n.isNull()) {
            throw ChatException.badRequest("chainId is required");
        }
        if (!n.canConvertToExactIntegral() || !n.canConvertToLong() || n.asLong() < 1) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "chainId must be an integer ≥ 1");
        }
        return n.asLong();
    }

    /** A uint256 given as a decimal string (exact for any size) or a JSON integer. */
    private static BigInteger uint(Request request, String field) {
        JsonNode n = request.body().get(field);
        if (n == null || n.isNull()) {
            throw ChatException.badRequest(field + " is required");
        }
        BigInteger v;
        if (n.isTextual() && n.asText().matches("[0-9]{1,78}")) {
            v = new BigInteger(n.asText());
        } else if (n.isIntegralNumber()) {
            v = n.bigIntegerValue();
        } else {
            throw new ChainException(ChainError.MALFORMED_INPUT, field + " must be a decimal integer string");
        }
        if (v.signum() < 1 || v.bitLength() > 256) {
            throw new ChainException(ChainError.MALFORMED_INPUT, field + " must be a uint256 ≥ 1");
        }
        return v;
    }

    private static String time(Instant instant) {
        return ProtocolCodec.TIME.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Configures a {@link ChainHttpApi}. Defaults: wallets from linked identities when the store
     * keeps accounts ({@link WalletAddresses#linked}), else {@link WalletAddresses#userIdIsAddress()};
     * avatar TTL 10 minutes; 1 confirmation for tips; no gate routes; no periodic re-checks.
     */
    public static final class Builder {
        private final ChatEngine engine;
        private final Chains chains;
        private WalletAddresses wallets;
        private TokenGates gates;
        private Duration avatarTtl = Duration.ofMinutes(10);
        private int tipConfirmations = 1;
        private Duration gateRechecks;
        private Duration avatarRechecks;
        private Clock clock;

        private Builder(ChatEngine engine, Chains chains) {
            this.engine = Objects.requireNonNull(engine, "engine");
            this.chains = Objects.requireNonNull(chains, "chains");
        }

        /** Which address a user holds tokens with; give the same one as to the {@link TokenGates}. */
        public Builder wallets(WalletAddresses v) {
            wallets = Objects.requireNonNull(v, "wallets");
            return this;
        }

        /**
         * Serves the gate routes. These gates must be a {@link ChatEngine.Builder#membershipPolicy
         * membership policy} of the engine, or a gate would be stored and never enforced.
         */
        public Builder gates(TokenGates v) {
            gates = Objects.requireNonNull(v, "gates");
            return this;
        }

        /** How long an avatar check is reused (default 10 minutes). */
        public Builder avatarTtl(Duration v) {
            avatarTtl = positive(v, "avatarTtl");
            return this;
        }

        /** Blocks a tip's transaction needs, its own included (default 1). */
        public Builder tipConfirmations(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("tipConfirmations must be ≥ 1");
            }
            tipConfirmations = v;
            return this;
        }

        /** Re-checks every gated group's members this often ({@link TokenGates#startRechecks}); needs {@link #gates}. */
        public Builder gateRechecks(Duration interval) {
            gateRechecks = positive(interval, "gateRechecks");
            return this;
        }

        /** Re-checks the cached NFT avatars this often ({@link NftAvatars#startRechecks}). */
        public Builder avatarRechecks(Duration interval) {
            avatarRechecks = positive(interval, "avatarRechecks");
            return this;
        }

        /** The clock of avatar checks (default: the engine's). */
        public Builder clock(Clock v) {
            clock = Objects.requireNonNull(v, "clock");
            return this;
        }

        /** Builds it and starts the configured re-checks; {@link ChainHttpApi#close()} stops them. */
        public ChainHttpApi build() {
            if (gateRechecks != null && gates == null) {
                throw new IllegalStateException("gateRechecks needs gates");
            }
            return new ChainHttpApi(this);
        }

        /**
         * For {@code ChatServer.Builder.addApiExtension}: built when the server starts, closed
         * (re-checks stopped) when it closes.
         */
        public Function<AccountService, ApiExtension> extension() {
            return accounts -> build();
        }

        private static Duration positive(Duration v, String name) {
            Objects.requireNonNull(v, name);
            if (v.isNegative() || v.isZero()) {
                throw new IllegalArgumentException(name + " must be > 0");
            }
            return v;
        }
    }
}
