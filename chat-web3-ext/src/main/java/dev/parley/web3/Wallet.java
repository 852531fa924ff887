package dev.parley.web3;

import java.time.Instant;
import java.util.Objects;

/**
 * A wallet linked to a user, as profiles show it.
 *
 * @param address  EIP-55 checksummed address
 * @param ensName  the address's ENS name, or {@code null} when none is known (see {@link EnsLookup})
 * @param linkedAt when it was linked (for a wallet that created its user: the first sign-in)
 * @since 0.1.0
 */
public record Wallet(String address, String ensName, Instant linkedAt) {
    public Wallet {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(linkedAt, "linkedAt");
    }
}
