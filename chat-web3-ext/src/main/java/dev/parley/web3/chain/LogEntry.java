package dev.parley.web3.chain;

import java.util.List;

/**
 * One event log of a transaction receipt.
 *
 * @param address the contract that emitted it (as the node wrote it)
 * @param topics  {@code 0x}-hex 32-byte topics, the event signature's hash first
 * @param data    {@code 0x}-hex data
 * @since 0.1.0
 */
public record LogEntry(String address, List<String> topics, String data) {
    public LogEntry {
        topics = List.copyOf(topics);
    }
}
