package dev.parley.web3.chain;

import java.util.Locale;
import java.util.regex.Pattern;
import org.web3j.crypto.Keys;

/**
 * Ethereum account addresses as accepted from users and configuration: {@code 0x} and 40 hex
 * digits, either all lower case or with a correct EIP-55 checksum (all upper case is refused, as
 * is a mixed case that is not the checksum: that is a typo EIP-55 exists to catch).
 *
 * @since 0.1.0
 */
public final class Addresses {
    private static final Pattern HEX40 = Pattern.compile("0x[0-9a-fA-F]{40}");

    private Addresses() {
    }

    /**
     * @return the EIP-55 checksummed form
     * @throws ChainException {@link ChainError#MALFORMED_INPUT} when {@code address} is not valid
     */
    public static String checksummed(String address, String what) {
        if (address == null || !HEX40.matcher(address).matches()) {
            throw new ChainException(ChainError.MALFORMED_INPUT, what + " must be 0x and 40 hex digits");
        }
        String checksummed = Keys.toChecksumAddress(address);
        String digits = address.substring(2);
        if (!address.equals(checksummed) && !digits.equals(digits.toLowerCase(Locale.ROOT))) {
            throw new ChainException(ChainError.MALFORMED_INPUT, what + " has a bad EIP-55 checksum: " + address);
        }
        return checksummed;
    }

    /** Whether two addresses are the same account (case-insensitive). */
    public static boolean same(String a, String b) {
        return a != null && b != null && a.equalsIgnoreCase(b);
    }
}
