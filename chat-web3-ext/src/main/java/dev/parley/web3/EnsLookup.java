package dev.parley.web3;

import java.util.Optional;

/**
 * Finds the ENS name of an address (reverse resolution, checked forward), for wallet
 * profiles. {@link dev.parley.web3.chain.ChainEnsLookup} does it on the chain; a lookup that
 * throws is logged and counts as "no name".
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface EnsLookup {

    /** @return the primary ENS name of {@code address}, or empty */
    Optional<String> nameOf(String address);

    /** Knows no names: every {@link Wallet#ensName()} is {@code null}. */
    static EnsLookup none() {
        return address -> Optional.empty();
    }
}
