package dev.parley.web3.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.Member;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.MembershipPolicy;
import dev.parley.core.spi.Verdict;
import dev.parley.web3.internal.Abi;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token-gated groups: a {@link MembershipPolicy} that admits a user to a gated group only when
 * their wallet holds at least the gate's minimum of an ERC-20 or ERC-721 token (checked with
 * {@code balanceOf} on the gate's chain). {@code ChatEngine} asks it when a user is added or
 * joins; a user who does not qualify is refused with {@code forbidden} ("gate_not_met: ..."), a
 * user without a wallet likewise, and a chain that cannot be asked makes the join fail with
 * {@code unavailable}. {@link #recheck(ChatEngine)} (or {@link #startRechecks}) asks again about
 * every member of every gated group and <b>removes</b> those who no longer qualify (the owner
 * excepted; a member the chain cannot be asked about now stays).
 *
 * <p>Gates are stored durably in the chat store ({@link dev.parley.core.spi.ExtensionStore},
 * name {@value #EXTENSION}), as JSON.
 *
 * <pre>{@code
 * TokenGates gates = new TokenGates(store, chains, WalletAddresses.userIdIsAddress());
 * ChatEngine engine = ChatEngine.builder().store(store).membershipPolicy(gates).build();
 * gates.setGate(engine, ownerId, groupId, new TokenGate(1, TokenGate.Standard.ERC20, token, BigInteger.TEN));
 * AutoCloseable rechecks = gates.startRechecks(engine, Duration.ofMinutes(15));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TokenGates implements MembershipPolicy {
    /** The store extension name under which a group's gate is kept. */
    public static final String EXTENSION = "web3.gate";
    private static final Logger log = LoggerFactory.getLogger(TokenGates.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChatStore store;
    private final Chains chains;
    private final WalletAddresses wallets;

    public TokenGates(ChatStore store, Chains chains, WalletAddresses wallets) {
        this.store = Objects.requireNonNull(store, "store");
        this.chains = Objects.requireNonNull(chains, "chains");
        this.wallets = Objects.requireNonNull(wallets, "wallets");
    }

    /**
     * Gates a group (owners and admins). Members already in are not removed now: the next
     * {@link #recheck} does that.
     *
     * @throws ChatException as {@link ChatEngine#group} (not a member, not a group), {@code forbidden}
     *                       for a plain member, {@link ChainError#CHAIN_NOT_CONFIGURED} for a chain
     *                       without an endpoint
     */
    public void setGate(ChatEngine engine, String callerId, String conversationId, TokenGate gate) {
        Objects.requireNonNull(gate, "gate");
        requireManager(engine, callerId, conversationId);
        if (!chains.configured(gate.chainId())) {
            throw new ChainException(ChainError.CHAIN_NOT_CONFIGURED, "no JSON-RPC endpoint for chain " + gate.chainId());
        }
        ObjectNode json = JSON.createObjectNode().put("chainId", gate.chainId()).put("standard", gate.standard().name())
                .put("contract", gate.contract()).put("minimum", gate.minimum().toString());
        store.putConversationExtension(conversationId, EXTENSION, json.toString());
    }

    /** Removes a group's gate (owners and admins). @return whether it had one */
    public boolean removeGate(ChatEngine engine, String callerId, String conversationId) {
        requireManager(engine, callerId, conversationId);
        return store.deleteConversationExtension(conversationId, EXTENSION);
    }

    /** The gate of a group, if any. */
    public Optional<TokenGate> gate(String conversationId) {
        return store.conversationExtension(conversationId, EXTENSION).map(TokenGates::decode);
    }

    @Override
    public Verdict check(String userId, Conversation group) {
        Optional<TokenGate> gate = gate(group.id());
        if (gate.isEmpty()) {
            return Verdict.abstain();
        }
        TokenGate g = gate.get();
        Optional<String> address = wallets.addressOf(userId);
        if (address.isEmpty()) {
            return Verdict.reject("gate_not_met: " + userId + " has no wallet address; this group requires holding "
                    + describe(g));
        }
        BigInteger balance = balance(g, address.get());
        if (balance.compareTo(g.minimum()) < 0) {
            return Verdict.reject("gate_not_met: " + address.get() + " holds " + balance + ", this group requires "
                    + describe(g));
        }
        return Verdict.allow();
    }

    /**
     * The balance a gate counts for {@code address}.
     *
     * @throws ChainException when the chain cannot be asked ({@code unavailable}) or no token
     *                        contract answers ({@link ChainError#NO_CONTRACT})
     */
    public BigInteger balance(TokenGate gate, String address) {
        String result = chains.client(gate.chainId()).call(gate.contract(),
                Abi.call("balanceOf(address)", new Abi.Address(address)));
        try {
            return Abi.uint(result, 0);
        } catch (IllegalArgumentException e) {
            throw new ChainException(ChainError.NO_CONTRACT, "no token contract answered at " + gate.contract()
                    + " on chain " + gate.chainId());
        }
    }

    /**
     * Re-checks every member of every gated group and removes who no longer qualifies.
     *
     * @return group id to the user ids removed from it (groups with no removal left out)
     */
    public Map<String, List<String>> recheck(ChatEngine engine) {
        Map<String, List<String>> removed = new LinkedHashMap<>();
        for (String conversationId : store.conversationExtensions(EXTENSION).keySet()) {
            try {
                List<String> r = engine.enforceMembershipPolicies(conversationId);
                if (!r.isEmpty()) {
                    removed.put(conversationId, r);
                }
            } catch (ChatException e) {
                log.warn("token gate of {} not re-checked: {}", conversationId, e.getMessage());
            }
        }
        return removed;
    }

    /**
     * Runs {@link #recheck} every {@code interval} on a daemon thread ({@code parley-web3-gates})
     * until the returned handle is closed.
     */
    public AutoCloseable startRechecks(ChatEngine engine, Duration interval) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-web3-gates");
            t.setDaemon(true);
            return t;
        });
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                recheck(engine);
            } catch (RuntimeException e) {
                log.warn("token gate re-check failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    private void requireManager(ChatEngine engine, String callerId, String conversationId) {
        engine.group(callerId, conversationId); // exists, is a group, caller is a member
        Member caller = store.findMember(conversationId, callerId)
                .orElseThrow(() -> ChatException.forbidden("not a member of " + conversationId));
        if (!caller.role().canManageMembers()) {
            throw ChatException.forbidden("only owners and admins gate a group");
        }
    }

    private static String describe(TokenGate g) {
        return "≥ " + g.minimum() + " of " + (g.standard() == TokenGate.Standard.ERC20 ? "ERC-20 " : "ERC-721 ")
                + g.contract() + " on chain " + g.chainId();
    }

    private static TokenGate decode(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new TokenGate(n.get("chainId").asLong(), TokenGate.Standard.valueOf(n.get("standard").asText()),
                    n.get("contract").asText(), new BigInteger(n.get("minimum").asText()));
        } catch (IOException | RuntimeException e) {
            throw ChatException.unavailable("stored token gate is unreadable", e);
        }
    }
}
