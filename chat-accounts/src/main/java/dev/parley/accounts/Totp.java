package dev.parley.accounts;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 30-second steps
 * from the Unix epoch, 6 digits by default — what authenticator apps expect.
 *
 * <pre>{@code
 * Totp totp = Totp.sha1(6);
 * OptionalLong step = totp.verify(secret, "123456", clock.instant(), 1);
 * }</pre>
 */
public final class Totp {
    public static final long STEP_SECONDS = 30;

    private final String algorithm;
    private final int digits;

    private Totp(String algorithm, int digits) {
        if (digits < 6 || digits > 10) {
            throw new IllegalArgumentException("digits must be 6 to 10: " + digits);
        }
        this.algorithm = algorithm;
        this.digits = digits;
    }

    /** HMAC-SHA-1 with {@code digits} digits (6 for authenticator apps). */
    public static Totp sha1(int digits) {
        return new Totp("HmacSHA1", digits);
    }

    /** @param algorithm {@code HmacSHA1}, {@code HmacSHA256} or {@code HmacSHA512} */
    public static Totp of(String algorithm, int digits) {
        return new Totp(algorithm, digits);
    }

    /** The step counter for an instant: floor(epochSeconds / 30). */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The HOTP code for one counter value, zero-padded. */
    public String hotp(byte[] secret, long counter) {
        byte[] hash;
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret, "RAW"));
            byte[] msg = new byte[8];
            for (int i = 7; i >= 0; i--) {
                msg[i] = (byte) (counter & 0xFF);
                counter >>>= 8;
            }
            hash = mac.doFinal(msg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " unavailable", e);
        }
        int offset = hash[hash.length - 1] & 0x0F;
        int binary = ((hash[offset] & 0x7F) << 24) | ((hash[offset + 1] & 0xFF) << 16)
                | ((hash[offset + 2] & 0xFF) << 8) | (hash[offset + 3] & 0xFF);
        long mod = 1;
        for (int i = 0; i < digits; i++) {
            mod *= 10;
        }
        String code = Long.toString(binary % mod);
        return "0".repeat(digits - code.length()) + code;
    }

    /** The code at an instant. */
    public String at(byte[] secret, Instant at) {
        return hotp(secret, step(at));
    }

    /**
     * Checks a code against the steps {@code step(now) - window … step(now) + window}.
     *
     * @return the matching step (so callers can refuse a reused step), or empty
     */
    public OptionalLong verify(byte[] secret, String code, Instant now, int window) {
        if (code == null || code.length() != digits || !code.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        long current = step(now);
        for (long s = current - window; s <= current + window; s++) {
            byte[] expected = hotp(secret, s).getBytes(StandardCharsets.US_ASCII);
            if (MessageDigest.isEqual(expected, code.getBytes(StandardCharsets.US_ASCII))) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }

    /** The {@code otpauth://totp/...} URI that authenticator apps scan (Key Uri Format). */
    public static String otpauthUri(String issuer, String account, String base32Secret) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + base32Secret + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=6&period=30";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
