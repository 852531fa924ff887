package dev.parley.web3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web3.internal.DateTimes;
import dev.parley.web3.internal.Eip191;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Verification vectors, both the spruceid files and the 2026 signinwithethereum ones, used as
 * the vectors' README says: time = {@code time} or {@code issuedAt}, domain = {@code domainBinding}
 * or {@code domain}, nonce = {@code matchNonce} or {@code nonce}.
 */
class SiweVerifierVectorsTest {

    /** The rule each negative case is named for. */
    private static final Map<String, SiweError> NEGATIVE_REASON = Map.of(
            "expired message", SiweError.EXPIRED,
            "domain binding", SiweError.DOMAIN_MISMATCH,
            "custom time", SiweError.EXPIRED,
            "custom nonce", SiweError.NONCE_INVALID,
            "malformed signature", SiweError.MALFORMED_SIGNATURE,
            "wrong signature", SiweError.SIGNATURE_MISMATCH,
            "not yet valid", SiweError.NOT_YET_VALID);

    static Stream<Arguments> positive() {
        return Stream.concat(Vectors.cases("verification_positive.json"),
                Vectors.cases("signinwithethereum-2026/verification_positive.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("positive")
    void verifies(String name, JsonNode c) {
        SiweMessage m = Vectors.fromFields(c);

        SiweMessage verified = verifier(c, m).verify(m.toMessage(), c.get("signature").asText(), nonce(c));

        assertThat(verified).isEqualTo(m);
    }

    static Stream<Arguments> negative() {
        return Stream.concat(Vectors.cases("verification_negative.json"),
                Vectors.cases("signinwithethereum-2026/verification_negative.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("negative")
    void refuses(String name, JsonNode c) {
        if (name.startsWith("invalid ")) {
            // impossible dates (Feb 31) must fail when the message is constructed
            assertThatThrownBy(() -> Vectors.fromFields(c)).isInstanceOfSatisfying(SiweException.class,
                    e -> assertThat(e.reason()).isEqualTo(SiweError.MALFORMED_MESSAGE));
            return;
        }
        SiweMessage m = Vectors.fromFields(c);
        SiweVerifier verifier = verifier(c, m);
        assertThatThrownBy(() -> verifier.verify(m.toMessage(), c.get("signature").asText(), nonce(c)))
                .isInstanceOfSatisfying(SiweException.class,
                        e -> assertThat(e.reason()).isEqualTo(NEGATIVE_REASON.get(name)));
    }

    /** In the spruceid negatives the signature is good: the rejection is for the named rule only. */
    @Test
    void spruceidNegativesCarryGoodSignatures() throws Exception {
        for (String name : new String[] {"expired message", "domain binding", "custom time", "custom nonce",
                "not yet valid"}) {
            JsonNode c = Vectors.read("verification_negative.json").get(name);
            SiweMessage m = Vectors.fromFields(c);
            assertThat(Eip191.recover(m.toMessage(), c.get("signature").asText())).as(name).isEqualTo(m.address());
        }
    }

    @Disabled("needs a chain; next part: ERC-1271 isValidSignature through eth_call (eip1271.json)")
    @Test
    void contractWallets() {
    }

    private static String nonce(JsonNode c) {
        return c.hasNonNull("matchNonce") ? c.get("matchNonce").asText() : c.get("nonce").asText();
    }

    private static SiweVerifier verifier(JsonNode c, SiweMessage m) {
        try {
            Instant issued = DateTimes.parse(m.issuedAt()).toInstant();
            Instant now = c.hasNonNull("time") ? DateTimes.parse(c.get("time").asText()).toInstant() : issued;
            // The reference library does not bound issued-at; "expired message" (positive) checks
            // at a time two years before issuance. Only that case widens the skew, and the
            // widening cannot affect its expiration check (expiry is after the chosen time).
            Duration skew = now.isBefore(issued) ? Duration.between(now, issued).plusMinutes(1) : Duration.ofMinutes(1);
            return new SiweVerifier(SiweSettings.builder()
                    .domain(c.hasNonNull("domainBinding") ? c.get("domainBinding").asText() : m.domain())
                    .uri(m.uri())
                    .chainIds(Set.of(1L))
                    .clockSkew(skew)
                    // no message-age bound in the reference library either ("not yet valid" checks 79 years on)
                    .maxMessageAge(Duration.ofDays(365L * 300))
                    .clock(Clock.fixed(now, ZoneOffset.UTC))
                    .build());
        } catch (DateTimes.InvalidDateTime e) {
            throw new AssertionError(e);
        }
    }
}
