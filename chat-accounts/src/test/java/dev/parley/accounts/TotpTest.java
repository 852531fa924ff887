package dev.parley.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TotpTest {
    private static final Path VECTORS = Path.of("../../shared/vectors/totp/rfc6238.json");

    private static JsonNode vectors() throws IOException {
        Path p = Files.exists(VECTORS) ? VECTORS : Path.of("../shared/vectors/totp/rfc6238.json");
        return new ObjectMapper().readTree(Files.readString(p));
    }

    @Test
    void hotpMatchesRfc4226AppendixD() throws IOException {
        JsonNode hotp = vectors().get("hotp");
        byte[] secret = hotp.get("secretAscii").asText().getBytes(StandardCharsets.US_ASCII);
        assertThat(Base32.decode(hotp.get("secretBase32").asText())).isEqualTo(secret);
        for (JsonNode v : hotp.get("vectors")) {
            assertThat(Totp.sha1(6).hotp(secret, v.get("counter").asLong())).isEqualTo(v.get("hotp").asText());
        }
    }

    @Test
    void totpMatchesRfc6238AppendixB() throws IOException {
        JsonNode root = vectors().get("totp");
        int checked = 0;
        for (JsonNode v : root.get("vectors")) {
            String algorithm = v.get("algorithm").asText();
            byte[] secret = HexFormat.of().parseHex(root.get("secrets").get(algorithm).get("hex").asText());
            Totp totp = Totp.of("Hmac" + algorithm, 8);
            assertThat(totp.at(secret, Instant.ofEpochSecond(v.get("unixTime").asLong())))
                    .as("%s at %s", algorithm, v.get("unixTime"))
                    .isEqualTo(v.get("totp").asText());
            checked++;
        }
        assertThat(checked).isEqualTo(18);
    }

    @Test
    void verifyAcceptsOneStepEitherSideAndReportsTheStep() {
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        Totp totp = Totp.sha1(6);
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        String previous = totp.at(secret, now.minusSeconds(30));
        assertThat(totp.verify(secret, previous, now, 1)).hasValue(Totp.step(now) - 1);
        assertThat(totp.verify(secret, totp.at(secret, now.minusSeconds(60)), now, 1)).isEmpty();
        assertThat(totp.verify(secret, "12345", now, 1)).isEmpty();
        assertThat(totp.verify(secret, "abcdef", now, 1)).isEmpty();
        assertThat(totp.verify(secret, null, now, 1)).isEmpty();
    }

    @Test
    void base32RoundTrips() {
        SecureRandom r = new SecureRandom();
        for (int n = 0; n < 40; n++) {
            byte[] data = new byte[n];
            r.nextBytes(data);
            assertThat(Base32.decode(Base32.encode(data))).isEqualTo(data);
        }
    }

    /** oathtool (Debian package) is an independent implementation; CI installs it. */
    @Test
    void codesAgreeWithOathtool() throws Exception {
        boolean present = Files.isExecutable(Path.of("/usr/bin/oathtool"));
        if (System.getenv("CI") != null) {
            assertThat(present).as("oathtool must be installed in CI (.ci/run installs it)").isTrue();
        }
        assumeTrue(present, "oathtool not installed: skipping the cross-check (apt-get install oathtool)");
        byte[] secret = new byte[20];
        new SecureRandom().nextBytes(secret);
        String base32 = Base32.encode(secret);
        for (long t : new long[] {59L, 1_111_111_109L, 1_700_000_000L, 2_000_000_000L}) {
            Process p = new ProcessBuilder("oathtool", "--totp", "-b", "-N", "@" + t, base32)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertThat(p.waitFor()).isZero();
            assertThat(Totp.sha1(6).at(secret, Instant.ofEpochSecond(t))).as("t=%d", t).isEqualTo(out);
        }
    }

    @Test
    void otpauthUriCarriesIssuerAccountAndSecret() {
        assertThat(Totp.otpauthUri("Parley Chat", "alice", "JBSWY3DPEHPK3PXP"))
                .isEqualTo("otpauth://totp/Parley%20Chat:alice?secret=JBSWY3DPEHPK3PXP&issuer=Parley%20Chat"
                        + "&algorithm=SHA1&digits=6&period=30");
    }
}
