package dev.parley.web3.chain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which wallet address a chat user holds tokens with. The default, {@link #userIdIsAddress()},
 * fits users signed in with Ethereum (their user id is their checksummed address); a host that
 * links wallets to password accounts supplies its own lookup.
 *
 * @since 0.8
 */
@FunctionalInterface
public interface WalletAddresses {

    /** The address of {@code userId}, or empty when the user has no wallet. */
    Optional<String> addressOf(String userId);

    /** A user whose id is an address ({@code 0x} + 40 hex digits) holds with that address. */
    static WalletAddresses userIdIsAddress() {
        Pattern address = Pattern.compile("0x[0-9a-fA-F]{40}");
        return userId -> userId != null && address.matcher(userId).matches() ? Optional.of(userId) : Optional.empty();
    }

    /** The address of {@code userId}, or {@link ChainError#NO_WALLET}. */
    default String require(String userId) {
        return addressOf(userId).orElseThrow(() -> new ChainException(ChainError.NO_WALLET,
                userId + " has no wallet address"));
    }
}
