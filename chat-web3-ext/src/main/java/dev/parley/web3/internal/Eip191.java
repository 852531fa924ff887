package dev.parley.web3.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SignatureException;
import java.util.Arrays;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/** EIP-191 {@code personal_sign} signer recovery with web3j-crypto. */
public final class Eip191 {
    private Eip191() {
    }

    /** Thrown when the signature is not 65 bytes of hex, or its recovery byte is impossible. */
    public static final class MalformedSignature extends Exception {
        MalformedSignature(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @param signature {@code 0x} and 130 hex digits: {@code r || s || v}, v being 27/28 or 0/1
     * @return the EIP-55 address that signed {@code message}, or {@code null} when no public
     *         key can be recovered
     */
    public static String recover(String message, String signature) throws MalformedSignature {
        if (signature == null || !signature.matches("0x[0-9a-fA-F]{130}")) {
            throw new MalformedSignature("signature must be 0x and 130 hex digits (65 bytes)");
        }
        byte[] sig = new BigInteger(signature.substring(2), 16).toByteArray();
        sig = fixed(sig, 65);
        int v = sig[64] & 0xFF;
        if (v == 0 || v == 1) {
            v += 27;
        }
        if (v != 27 && v != 28) {
            throw new MalformedSignature("recovery byte must be 27, 28, 0 or 1, was " + (sig[64] & 0xFF));
        }
        Sign.SignatureData data = new Sign.SignatureData((byte) v, Arrays.copyOfRange(sig, 0, 32),
                Arrays.copyOfRange(sig, 32, 64));
        try {
            BigInteger key = Sign.signedPrefixedMessageToKey(message.getBytes(StandardCharsets.UTF_8), data);
            return Keys.toChecksumAddress(Keys.getAddress(key));
        } catch (SignatureException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] fixed(byte[] b, int len) {
        byte[] out = new byte[len];
        int copy = Math.min(b.length, len);
        System.arraycopy(b, b.length - copy, out, len - copy, copy);
        return out;
    }
}
