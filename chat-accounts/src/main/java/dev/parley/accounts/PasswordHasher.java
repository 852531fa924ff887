package dev.parley.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing (Bouncy Castle), stored in the PHC string format
 * {@code $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>} so that the
 * parameters travel with each hash and can be raised later: {@link #needsRehash} tells when
 * a stored hash was made with other parameters (the account service rehashes at login).
 *
 * <pre>{@code
 * PasswordHasher hasher = PasswordHasher.defaults();
 * String stored = hasher.hash("correct horse");
 * boolean ok = hasher.verify("correct horse", stored);
 * }</pre>
 *
 * @param memoryKiB  memory cost in KiB (default 19,456 = 19 MiB, the OWASP minimum for Argon2id)
 * @param iterations time cost (default 2)
 * @param lanes      parallelism (default 1)
 */
public record PasswordHasher(int memoryKiB, int iterations, int lanes) {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    public PasswordHasher {
        if (memoryKiB < 8 * lanes) {
            throw new IllegalArgumentException("memoryKiB must be at least 8 × lanes");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1");
        }
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be >= 1");
        }
    }

    public static PasswordHasher defaults() {
        return new PasswordHasher(19_456, 2, 1);
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        byte[] hash = derive(password, salt, memoryKiB, iterations, lanes, HASH_BYTES);
        return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + lanes + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    /** Whether {@code password} matches {@code stored}; false for a malformed stored string. */
    public boolean verify(String password, String stored) {
        Phc phc = Phc.parse(stored);
        if (phc == null) {
            return false;
        }
        byte[] actual = derive(password, phc.salt, phc.memory, phc.iterations, phc.lanes, phc.hash.length);
        return MessageDigest.isEqual(actual, phc.hash);
    }

    /** Whether {@code stored} was made with parameters other than this hasher's. */
    public boolean needsRehash(String stored) {
        Phc phc = Phc.parse(stored);
        return phc == null || phc.memory != memoryKiB || phc.iterations != iterations || phc.lanes != lanes;
    }

    private static byte[] derive(String password, byte[] salt, int memory, int iterations, int lanes, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(lanes)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private record Phc(int memory, int iterations, int lanes, byte[] salt, byte[] hash) {
        static Phc parse(String s) {
            if (s == null) {
                return null;
            }
            String[] parts = s.split("\\$");
            // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
            if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                return null;
            }
            try {
                int m = -1;
                int t = -1;
                int p = -1;
                for (String kv : parts[3].split(",")) {
                    String[] pair = kv.split("=", 2);
                    int v = Integer.parseInt(pair[1]);
                    switch (pair[0]) {
                        case "m" -> m = v;
                        case "t" -> t = v;
                        case "p" -> p = v;
                        default -> {
                            return null;
                        }
                    }
                }
                if (m < 8 || t < 1 || p < 1 || m > 4_194_304 || t > 100 || p > 64) {
                    return null;
                }
                byte[] hash = B64D.decode(parts[5]);
                if (hash.length < 16 || hash.length > 64) {
                    return null;
                }
                return new Phc(m, t, p, B64D.decode(parts[4]), hash);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
