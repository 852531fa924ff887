package dev.parley.web3.chain;

import java.math.BigInteger;

/**
 * What {@code eth_getTransactionByHash} says about a transaction.
 *
 * @param hash        the hash
 * @param from        sender
 * @param to          recipient, or {@code null} for a contract creation
 * @param value       wei sent with it
 * @param blockNumber its block, or {@code null} while pending
 * @since 0.1.0
 */
public record Transaction(String hash, String from, String to, BigInteger value, Long blockNumber) {
    /** Whether it is not mined yet. */
    public boolean pending() {
        return blockNumber == null;
    }
}
