package dev.parley.web3;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.accounts.AccountSettings;
import dev.parley.accounts.PasswordHasher;
import dev.parley.server.ChatServer;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

/** Sign-In with Ethereum over HTTP against a real server: sessions, bad input, linking. */
class SiweHttpApiTest {
    static final String DOMAIN = "chat.example.com";
    static final String URI_ = "https://chat.example.com";
    static final ECKeyPair WALLET = ECKeyPair.create(new BigInteger("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", 16));
    static final ECKeyPair OTHER = ECKeyPair.create(BigInteger.valueOf(424242));
    static final String ADDRESS = Keys.toChecksumAddress(Keys.getAddress(WALLET));
    static final String OTHER_ADDRESS = Keys.toChecksumAddress(Keys.getAddress(OTHER));
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;
    private ChatServer server;
    private HttpJson http;

    static SiweSettings settings() {
        return SiweSettings.builder().domain(DOMAIN).uri(URI_).chainIds(java.util.Set.of(1L, 1337L)).build();
    }

    private void start() {
        server = ChatServer.builder().host("127.0.0.1").port(0).dataDir(dir)
                .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
                .addApiExtension(SiweHttpApi.extension(settings()))
                .start();
        http = new HttpJson(server.httpUri());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A well-formed message for the test server, issued now, valid ten minutes. */
    static String message(String address, String nonce) {
        return message(DOMAIN, address, URI_, nonce, Instant.now(), Instant.now().plus(Duration.ofMinutes(10)));
    }

    static String message(String domain, String address, String uri, String nonce, Instant issued, Instant expires) {
        return new SiweMessage("https", domain, address, "Sign in to Parley", uri, "1", 1337, nonce,
                issued.truncatedTo(ChronoUnit.SECONDS).toString(),
                expires == null ? null : expires.truncatedTo(ChronoUnit.SECONDS).toString(), null, null, null)
                .toMessage();
    }

    private String nonce() {
        HttpJson.Response r = http.post("/api/v1/auth/siwe/nonce", null, Map.of());
        assertThat(r.status()).isEqualTo(200);
        return r.json().get("nonce").asText();
    }

    private HttpJson.Response login(String text, ECKeyPair key) {
        return http.post("/api/v1/auth/siwe/login", null,
                Map.of("message", text, "signature", SiweAuthenticatorTest.sign(text, key)));
    }

    private String walletToken(ECKeyPair key, String address) {
        HttpJson.Response r = login(message(address, nonce()), key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("token").asText();
    }

    private String passwordToken(String username) {
        assertThat(http.post("/api/v1/auth/register", null, Map.of("username", username, "password", PASSWORD))
                .status()).isEqualTo(201);
        return http.post("/api/v1/auth/login", null, Map.of("username", username, "password", PASSWORD))
                .json().get("token").asText();
    }

    private void assertRefused(HttpJson.Response r, int status, String code, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().at("/error/code").asText()).isEqualTo(code);
        assertThat(r.json().at("/error/message").asText()).startsWith(reason + ":");
    }

    @Test
    void walletSignInGivesASessionLikeAPasswordLogin() {
        start();
        HttpJson.Response r = login(message(ADDRESS, nonce()), WALLET);

        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.json();
        assertThat(body.get("userId").asText()).isEqualTo(ADDRESS);
        assertThat(body.fieldNames()).toIterable().containsExactlyInAnyOrder("token", "userId", "sessionId", "expiresAt");
        String token = body.get("token").asText();
        JsonNode me = http.get("/api/v1/me", token).json();
        assertThat(me.at("/user/id").asText()).isEqualTo(ADDRESS);
        assertThat(me.at("/user/name").asText()).isEqualTo(ADDRESS.substring(0, 6) + "…" + ADDRESS.substring(38));
        assertThat(me.get("username").asText()).isEqualTo(ADDRESS.toLowerCase());
        JsonNode sessions = http.get("/api/v1/me/sessions", token).json().get("sessions");
        assertThat(sessions).extracting(s -> s.get("id").asText()).containsExactly(body.get("sessionId").asText());
        JsonNode wallets = http.get("/api/v1/me/wallets", token).json().get("wallets");
        assertThat(wallets).hasSize(1);
        assertThat(wallets.get(0).get("address").asText()).isEqualTo(ADDRESS);
        assertThat(wallets.get(0).get("ensName").isNull()).isTrue();

        assertThat(http.post("/api/v1/auth/logout", token, Map.of()).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/me", token).status()).isEqualTo(401);
    }

    @Test
    void walletSessionSurvivesARestart() {
        start();
        String token = walletToken(WALLET, ADDRESS);
        server.close();

        start();

        assertThat(http.get("/api/v1/me", token).json().at("/user/id").asText()).isEqualTo(ADDRESS);
    }

    @Test
    void badSignInsAreRefusedWithTheirDocumentedCodes() {
        start();
        Instant now = Instant.now();
        String wrongDomain = message("evil.example.com", ADDRESS, URI_, nonce(), now, null);
        assertRefused(login(wrongDomain, WALLET), 401, "unauthenticated", "domain_mismatch");

        String wrongUri = message(DOMAIN, ADDRESS, "https://evil.example.com", nonce(), now, null);
        assertRefused(login(wrongUri, WALLET), 401, "unauthenticated", "uri_mismatch");

        String expired = message(DOMAIN, ADDRESS, URI_, nonce(), now.minus(Duration.ofMinutes(8)),
                now.minus(Duration.ofMinutes(3)));
        assertRefused(login(expired, WALLET), 401, "unauthenticated", "expired");

        String byOther = message(ADDRESS, nonce());
        assertRefused(login(byOther, OTHER), 401, "unauthenticated", "signature_mismatch");

        String neverIssued = message(ADDRESS, "NeverIssued123");
        assertRefused(login(neverIssued, WALLET), 401, "unauthenticated", "nonce_invalid");

        String malformed = message(ADDRESS, nonce()).replace("Version: 1", "Version: 2");
        assertRefused(login(malformed, WALLET), 400, "bad_request", "malformed_message");

        HttpJson.Response badSignature = http.post("/api/v1/auth/siwe/login", null,
                Map.of("message", message(ADDRESS, nonce()), "signature", "0x1234"));
        assertRefused(badSignature, 400, "bad_request", "malformed_signature");

        HttpJson.Response missing = http.post("/api/v1/auth/siwe/login", null, Map.of("message", "x"));
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/message").asText()).isEqualTo("signature is required");
    }

    @Test
    void aNonceWorksOnceButSurvivesARefusedAttempt() {
        start();
        String nonce = nonce();
        String text = message(ADDRESS, nonce);
        assertRefused(login(text, OTHER), 401, "unauthenticated", "signature_mismatch");

        assertThat(login(text, WALLET).status()).as("a forged attempt did not burn it").isEqualTo(200);
        assertRefused(login(text, WALLET), 401, "unauthenticated", "nonce_invalid");
        assertRefused(login(message(ADDRESS, nonce), WALLET), 401, "unauthenticated", "nonce_invalid");
    }

    @Test
    void linkedWalletSignsInThePasswordAccountAndShowsOnItsProfile() {
        start();
        String alice = passwordToken("alice");
        String aliceId = http.get("/api/v1/me", alice).json().at("/user/id").asText();
        String nonce = http.post("/api/v1/me/wallets/nonce", alice, Map.of()).json().get("nonce").asText();
        String text = message(ADDRESS, nonce);

        HttpJson.Response linked = http.post("/api/v1/me/wallets", alice,
                Map.of("message", text, "signature", SiweAuthenticatorTest.sign(text, WALLET)));

        assertThat(linked.status()).as(linked.body()).isEqualTo(201);
        assertThat(linked.json().get("address").asText()).isEqualTo(ADDRESS);
        assertThat(linked.json().has("ensName")).isTrue();
        String bob = passwordToken("bob");
        JsonNode profile = http.get("/api/v1/users/" + aliceId + "/wallets", bob).json().get("wallets");
        assertThat(profile).extracting(w -> w.get("address").asText()).containsExactly(ADDRESS);
        HttpJson.Response walletLogin = login(message(ADDRESS, nonce()), WALLET);
        assertThat(walletLogin.json().get("userId").asText()).isEqualTo(aliceId);
        assertThat(http.get("/api/v1/users/" + aliceId + "/wallets", null).status()).isEqualTo(401);
    }

    @Test
    void linkingNeedsTheSessionAndTheWalletsOwnSignatureOverALinkNonce() {
        start();
        String alice = passwordToken("alice");
        String nonce = http.post("/api/v1/me/wallets/nonce", alice, Map.of()).json().get("nonce").asText();
        String text = message(ADDRESS, nonce);

        HttpJson.Response wrongKey = http.post("/api/v1/me/wallets", alice,
                Map.of("message", text, "signature", SiweAuthenticatorTest.sign(text, OTHER)));
        assertRefused(wrongKey, 401, "unauthenticated", "signature_mismatch");

        HttpJson.Response noSession = http.post("/api/v1/me/wallets", null,
                Map.of("message", text, "signature", SiweAuthenticatorTest.sign(text, WALLET)));
        assertThat(noSession.status()).isEqualTo(401);

        String bob = passwordToken("bob");
        HttpJson.Response othersNonce = http.post("/api/v1/me/wallets", bob,
                Map.of("message", text, "signature", SiweAuthenticatorTest.sign(text, WALLET)));
        assertRefused(othersNonce, 401, "unauthenticated", "nonce_invalid");

        String loginNonceText = message(ADDRESS, nonce());
        HttpJson.Response loginNonce = http.post("/api/v1/me/wallets", alice,
                Map.of("message", loginNonceText, "signature", SiweAuthenticatorTest.sign(loginNonceText, WALLET)));
        assertRefused(loginNonce, 401, "unauthenticated", "nonce_invalid");

        assertThat(http.get("/api/v1/me/wallets", alice).json().get("wallets")).isEmpty();
        assertThat(http.post("/api/v1/me/wallets", alice,
                Map.of("message", text, "signature", SiweAuthenticatorTest.sign(text, WALLET))).status()).isEqualTo(201);
    }

    @Test
    void linkingAWalletOfAnotherAccountIsConflict() {
        start();
        walletToken(WALLET, ADDRESS); // the wallet now has its own account
        String alice = passwordToken("alice");
        String text = message(ADDRESS, http.post("/api/v1/me/wallets/nonce", alice, Map.of()).json().get("nonce").asText());

        HttpJson.Response r = http.post("/api/v1/me/wallets", alice,
                Map.of("message", text, "signature", SiweAuthenticatorTest.sign(text, WALLET)));

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("conflict");
        assertThat(http.get("/api/v1/me/wallets", alice).json().get("wallets")).isEmpty();
    }

    @Test
    void unlinkTakesAnyCaseAndKeepsTheLastWayIn() {
        start();
        String walletOnly = walletToken(WALLET, ADDRESS);
        HttpJson.Response last = http.delete("/api/v1/me/wallets/" + ADDRESS.toLowerCase(), walletOnly);
        assertThat(last.status()).isEqualTo(409);

        String alice = passwordToken("alice");
        String text = message(OTHER_ADDRESS, http.post("/api/v1/me/wallets/nonce", alice, Map.of()).json()
                .get("nonce").asText());
        http.post("/api/v1/me/wallets", alice, Map.of("message", text, "signature", SiweAuthenticatorTest.sign(text, OTHER)));
        assertThat(http.delete("/api/v1/me/wallets/" + ADDRESS, alice).status()).as("not hers").isEqualTo(404);
        assertThat(http.delete("/api/v1/me/wallets/0x123", alice).status()).isEqualTo(400);
        assertThat(http.delete("/api/v1/me/wallets/" + OTHER_ADDRESS.toLowerCase(), alice).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/me/wallets", alice).json().get("wallets")).isEmpty();
        assertThat(login(message(OTHER_ADDRESS, nonce()), OTHER).json().get("userId").asText())
                .as("the unlinked wallet now signs in as itself").isEqualTo(OTHER_ADDRESS);
    }
}
