package dev.parley.web3.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * Solidity ABI encoding of the few fixed calls the web3 features make (static heads for
 * {@code address}, {@code uint256}, {@code bytes32}; one tail per dynamic {@code bytes}) and
 * decoding of single-word results.
 */
public final class Abi {
    private static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    private Abi() {
    }

    /** One argument of a call. */
    public sealed interface Arg permits Address, Uint, Bytes32, Bytes {
    }

    /** An {@code address}: {@code 0x} and 40 hex digits, any case. */
    public record Address(String hex) implements Arg {
    }

    /** A {@code uint256}. */
    public record Uint(BigInteger value) implements Arg {
    }

    /** A {@code bytes32}. */
    public record Bytes32(byte[] value) implements Arg {
    }

    /** A dynamic {@code bytes}. */
    public record Bytes(byte[] value) implements Arg {
    }

    /** The 4-byte selector of {@code signature}, e.g. {@code "balanceOf(address)"}, as 8 hex digits. */
    public static String selector(String signature) {
        return Numeric.toHexStringNoPrefix(Hash.sha3(signature.getBytes(StandardCharsets.US_ASCII))).substring(0, 8);
    }

    /** The {@code 0x}-hex call data of {@code signature} with {@code args}. */
    public static String call(String signature, Arg... args) {
        StringBuilder head = new StringBuilder("0x").append(selector(signature));
        List<String> tails = new ArrayList<>();
        int tailOffset = 32 * args.length;
        for (Arg a : args) {
            if (a instanceof Address ad) {
                head.append(word(new BigInteger(ad.hex().substring(2), 16)));
            } else if (a instanceof Uint u) {
                head.append(word(u.value()));
            } else if (a instanceof Bytes32 b) {
                head.append(Numeric.toHexStringNoPrefix(b.value()));
            } else if (a instanceof Bytes b) {
                head.append(word(BigInteger.valueOf(tailOffset)));
                String tail = word(BigInteger.valueOf(b.value().length)) + padRight(b.value());
                tails.add(tail);
                tailOffset += tail.length() / 2;
            }
        }
        tails.forEach(head::append);
        return head.toString();
    }

    private static String word(BigInteger v) {
        if (v.signum() < 0 || v.compareTo(MAX_UINT256) > 0) {
            throw new IllegalArgumentException("not a uint256: " + v);
        }
        String hex = v.toString(16);
        return "0".repeat(64 - hex.length()) + hex;
    }

    private static String padRight(byte[] b) {
        String hex = Numeric.toHexStringNoPrefix(b);
        int rem = hex.length() % 64;
        return rem == 0 ? hex : hex + "0".repeat(64 - rem);
    }

    /**
     * The {@code index}-th 32-byte word of {@code 0x}-hex return data as an unsigned integer.
     *
     * @throws IllegalArgumentException when the data is too short (e.g. {@code 0x} from an
     *                                  address without code)
     */
    public static BigInteger uint(String data, int index) {
        String hex = data.startsWith("0x") ? data.substring(2) : data;
        int start = index * 64;
        if (hex.length() < start + 64) {
            throw new IllegalArgumentException("return data has " + hex.length() / 2 + " bytes, need "
                    + (start + 64) / 2);
        }
        return new BigInteger(hex.substring(start, start + 64), 16);
    }

    /** The {@code index}-th word as an address ({@code 0x} + 40 lower-case hex digits). */
    public static String address(String data, int index) {
        BigInteger v = uint(data, index);
        if (v.bitLength() > 160) {
            throw new IllegalArgumentException("word " + index + " is not an address");
        }
        String hex = v.toString(16);
        return "0x" + "0".repeat(40 - hex.length()) + hex;
    }

    /**
     * A function's single {@code string} return value (offset word, length word, UTF-8 bytes).
     *
     * @throws IllegalArgumentException when the data is not such an encoding or not UTF-8
     */
    public static String string(String data) {
        String hex = data.startsWith("0x") ? data.substring(2) : data;
        BigInteger offset = uint(data, 0);
        if (offset.bitLength() > 20 || offset.intValue() % 32 != 0) {
            throw new IllegalArgumentException("bad string offset " + offset);
        }
        int lengthWord = offset.intValue() / 32;
        BigInteger length = uint(data, lengthWord);
        int start = (lengthWord + 1) * 64;
        if (length.bitLength() > 20 || hex.length() < start + length.intValue() * 2) {
            throw new IllegalArgumentException("string of " + length + " bytes does not fit the return data");
        }
        byte[] bytes = java.util.HexFormat.of().parseHex(hex, start, start + length.intValue() * 2);
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("string is not UTF-8", e);
        }
    }

    /** A 32-byte topic (an indexed address) as a lower-case address, or {@code null} if it is not one. */
    public static String topicAddress(String topic) {
        try {
            return address(topic, 0);
        } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
            return null;
        }
    }
}
