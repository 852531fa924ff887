package dev.parley.web3.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * What a token-gated group requires of its members: holding at least {@code minimum} of an
 * ERC-20 token (in its smallest unit) or {@code minimum} ERC-721 tokens of a collection, on a
 * chain, as {@code balanceOf(address)} reports for the member's wallet.
 *
 * @param chainId  the EIP-155 chain id
 * @param standard {@link Standard#ERC20} or {@link Standard#ERC721}
 * @param contract the token contract (lower case or EIP-55; kept checksummed)
 * @param minimum  the least balance that qualifies, ≥ 1
 * @since 0.1.0
 */
public record TokenGate(long chainId, Standard standard, String contract, BigInteger minimum) {
    /** The kinds of token a gate can count. */
    public enum Standard {
        ERC20, ERC721
    }

    public TokenGate {
        Objects.requireNonNull(standard, "standard");
        contract = Addresses.checksummed(contract, "contract");
        if (chainId < 1) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "chainId must be ≥ 1");
        }
        if (minimum == null || minimum.signum() < 1 || minimum.bitLength() > 256) {
            throw new ChainException(ChainError.MALFORMED_INPUT, "minimum must be a uint256 ≥ 1");
        }
    }
}
