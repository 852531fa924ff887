package dev.parley.web3.chain;

import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.LinkedIdentity;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which wallet address a chat user holds tokens with. The default, {@link #userIdIsAddress()},
 * fits users signed in with Ethereum (their user id is their checksummed address); a host that
 * links wallets to password accounts supplies its own lookup.
 *
 * @since 0.1.0
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

    /**
     * For servers with accounts: a user whose id is an address holds with it (a wallet's own
     * account); any other user with the oldest wallet ({@code eip155} identity) linked to their
     * account, or none.
     *
     * @since 0.1.0
     */
    static WalletAddresses linked(AccountStore accounts) {
        java.util.Objects.requireNonNull(accounts, "accounts");
        WalletAddresses own = userIdIsAddress();
        return userId -> {
            Optional<String> address = own.addressOf(userId);
            if (address.isPresent() || userId == null) {
                return address;
            }
            return accounts.identities(userId).stream().filter(i -> "eip155".equals(i.kind()))
                    .map(LinkedIdentity::subject).findFirst();
        };
    }

    /** The address of {@code userId}, or {@link ChainError#NO_WALLET}. */
    default String require(String userId) {
        return addressOf(userId).orElseThrow(() -> new ChainException(ChainError.NO_WALLET,
                userId + " has no wallet address"));
    }
}
