package dev.parley.it.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.web3.SiweError;
import dev.parley.web3.SiweException;
import dev.parley.web3.SiweMessage;
import dev.parley.web3.SiweSettings;
import dev.parley.web3.SiweVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Fuzz targets for Sign-In with Ethereum, the text a wallet-holding stranger controls
 * completely before they are signed in. Without {@code JAZZER_FUZZ} they run once per file of
 * the seed corpus in {@code src/test/resources/dev/parley/it/fuzz/SiweFuzzTestInputs/<method>/}
 * (the EIP-4361 messages of {@code parsing_positive.json} and {@code parsing_negative.json}, and
 * the signed messages of the verification vectors, from the SIWE reference library); see
 * {@code docs/hardening.md} for a fuzzing session.
 */
class SiweFuzzTest {
    /**
     * Settings that the verification vectors' {@code login.xyz} messages meet, at a fixed time
     * when "example message" is valid: so the fuzzer gets past the domain, URI, chain and time
     * checks to signature recovery.
     */
    private static final SiweSettings SETTINGS = SiweSettings.builder()
            .domain("login.xyz").uri("https://login.xyz").chainIds(Set.of(1L))
            .maxMessageAge(Duration.ofDays(3650))
            .clock(Clock.fixed(Instant.parse("2022-01-27T17:10:00Z"), ZoneOffset.UTC))
            .build();
    private final SiweVerifier verifier = new SiweVerifier(SETTINGS);

    /**
     * Any text parses to a message or is a {@link SiweException} with
     * {@link SiweError#MALFORMED_MESSAGE} ({@code bad_request}), never another exception. A parsed
     * message writes back byte for byte ({@link SiweMessage#toMessage()}), that text parses to an
     * equal message, and its times give instants.
     */
    @FuzzTest(maxDuration = "2m")
    void parseMessage(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SiweMessage m;
        try {
            m = SiweMessage.parse(text);
        } catch (SiweException e) {
            assertThat(e.reason()).isEqualTo(SiweError.MALFORMED_MESSAGE);
            assertThat(e.code()).isEqualTo(SiweError.MALFORMED_MESSAGE.code());
            assertThat(e.getMessage()).startsWith("malformed_message: ");
            return;
        }
        assertThat(m.toMessage()).isEqualTo(text);
        assertThat(SiweMessage.parse(m.toMessage())).isEqualTo(m);
        assertThat(m.issuedAtInstant()).isNotNull();
        if (m.expirationTime() != null) {
            assertThat(m.expirationTimeInstant()).isNotNull();
        }
        if (m.notBefore() != null) {
            assertThat(m.notBeforeInstant()).isNotNull();
        }
    }

    /**
     * An input is a signature, a line feed and the signed message text. Verifying any pair
     * returns the parsed message (then the signature recovered its address) or throws a
     * {@link SiweException} whose error code is its reason's, never another exception (which
     * would be an {@code internal} error on the sign-in endpoint).
     */
    @FuzzTest(maxDuration = "2m")
    void verify(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String signature = newline < 0 ? text : text.substring(0, newline);
        String message = newline < 0 ? "" : text.substring(newline + 1);
        SiweMessage m;
        try {
            m = verifier.verify(message, signature, null);
        } catch (SiweException e) {
            assertThat(e.code()).isEqualTo(e.reason().code());
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(m).isEqualTo(SiweMessage.parse(message));
        assertThat(m.domain()).isEqualTo(SETTINGS.domain());
    }

    /** The {@code verify} target's settings accept the positive seed: fuzzing starts at an accepted sign-in. */
    @Test
    void verifySeedOfAValidSignInIsAccepted() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("SiweFuzzTestInputs/verify/positive-example-message.txt")) {
            assertThat(in).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int newline = text.indexOf('\n');
        SiweMessage m = verifier.verify(text.substring(newline + 1), text.substring(0, newline), null);
        assertThat(m.address()).isEqualTo("0x9D85ca56217D2bb651b00f15e694EB7E713637D4");
    }
}
