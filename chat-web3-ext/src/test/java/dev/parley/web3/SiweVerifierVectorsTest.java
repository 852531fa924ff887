package dev.parley.web3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.web3.internal.DateTimes;
import dev.parley.web3.internal.Eip191;
import dev.parley.web3.chain.Chains;
import dev.parley.web3.chain.StubRpcServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.crypto.Sign;

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

    /**
     * {@code eip1271.json} holds real Argent and Loopring signatures whose validity only their
     * wallets' state on Ethereum mainnet can confirm. As the reference tests do offline, the
     * contract is a stub: a JSON-RPC endpoint that returns the ERC-1271 magic value only for
     * exactly the {@code eth_call} expected (the message's address, {@code isValidSignature}
     * with the EIP-191 hash of the message and the signature). This shows the verifier asks the
     * right contract the right question; our own wallet contract on ganache
     * ({@code Eip1271SignInTest}) shows the answer is honoured both ways.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("contractWalletCases")
    void contractWalletsAreAskedExactlyTheERC1271Question(String name, JsonNode c) throws Exception {
        String text = c.get("message").asText();
        String signature = c.get("signature").asText();
        SiweMessage m = SiweMessage.parse(text);
        String expectedData = "0x1626ba7e" + HexFormat.of().formatHex(
                Sign.getEthereumMessageHash(text.getBytes(StandardCharsets.UTF_8)))
                + "0".repeat(62) + "40" + lengthAndPadded(signature.substring(2));
        List<String> asked = new CopyOnWriteArrayList<>();
        try (StubRpcServer stub = StubRpcServer.start(request -> {
            String method = request.get("method").asText();
            if (method.equals("eth_chainId")) {
                return "\"0x1\"";
            }
            JsonNode call = request.get("params").get(0);
            asked.add(call.get("to").asText() + " " + call.get("data").asText());
            boolean exact = call.get("to").asText().equalsIgnoreCase(m.address())
                    && call.get("data").asText().equals(expectedData);
            return exact ? "\"0x1626ba7e" + "0".repeat(56) + "\"" : "\"0xffffffff" + "0".repeat(56) + "\"";
        })) {
            Chains chains = Chains.builder().endpoint(1, stub.uri()).timeout(Duration.ofSeconds(5)).build();
            SiweVerifier verifier = new SiweVerifier(SiweSettings.builder().domain(m.domain()).uri(m.uri())
                    .chainIds(Set.of(1L)).clock(Clock.fixed(m.issuedAtInstant(), ZoneOffset.UTC)).build(), chains);

            assertThat(verifier.verify(text, signature, m.nonce())).isEqualTo(m);
            assertThat(asked).hasSize(1);
            // another signature is another question, which the stub (like the wallet) says no to
            String other = signature.substring(0, signature.length() - 2) + (signature.endsWith("00") ? "01" : "00");
            assertThatThrownBy(() -> verifier.verify(text, other, m.nonce())).isInstanceOfSatisfying(
                    SiweException.class, e -> assertThat(e.reason()).isEqualTo(SiweError.SIGNATURE_MISMATCH));
        }
    }

    static Stream<Arguments> contractWalletCases() {
        return Vectors.cases("eip1271.json");
    }

    @Disabled("needs Ethereum mainnet state: eip1271.json's Argent and Loopring wallets live on chain 1; "
            + "no mainnet endpoint here. The call shape is checked above against a stub, the ERC-1271 "
            + "decision against our own wallet contract on ganache (Eip1271SignInTest)")
    @Test
    void contractWalletsOnMainnet() {
    }

    private static String lengthAndPadded(String hex) {
        String len = Integer.toHexString(hex.length() / 2);
        int rem = hex.length() % 64;
        return "0".repeat(64 - len.length()) + len + hex + (rem == 0 ? "" : "0".repeat(64 - rem));
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
