package dev.parley.web3.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.ChatEngine;
import dev.parley.core.ErrorCode;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.web3.InMemoryNonceStore;
import dev.parley.web3.SiweAuthenticator;
import dev.parley.web3.SiweError;
import dev.parley.web3.SiweException;
import dev.parley.web3.SiweLogin;
import dev.parley.web3.SiweMessage;
import dev.parley.web3.SiweSettings;
import dev.parley.web3.SiweVerifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/** Sign-in of a contract wallet (ERC-1271) deployed on the local chain: its owner is account 1. */
@ExtendWith(LocalChainExtension.class)
class Eip1271SignInTest {
    private static final String DOMAIN = "chat.example.com";
    private static final String URI_ = "https://chat.example.com/login";

    private final SiweSettings settings = SiweSettings.builder().domain(DOMAIN).uri(URI_)
            .chainIds(Set.of(1L, LocalChain.CHAIN_ID)).build();

    private static SiweMessage message(String address, long chainId) {
        return new SiweMessage("https", DOMAIN, address, "Sign in to chat", URI_, "1", chainId, "abcdefgh1234",
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null, null, null, List.of());
    }

    private static String sign(String text, ECKeyPair key) {
        Sign.SignatureData s = Sign.signPrefixedMessage(text.getBytes(StandardCharsets.UTF_8), key);
        HexFormat hex = HexFormat.of();
        return "0x" + hex.formatHex(s.getR()) + hex.formatHex(s.getS()) + hex.formatHex(s.getV());
    }

    @Test
    void ownerSignatureForTheWalletIsAccepted(LocalChain chain) {
        String text = message(chain.wallet(), LocalChain.CHAIN_ID).toMessage();

        SiweMessage verified = new SiweVerifier(settings, chain.chains())
                .verify(text, sign(text, chain.account(1).getEcKeyPair()), null);

        assertThat(verified.address()).isEqualTo(chain.wallet());
    }

    @Test
    void anotherKeysSignatureForTheWalletIsRefused(LocalChain chain) {
        String text = message(chain.wallet(), LocalChain.CHAIN_ID).toMessage();
        SiweVerifier verifier = new SiweVerifier(settings, chain.chains());

        assertThatThrownBy(() -> verifier.verify(text, sign(text, chain.account(2).getEcKeyPair()), null))
                .isInstanceOfSatisfying(SiweException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SiweError.SIGNATURE_MISMATCH);
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                });
    }

    @Test
    void aNonEcdsaSignatureGoesToTheWalletAndIsRefusedByIt(LocalChain chain) {
        String text = message(chain.wallet(), LocalChain.CHAIN_ID).toMessage();
        SiweVerifier verifier = new SiweVerifier(settings, chain.chains());

        assertThatThrownBy(() -> verifier.verify(text, "0x" + "12".repeat(70), null))
                .isInstanceOfSatisfying(SiweException.class,
                        e -> assertThat(e.reason()).isEqualTo(SiweError.SIGNATURE_MISMATCH));
        assertThatThrownBy(() -> verifier.verify(text, "0xnothex", null))
                .isInstanceOfSatisfying(SiweException.class,
                        e -> assertThat(e.reason()).isEqualTo(SiweError.MALFORMED_SIGNATURE));
    }

    @Test
    void anAccountWithoutCodeIsNotAContractWallet(LocalChain chain) {
        String text = message(chain.address(3), LocalChain.CHAIN_ID).toMessage();
        SiweVerifier verifier = new SiweVerifier(settings, chain.chains());

        assertThatThrownBy(() -> verifier.verify(text, sign(text, chain.account(1).getEcKeyPair()), null))
                .isInstanceOfSatisfying(SiweException.class,
                        e -> assertThat(e.reason()).isEqualTo(SiweError.SIGNATURE_MISMATCH));
    }

    @Test
    void withoutAnEndpointForTheChainAWalletSignatureIsAMismatch(LocalChain chain) {
        String text = message(chain.wallet(), LocalChain.CHAIN_ID).toMessage();

        assertThatThrownBy(() -> new SiweVerifier(settings).verify(text, sign(text, chain.account(1).getEcKeyPair()),
                null)).isInstanceOfSatisfying(SiweException.class,
                        e -> assertThat(e.reason()).isEqualTo(SiweError.SIGNATURE_MISMATCH));
    }

    @Test
    void chainDownIsARetryableRefusalNotAHang(LocalChain chain) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Chains down = Chains.builder().endpoint(LocalChain.CHAIN_ID, URI.create("http://127.0.0.1:" + port))
                .timeout(Duration.ofSeconds(2)).build();
        String text = message(chain.wallet(), LocalChain.CHAIN_ID).toMessage();
        String signature = sign(text, chain.account(1).getEcKeyPair());

        assertThatThrownBy(() -> new SiweVerifier(settings, down).verify(text, signature, null))
                .isInstanceOfSatisfying(SiweException.class, e -> {
                    assertThat(e.reason()).isEqualTo(SiweError.CHAIN_UNAVAILABLE);
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.code().retryable()).isTrue();
                    assertThat(e.getMessage()).contains("endpoint_unreachable");
                });
    }

    @Test
    void ordinaryAccountsStillSignInWithChainsConfigured(LocalChain chain) {
        String text = message(chain.address(2), LocalChain.CHAIN_ID).toMessage();

        assertThat(new SiweVerifier(settings, chain.chains()).verify(text, sign(text, chain.account(2).getEcKeyPair()),
                null).address()).isEqualTo(chain.address(2));
    }

    /** The whole flow with a message written and signed by siwe + ethers (npm), as a browser wallet does. */
    @Test
    void independentlySignedMessagesSignInAnAccountAndAWallet(LocalChain chain) throws Exception {
        ChatEngine engine = ChatEngine.builder().store(new InMemoryChatStore()).build();
        SiweAuthenticator auth = new SiweAuthenticator(engine, settings, new InMemoryNonceStore(settings),
                chain.chains());
        try (engine) {
            for (String address : List.of(chain.address(1), chain.wallet())) {
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("domain", DOMAIN);
                fields.put("address", address);
                fields.put("statement", "Sign in to chat");
                fields.put("uri", URI_);
                fields.put("version", "1");
                fields.put("chainId", LocalChain.CHAIN_ID);
                fields.put("nonce", auth.issueNonce());
                fields.put("issuedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
                JsonNode signed = SiweSigner.sign(chain.tooling(), LocalChain.KEYS.get(1), fields);

                SiweLogin login = auth.signIn(signed.get("message").asText(), signed.get("signature").asText());

                assertThat(login.userId()).isEqualTo(address);
                assertThat(auth.authenticate(login.token())).isPresent();
            }
        }
    }
}
