package dev.parley.web3.chain;

import dev.parley.core.Message;
import java.math.BigInteger;

/**
 * A verified tip and the chat message that announces it.
 *
 * @param message     the message posted in the conversation
 * @param chainId     the chain of the transaction
 * @param txHash      the transaction hash (lower case)
 * @param from        the tipper's address
 * @param to          the recipient's address
 * @param token       the ERC-20 contract, or {@code null} for ether
 * @param amount      the amount in the smallest unit (wei, or the token's)
 * @param blockNumber the block that holds the transaction
 * @since 0.1.0
 */
public record Tip(Message message, long chainId, String txHash, String from, String to, String token,
                  BigInteger amount, long blockNumber) {
}
