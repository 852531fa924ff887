package dev.parley.web3.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.AccountSettings;
import dev.parley.accounts.PasswordHasher;
import dev.parley.server.ChatServer;
import dev.parley.web3.EnsLookup;
import dev.parley.web3.HttpJson;
import dev.parley.web3.SiweHttpApi;
import dev.parley.web3.SiweMessage;
import dev.parley.web3.SiweSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/** Contract wallets (ERC-1271) sign in over HTTP: {@code SiweHttpApi} with the local chain's {@link Chains}. */
@ExtendWith(LocalChainExtension.class)
class ContractWalletHttpSignInTest {
    private static final String DOMAIN = "chat.example.com";
    private static final String URI_ = "https://chat.example.com";

    @TempDir
    Path dir;
    private ChatServer server;
    private HttpJson http;

    private void start(Chains chains) {
        SiweSettings siwe = SiweSettings.builder().domain(DOMAIN).uri(URI_).chainIds(Set.of(1L, LocalChain.CHAIN_ID))
                .build();
        server = ChatServer.builder().host("127.0.0.1").port(0).dataDir(dir)
                .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
                .addApiExtension(SiweHttpApi.extension(siwe, chains, EnsLookup.none()))
                .start();
        http = new HttpJson(server.httpUri());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String nonce() {
        HttpJson.Response r = http.post("/api/v1/auth/siwe/nonce", null, Map.of());
        assertThat(r.status()).isEqualTo(200);
        return r.json().get("nonce").asText();
    }

    private static String message(String address, String nonce) {
        return new SiweMessage("https", DOMAIN, address, "Sign in to Parley", URI_, "1", LocalChain.CHAIN_ID, nonce,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null, null, null, List.of()).toMessage();
    }

    private static String sign(String text, ECKeyPair key) {
        Sign.SignatureData s = Sign.signPrefixedMessage(text.getBytes(StandardCharsets.UTF_8), key);
        HexFormat hex = HexFormat.of();
        return "0x" + hex.formatHex(s.getR()) + hex.formatHex(s.getS()) + hex.formatHex(s.getV());
    }

    private HttpJson.Response login(String text, String signature) {
        return http.post("/api/v1/auth/siwe/login", null, Map.of("message", text, "signature", signature));
    }

    @Test
    void aContractWalletSignsInWithItsOwnersSignature(LocalChain chain) {
        start(chain.chains());
        String text = message(chain.wallet(), nonce());

        HttpJson.Response r = login(text, sign(text, chain.account(1).getEcKeyPair()));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("userId").asText()).isEqualTo(chain.wallet());
        String token = r.json().get("token").asText();
        assertThat(http.get("/api/v1/me", token).json().at("/user/id").asText()).isEqualTo(chain.wallet());
        assertThat(http.get("/api/v1/me/wallets", token).json().at("/wallets/0/address").asText())
                .isEqualTo(chain.wallet());
    }

    @Test
    void anotherKeysSignatureForTheContractWalletIsRefused(LocalChain chain) {
        start(chain.chains());
        String text = message(chain.wallet(), nonce());

        HttpJson.Response r = login(text, sign(text, chain.account(2).getEcKeyPair()));

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.code()).isEqualTo("unauthenticated");
        assertThat(r.message()).startsWith("signature_mismatch:");
    }

    @Test
    void withoutChainsAContractWalletCannotSignIn(LocalChain chain) {
        start(Chains.none());
        String text = message(chain.wallet(), nonce());

        HttpJson.Response r = login(text, sign(text, chain.account(1).getEcKeyPair()));

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.message()).startsWith("signature_mismatch:");
    }

    @Test
    void aChainThatIsDownIsA503AndTheNonceStaysUsable(LocalChain chain) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        start(Chains.builder().endpoint(LocalChain.CHAIN_ID, URI.create("http://127.0.0.1:" + port))
                .timeout(Duration.ofSeconds(2)).build());
        String text = message(chain.wallet(), nonce());
        String signature = sign(text, chain.account(1).getEcKeyPair());

        HttpJson.Response down = login(text, signature);
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.code()).isEqualTo("unavailable");
        assertThat(down.message()).startsWith("chain_unavailable:");

        // an ordinary account's message over the same nonce still signs in: the nonce was not used up
        String eoa = text.replace(chain.wallet(), chain.address(2));
        HttpJson.Response r = login(eoa, sign(eoa, chain.account(2).getEcKeyPair()));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    /** The message is written and signed by siwe + ethers (npm), as a browser wallet does. */
    @Test
    void anIndependentlySignedContractWalletMessageSignsIn(LocalChain chain) throws Exception {
        start(chain.chains());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("domain", DOMAIN);
        fields.put("address", chain.wallet());
        fields.put("statement", "Sign in to Parley");
        fields.put("uri", URI_);
        fields.put("version", "1");
        fields.put("chainId", LocalChain.CHAIN_ID);
        fields.put("nonce", nonce());
        fields.put("issuedAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
        JsonNode signed = SiweSigner.sign(chain.tooling(), LocalChain.KEYS.get(1), fields);

        HttpJson.Response r = login(signed.get("message").asText(), signed.get("signature").asText());

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("userId").asText()).isEqualTo(chain.wallet());
    }
}
