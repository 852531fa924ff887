package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void defaultHashVerifiesAndIsSalted() {
        PasswordHasher hasher = PasswordHasher.defaults();
        String a = hasher.hash("correct horse battery");
        String b = hasher.hash("correct horse battery");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(hasher.verify("correct horse battery", a)).isTrue();
        assertThat(hasher.verify("correct horse batterY", a)).isFalse();
        assertThat(hasher.needsRehash(a)).isFalse();
    }

    @Test
    void malformedStoredHashesNeverVerify() {
        PasswordHasher hasher = new PasswordHasher(64, 1, 1);
        for (String bad : new String[] {null, "", "plain", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA",
                "$argon2id$v=19$m=64,t=1$AAAA$AAAA", "$argon2id$v=19$m=x,t=1,p=1$AAAA$AAAA",
                "$argon2id$v=19$m=999999999,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"}) {
            assertThat(hasher.verify("pw", bad)).as(String.valueOf(bad)).isFalse();
            assertThat(hasher.needsRehash(bad)).isTrue();
        }
    }

    @Test
    void invalidParametersFailFast() {
        assertThatThrownBy(() -> new PasswordHasher(4, 1, 1)).hasMessageContaining("memoryKiB");
        assertThatThrownBy(() -> new PasswordHasher(64, 0, 1)).hasMessageContaining("iterations");
    }
}
