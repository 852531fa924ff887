package dev.parley.web3.chain;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.MessageBody;
import dev.parley.web3.internal.Abi;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.web3j.crypto.Hash;

/**
 * Tips backed by a transaction: a user says they sent {@code amount} to another member, names the
 * transaction, and the message appears in the conversation only after the chain confirms it.
 *
 * <p>Checked, in this order: the tipper and the recipient are members of the conversation and
 * have wallet addresses; the transaction exists ({@link ChainError#TX_UNKNOWN},
 * {@code not_found}); it is mined with at least the configured confirmations
 * ({@link ChainError#TX_NOT_CONFIRMED}, {@code unavailable}, retryable); it succeeded
 * ({@link ChainError#TX_FAILED}); it transfers exactly {@code amount} from the tipper's address to
 * the recipient's — for ether the transaction's {@code from}, {@code to} and {@code value}, for
 * an ERC-20 token a {@code Transfer(from, to, value)} log emitted by that token contract
 * ({@link ChainError#TX_MISMATCH}, {@code bad_request}); and the hash was not used for a tip before
 * ({@link ChainError#TX_ALREADY_USED}, {@code conflict}; claims are durable in the chat store,
 * namespace {@code web3.tip:<chainId>}). Confirmations = latest block − the transaction's block + 1.
 *
 * <pre>{@code
 * Tips tips = new Tips(engine, chains, WalletAddresses.userIdIsAddress(), 3);
 * Tip tip = tips.post(aliceId, groupId, bobId, 1, txHash, null, new BigInteger("1000000000000000"));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Tips {
    private static final Pattern TX_HASH = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final String TRANSFER_TOPIC = Hash.sha3String("Transfer(address,address,uint256)");

    private final ChatEngine engine;
    private final Chains chains;
    private final WalletAddresses wallets;
    private final int confirmations;

    /** @param confirmations blocks a transaction needs, its own included (≥ 1) */
    public Tips(ChatEngine engine, Chains chains, WalletAddresses wallets, int confirmations) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.chains = Objects.requireNonNull(chains, "chains");
        this.wallets = Objects.requireNonNull(wallets, "wallets");
        if (confirmations < 1) {
            throw new IllegalArgumentException("confirmations must be ≥ 1");
        }
        this.confirmations = confirmations;
    }

    /**
     * Verifies the transaction and posts the tip message from the tipper.
     *
     * @param token  the ERC-20 contract, or {@code null} for ether
     * @param amount in the smallest unit, ≥ 1
     * @throws ChatException as listed in the class comment; {@code forbidden}/{@code not_found} from
     *                       the engine when the tipper or recipient is not a member
     */
    public Tip post(String tipperId, String conversationId, String recipientId, long chainId, String txHash,
                    String token, BigInteger amount) {
        if (txHash == null || !TX_HASH.matcher(txHash).matches()) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "txHash must be 0x and 64 hex digits");
        }
        if (amount == null || amount.signum() < 1 || amount.bitLength() > 256) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "amount must be a uint256 ≥ 1");
        }
        String tokenAddress = token == null ? null : Addresses.checksummed(token, "token");
        String hash = txHash.toLowerCase(Locale.ROOT);
        if (Objects.equals(tipperId, recipientId)) {
            throw ChatException.badRequest("a tip goes to another member");
        }
        engine.conversation(tipperId, conversationId); // the tipper is a member
        if (engine.store().findMember(conversationId, recipientId).isEmpty()) {
            throw ChatException.notFound(recipientId + " is not a member of " + conversationId);
        }
        String from = Addresses.checksummed(wallets.require(tipperId), "tipper address");
        String to = Addresses.checksummed(wallets.require(recipientId), "recipient address");

        JsonRpcClient rpc = chains.client(chainId);
        Transaction tx = rpc.transaction(hash).orElseThrow(() -> new ChainException(ChainError.TX_UNKNOWN,
                "chain " + chainId + " does not know transaction " + hash));
        TransactionReceipt receipt = tx.pending() ? null : rpc.transactionReceipt(hash).orElse(null);
        if (receipt == null) {
            throw new ChainException(ChainError.TX_NOT_CONFIRMED, hash + " is pending; try again once it is mined");
        }
        long have = rpc.blockNumber() - receipt.blockNumber() + 1;
        if (have < confirmations) {
            throw new ChainException(ChainError.TX_NOT_CONFIRMED, hash + " has " + have + " of " + confirmations
                    + " confirmations; try again later");
        }
        if (!receipt.success()) {
            throw new ChainException(ChainError.TX_FAILED, hash + " failed on chain (status 0)");
        }
        if (tokenAddress == null) {
            checkNative(tx, from, to, amount);
        } else {
            checkTokenTransfer(receipt.logs(), tokenAddress, from, to, amount);
        }

        String namespace = "web3.tip:" + chainId;
        if (!engine.store().claim(namespace, hash, tipperId, engine.clock().instant())) {
            throw new ChainException(ChainError.TX_ALREADY_USED, hash + " was already used for a tip");
        }
        String unit = tokenAddress == null ? "wei" : "units of ERC-20 " + tokenAddress;
        String text = "Tip to " + recipientId + ": " + amount + " " + unit + " (chain " + chainId + ", tx " + hash + ")";
        try {
            // clientMsgId ≤ 64 characters: 240 bits of the hash keep it unique per sender
            var message = engine.sendAndWait(tipperId, conversationId, "tip:" + hash.substring(2, 62),
                    new MessageBody(text), null);
            return new Tip(message, chainId, hash, from, to, tokenAddress, amount, receipt.blockNumber());
        } catch (RuntimeException e) {
            engine.store().releaseClaim(namespace, hash); // the tip did not appear: the hash stays usable
            throw e;
        }
    }

    private static void checkNative(Transaction tx, String from, String to, BigInteger amount) {
        if (!Addresses.same(tx.from(), from)) {
            throw new ChainException(ChainError.TX_MISMATCH, "sent by " + tx.from() + ", not by the tipper " + from);
        }
        if (!Addresses.same(tx.to(), to)) {
            throw new ChainException(ChainError.TX_MISMATCH, "sent to " + tx.to() + ", not to the recipient " + to);
        }
        if (!tx.value().equals(amount)) {
            throw new ChainException(ChainError.TX_MISMATCH, "sent " + tx.value() + " wei, not " + amount);
        }
    }

    private static void checkTokenTransfer(List<LogEntry> logs, String token, String from, String to,
                                           BigInteger amount) {
        String seen = null;
        for (LogEntry log : logs) {
            if (!Addresses.same(log.address(), token) || log.topics().size() != 3
                    || !log.topics().get(0).equalsIgnoreCase(TRANSFER_TOPIC)) {
                continue;
            }
            String logFrom = Abi.topicAddress(log.topics().get(1));
            String logTo = Abi.topicAddress(log.topics().get(2));
            BigInteger value;
            try {
                value = Abi.uint(log.data(), 0);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (Addresses.same(logFrom, from) && Addresses.same(logTo, to) && value.equals(amount)) {
                return;
            }
            seen = value + " from " + logFrom + " to " + logTo;
        }
        throw new ChainException(ChainError.TX_MISMATCH, seen == null ? "no Transfer of " + token + " in the transaction"
                : "the transaction transfers " + seen + ", not " + amount + " from " + from + " to " + to);
    }
}
