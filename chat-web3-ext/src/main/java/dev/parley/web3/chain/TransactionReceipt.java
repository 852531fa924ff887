package dev.parley.web3.chain;

import java.util.List;

/**
 * What {@code eth_getTransactionReceipt} says about a mined transaction.
 *
 * @param transactionHash the hash
 * @param blockNumber     the block that holds it
 * @param success         receipt status 1 (a status-0 transaction reverted)
 * @param from            sender
 * @param to              recipient, or {@code null} for a contract creation
 * @param logs            the events it emitted
 * @since 0.1.0
 */
public record TransactionReceipt(String transactionHash, long blockNumber, boolean success, String from, String to,
                                 List<LogEntry> logs) {
    public TransactionReceipt {
        logs = List.copyOf(logs);
    }
}
