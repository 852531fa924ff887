package dev.parley.core.internal;

import dev.parley.core.IdGenerator;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Monotonic ULID generator: 48-bit millisecond time, 80 random bits; within one millisecond
 * (or if the clock steps back) the random part is incremented, so ids never go backwards.
 */
public final class UlidGenerator implements IdGenerator {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private long randHi; // top 16 of the 80 random bits
    private long randLo; // low 64 random bits

    public UlidGenerator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized String next() {
        long now = clock.millis();
        if (now > lastMillis) {
            lastMillis = now;
            randHi = random.nextInt() & 0xFFFFL;
            randLo = random.nextLong();
        } else {
            randLo++;
            if (randLo == 0) {
                randHi = (randHi + 1) & 0xFFFFL;
                if (randHi == 0) {
                    lastMillis++; // 80-bit overflow within one millisecond: borrow the next one
                }
            }
        }
        char[] out = new char[26];
        long time = lastMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        // 80 random bits = 16 chars of 5 bits, taken from (randHi:16 | randLo:64)
        long lo = randLo;
        long hi = randHi;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo = (lo >>> 5) | ((hi & 31) << 59);
            hi >>>= 5;
        }
        return new String(out);
    }
}
