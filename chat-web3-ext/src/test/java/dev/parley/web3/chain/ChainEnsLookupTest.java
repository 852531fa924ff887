package dev.parley.web3.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.accounts.AccountSettings;
import dev.parley.accounts.PasswordHasher;
import dev.parley.core.ErrorCode;
import dev.parley.server.ChatServer;
import dev.parley.tck.MutableClock;
import dev.parley.web3.HttpJson;
import dev.parley.web3.SiweHttpApi;
import dev.parley.web3.SiweMessage;
import dev.parley.web3.SiweSettings;
import dev.parley.web3.internal.Abi;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Sign;

/** ENS names on the local chain, with the minimal registry and resolver of {@code TestEns.sol}. */
@ExtendWith(LocalChainExtension.class)
class ChainEnsLookupTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    @TempDir
    Path dir;

    private static String registry(LocalChain chain) {
        return chain.contract("TestEnsRegistry");
    }

    private static String resolver(LocalChain chain) {
        return chain.contract("TestEnsResolver");
    }

    private static void setResolver(LocalChain chain, byte[] node) {
        chain.send(0, registry(chain), Abi.call("setResolver(bytes32,address)", new Abi.Bytes32(node),
                new Abi.Address(resolver(chain))), BigInteger.ZERO);
    }

    /** The reverse record of account {@code i}: {@code <addr>.addr.reverse} → {@code name}. */
    private static void reverse(LocalChain chain, int i, String name) {
        byte[] node = ChainEnsLookup.namehash(chain.address(i).substring(2).toLowerCase(Locale.ROOT) + ".addr.reverse");
        setResolver(chain, node);
        // string and bytes have the same ABI encoding
        chain.send(0, resolver(chain), Abi.call("setName(bytes32,string)", new Abi.Bytes32(node),
                new Abi.Bytes(name.getBytes(StandardCharsets.UTF_8))), BigInteger.ZERO);
    }

    /** The forward record: {@code name} → account {@code i}'s address. */
    private static void forward(LocalChain chain, String name, int i) {
        byte[] node = ChainEnsLookup.namehash(name);
        setResolver(chain, node);
        chain.send(0, resolver(chain), Abi.call("setAddr(bytes32,address)", new Abi.Bytes32(node),
                new Abi.Address(chain.address(i))), BigInteger.ZERO);
    }

    private static ChainEnsLookup lookup(LocalChain chain, MutableClock clock) {
        return new ChainEnsLookup(chain.chains(), LocalChain.CHAIN_ID, registry(chain), Duration.ofMinutes(5), clock);
    }

    @Test
    void namehashMatchesEip137() {
        HexFormat hex = HexFormat.of();
        assertThat(hex.formatHex(ChainEnsLookup.namehash(""))).isEqualTo("00".repeat(32));
        assertThat(hex.formatHex(ChainEnsLookup.namehash("eth")))
                .isEqualTo("93cdeb708b7545dc668eb9280176169d1c33cfd8ed6f04690a0bcc88a93fc4ae");
        assertThat(hex.formatHex(ChainEnsLookup.namehash("foo.eth")))
                .isEqualTo("de9b09fd7c5f901e23a3f19fecc54828e9c848539801e86591bd9801b019f84f");
    }

    @Test
    void aReverseNameThatResolvesBackIsTheName(LocalChain chain) {
        reverse(chain, 2, "alice.test");
        forward(chain, "alice.test", 2);

        assertThat(lookup(chain, new MutableClock(T0)).nameOf(chain.address(2))).contains("alice.test");
        assertThat(lookup(chain, new MutableClock(T0)).nameOf(chain.address(2).toLowerCase(Locale.ROOT)))
                .contains("alice.test");
    }

    @Test
    void noReverseRecordIsNoName(LocalChain chain) {
        assertThat(lookup(chain, new MutableClock(T0)).nameOf(chain.address(3))).isEmpty();
    }

    @Test
    void aReverseNameThatResolvesToAnotherAddressIsNoName(LocalChain chain) {
        reverse(chain, 2, "vitalik.test");   // anyone can claim any name in their reverse record…
        forward(chain, "vitalik.test", 3);   // …but it resolves to someone else

        assertThat(lookup(chain, new MutableClock(T0)).nameOf(chain.address(2))).isEmpty();
    }

    @Test
    void aReverseNameWithoutForwardRecordIsNoName(LocalChain chain) {
        reverse(chain, 2, "nobody.test");

        assertThat(lookup(chain, new MutableClock(T0)).nameOf(chain.address(2))).isEmpty();
    }

    @Test
    void aNameThatIsNotNormalisedIsNoName(LocalChain chain) {
        reverse(chain, 2, "Alice.test");
        forward(chain, "Alice.test", 2);
        reverse(chain, 3, "bob .test");
        forward(chain, "bob .test", 3);

        assertThat(lookup(chain, new MutableClock(T0)).nameOf(chain.address(2))).isEmpty();
        assertThat(lookup(chain, new MutableClock(T0)).nameOf(chain.address(3))).isEmpty();
    }

    @Test
    void answersAreCachedForTheTtl(LocalChain chain) {
        MutableClock clock = new MutableClock(T0);
        ChainEnsLookup ens = lookup(chain, clock);
        assertThat(ens.nameOf(chain.address(2))).isEmpty();
        reverse(chain, 2, "late.test");
        forward(chain, "late.test", 2);

        clock.advance(Duration.ofMinutes(4));
        assertThat(ens.nameOf(chain.address(2))).as("cached").isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(ens.nameOf(chain.address(2))).contains("late.test");
    }

    @Test
    void aChainThatIsDownIsThrownNotCachedAsNoName(LocalChain chain) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Chains down = Chains.builder().endpoint(LocalChain.CHAIN_ID, URI.create("http://127.0.0.1:" + port))
                .timeout(Duration.ofSeconds(2)).build();
        ChainEnsLookup ens = new ChainEnsLookup(down, LocalChain.CHAIN_ID, registry(chain), Duration.ofMinutes(5),
                new MutableClock(T0));

        assertThatThrownBy(() -> ens.nameOf(chain.address(2))).isInstanceOfSatisfying(ChainException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        assertThatThrownBy(() -> ens.nameOf("0x1234")).isInstanceOfSatisfying(ChainException.class,
                e -> assertThat(e.reason()).isEqualTo(ChainError.MALFORMED_INPUT));
    }

    @Test
    void noRegistryAtTheAddressIsAChainError(LocalChain chain) {
        ChainEnsLookup ens = new ChainEnsLookup(chain.chains(), LocalChain.CHAIN_ID, chain.address(4),
                Duration.ofMinutes(5), new MutableClock(T0));

        assertThatThrownBy(() -> ens.nameOf(chain.address(2))).isInstanceOfSatisfying(ChainException.class,
                e -> assertThat(e.reason()).isEqualTo(ChainError.NO_CONTRACT));
    }

    @Test
    void walletProfilesShowTheEnsNameOverHttp(LocalChain chain) {
        reverse(chain, 2, "alice.test");
        forward(chain, "alice.test", 2);
        SiweSettings siwe = SiweSettings.builder().domain("chat.example.com").uri("https://chat.example.com")
                .chainIds(Set.of(LocalChain.CHAIN_ID)).build();
        try (ChatServer server = ChatServer.builder().host("127.0.0.1").port(0).dataDir(dir)
                .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
                .addApiExtension(SiweHttpApi.extension(siwe, chain.chains(), lookup(chain, new MutableClock(T0))))
                .start()) {
            HttpJson http = new HttpJson(server.httpUri());
            String nonce = http.post("/api/v1/auth/siwe/nonce", null, Map.of()).json().get("nonce").asText();
            String text = new SiweMessage("https", "chat.example.com", chain.address(2), "Sign in",
                    "https://chat.example.com", "1", LocalChain.CHAIN_ID, nonce,
                    Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null, null, null, List.of()).toMessage();
            Sign.SignatureData s = Sign.signPrefixedMessage(text.getBytes(StandardCharsets.UTF_8),
                    chain.account(2).getEcKeyPair());
            HexFormat hex = HexFormat.of();
            String token = http.post("/api/v1/auth/siwe/login", null, Map.of("message", text, "signature",
                    "0x" + hex.formatHex(s.getR()) + hex.formatHex(s.getS()) + hex.formatHex(s.getV())))
                    .json().get("token").asText();

            assertThat(http.get("/api/v1/me/wallets", token).json().at("/wallets/0/ensName").asText())
                    .isEqualTo("alice.test");
            assertThat(Optional.ofNullable(http.get("/api/v1/users/" + chain.address(2) + "/wallets", token).json()
                    .at("/wallets/0/ensName").textValue())).contains("alice.test");
        }
    }
}
