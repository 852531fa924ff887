package dev.parley.web3.chain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.accounts.AccountSettings;
import dev.parley.accounts.PasswordHasher;
import dev.parley.core.ChatEngine;
import dev.parley.core.Conversation;
import dev.parley.core.Member;
import dev.parley.server.ChatServer;
import dev.parley.store.jdbc.JdbcChatStore;
import dev.parley.web3.EnsLookup;
import dev.parley.web3.HttpJson;
import dev.parley.web3.SiweHttpApi;
import dev.parley.web3.SiweMessage;
import dev.parley.web3.SiweSettings;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Sign;

/**
 * The on-chain features over HTTP ({@link ChainHttpApi}) against a real server (SQLite) and the
 * local chain: wallet users signed in with SIWE, NFT avatars, token gates (joined by invite over
 * the WebSocket), tips; every refusal with its status, code and reason.
 */
@ExtendWith(LocalChainExtension.class)
class ChainHttpApiTest {
    private static final String DOMAIN = "chat.example.com";
    private static final String URI_ = "https://chat.example.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private JdbcChatStore store;
    private ChatEngine engine;
    private ChatServer server;
    private ChainHttpApi api;
    private HttpJson http;
    private LocalChain chain;
    private final Map<Integer, String> tokens = new HashMap<>();

    private void start(LocalChain chain, Chains chains, java.util.function.UnaryOperator<ChainHttpApi.Builder> options) {
        this.chain = chain;
        store = JdbcChatStore.sqlite(dir.resolve("chat.db"));
        WalletAddresses wallets = WalletAddresses.linked(store);
        TokenGates gates = new TokenGates(store, chains, wallets);
        engine = ChatEngine.builder().store(store).membershipPolicy(gates).build();
        api = options.apply(ChainHttpApi.builder(engine, chains).wallets(wallets).gates(gates)).build();
        SiweSettings siwe = SiweSettings.builder().domain(DOMAIN).uri(URI_).chainIds(Set.of(LocalChain.CHAIN_ID)).build();
        server = ChatServer.builder().host("127.0.0.1").port(0).engine(engine)
                .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
                .addApiExtension(SiweHttpApi.extension(siwe, chains, EnsLookup.none()))
                .addApiExtension(accounts -> api)
                .start();
        http = new HttpJson(server.httpUri());
    }

    private void start(LocalChain chain) {
        start(chain, chain.chains(), b -> b);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** A session of local-chain account {@code i}, signed in with Ethereum (creating its user). */
    private String token(int i) {
        return tokens.computeIfAbsent(i, k -> {
            String nonce = http.post("/api/v1/auth/siwe/nonce", null, Map.of()).json().get("nonce").asText();
            String text = new SiweMessage("https", DOMAIN, chain.address(i), "Sign in", URI_, "1", LocalChain.CHAIN_ID,
                    nonce, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), null, null, null, List.of())
                    .toMessage();
            Sign.SignatureData s = Sign.signPrefixedMessage(text.getBytes(StandardCharsets.UTF_8),
                    chain.account(i).getEcKeyPair());
            HexFormat hex = HexFormat.of();
            String signature = "0x" + hex.formatHex(s.getR()) + hex.formatHex(s.getS()) + hex.formatHex(s.getV());
            HttpJson.Response r = http.post("/api/v1/auth/siwe/login", null, Map.of("message", text, "signature", signature));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            return r.json().get("token").asText();
        });
    }

    private static void assertRefused(HttpJson.Response r, int status, String code, String reason) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.code()).isEqualTo(code);
        if (reason != null) {
            assertThat(r.message()).startsWith(reason + ":");
        }
    }

    private String nft(long tokenId) {
        return "eip155:" + LocalChain.CHAIN_ID + "/erc721:" + chain.nft() + "/" + tokenId;
    }

    // ------------------------------------------------------------------ avatars

    @Test
    void anOwnedNftBecomesTheAvatarAndOthersSeeItVerified(LocalChain chain) {
        start(chain);
        chain.mintNft(1, 7);

        HttpJson.Response set = http.put("/api/v1/me/avatar", token(1), Map.of("assetId", nft(7)));

        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().get("status").asText()).isEqualTo("VERIFIED");
        assertThat(set.json().get("avatar").asText()).isEqualTo(nft(7));
        assertThat(set.json().at("/user/avatar").asText()).isEqualTo(nft(7));
        HttpJson.Response status = http.get("/api/v1/users/" + chain.address(1) + "/avatar", token(2));
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().get("status").asText()).isEqualTo("VERIFIED");
        assertThat(status.json().get("owner").asText()).isEqualTo(chain.address(1));
        assertThat(Instant.parse(status.json().get("checkedAt").asText())).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    void aSoldNftIsMarkedNotOwnedByTheRecheck(LocalChain chain) {
        start(chain);
        chain.mintNft(1, 8);
        assertThat(http.put("/api/v1/me/avatar", token(1), Map.of("assetId", nft(8))).status()).isEqualTo(200);
        chain.transferNft(1, 2, 8);
        assertThat(http.get("/api/v1/users/" + chain.address(1) + "/avatar", token(2)).json().get("status").asText())
                .as("cached until the TTL or a re-check").isEqualTo("VERIFIED");

        assertThat(api.avatars().recheck()).isEqualTo(1);

        JsonNode status = http.get("/api/v1/users/" + chain.address(1) + "/avatar", token(2)).json();
        assertThat(status.get("status").asText()).isEqualTo("NOT_OWNED");
        assertThat(status.get("detail").asText()).containsIgnoringCase(chain.address(2));
    }

    @Test
    void avatarRefusals(LocalChain chain) {
        start(chain);
        chain.mintNft(1, 9);

        assertRefused(http.put("/api/v1/me/avatar", token(2), Map.of("assetId", nft(9))), 403, "forbidden", "not_owned");
        assertRefused(http.put("/api/v1/me/avatar", token(2), Map.of("assetId", nft(404))), 403, "forbidden",
                "not_owned");
        assertRefused(http.put("/api/v1/me/avatar", token(1), Map.of("assetId", "eip155:1337/erc721:0x12/9")), 400,
                "bad_request", "malformed_input");
        assertRefused(http.put("/api/v1/me/avatar", token(1), Map.of("assetId", "https://example.com/a.png")), 400,
                "bad_request", "malformed_input");
        assertRefused(http.put("/api/v1/me/avatar", token(1), Map.of("assetId",
                "eip155:1/erc721:" + chain.nft() + "/9")), 400, "bad_request", "chain_not_configured");
        assertRefused(http.put("/api/v1/me/avatar", token(1), Map.of("assetId",
                "eip155:1337/erc721:" + chain.address(3) + "/9")), 400, "bad_request", "no_contract");
        assertRefused(http.put("/api/v1/me/avatar", token(1), Map.of()), 400, "bad_request", null);
        assertRefused(http.put("/api/v1/me/avatar", null, Map.of("assetId", nft(9))), 401, "unauthenticated", null);
        assertThat(http.get("/api/v1/users/" + chain.address(2) + "/avatar", token(1)).json().get("avatar").isNull())
                .as("nothing was set").isTrue();
    }

    @Test
    void avatarStatusOfAUserWithoutAnNftAvatarIsNoneAndOfAnUnknownUserNotFound(LocalChain chain) {
        start(chain);
        token(2);

        JsonNode none = http.get("/api/v1/users/" + chain.address(2) + "/avatar", token(1)).json();
        assertThat(none.get("status").asText()).isEqualTo("NONE");
        assertThat(none.has("checkedAt")).isFalse();
        assertRefused(http.get("/api/v1/users/nobody/avatar", token(1)), 404, "not_found", null);
        assertRefused(http.get("/api/v1/users/" + chain.address(2) + "/avatar", null), 401, "unauthenticated", null);
    }

    @Test
    void onAServerThatBuildsItsEngineAvatarsAndTipsAreServedButNotGates(LocalChain chain) {
        this.chain = chain;
        SiweSettings siwe = SiweSettings.builder().domain(DOMAIN).uri(URI_).chainIds(Set.of(LocalChain.CHAIN_ID)).build();
        server = ChatServer.builder().host("127.0.0.1").port(0).dataDir(dir)
                .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
                .addApiExtension(SiweHttpApi.extension(siwe, chain.chains(), EnsLookup.none()))
                .addApiExtension(ChainHttpApi.extension(chain.chains(), b -> b.tipConfirmations(1)))
                .start();
        http = new HttpJson(server.httpUri());
        chain.mintNft(1, 11);

        assertThat(http.put("/api/v1/me/avatar", token(1), Map.of("assetId", nft(11))).json().get("status").asText())
                .isEqualTo("VERIFIED");
        Conversation g = server.engine().createGroup(chain.address(1), "G", List.of());
        assertRefused(http.get("/api/v1/conversations/" + g.id() + "/gate", token(1)), 404, "not_found", null);
    }

    @Test
    void gatesWithAnEngineTheServerBuildsFailTheStart(LocalChain chain) {
        store = JdbcChatStore.sqlite(dir.resolve("other.db"));
        TokenGates gates = new TokenGates(store, chain.chains(), WalletAddresses.userIdIsAddress());
        ChatServer.Builder builder = ChatServer.builder().host("127.0.0.1").port(0).dataDir(dir)
                .addApiExtension(ChainHttpApi.extension(chain.chains(), b -> b.gates(gates)));

        org.assertj.core.api.Assertions.assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("membership policy");
    }

    // ------------------------------------------------------------------ gates

    private Conversation group(int owner, int... members) {
        token(owner);
        List<String> ids = new java.util.ArrayList<>();
        for (int m : members) {
            token(m);
            ids.add(chain.address(m));
        }
        return engine.createGroup(chain.address(owner), "Holders", ids);
    }

    private Map<String, Object> erc20Gate(long minimum) {
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("chainId", LocalChain.CHAIN_ID);
        gate.put("standard", "ERC20");
        gate.put("contract", chain.token());
        gate.put("minimum", Long.toString(minimum));
        return gate;
    }

    @Test
    void ownersSetReadAndRemoveAGate(LocalChain chain) {
        start(chain);
        Conversation g = group(1, 2);
        String path = "/api/v1/conversations/" + g.id() + "/gate";

        HttpJson.Response set = http.put(path, token(1), erc20Gate(100));
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().at("/gate/minimum").asText()).isEqualTo("100");
        JsonNode read = http.get(path, token(2)).json().get("gate");
        assertThat(read.get("standard").asText()).isEqualTo("ERC20");
        assertThat(read.get("contract").asText()).isEqualTo(chain.token());
        assertThat(read.get("chainId").asLong()).isEqualTo(LocalChain.CHAIN_ID);

        assertThat(http.delete(path, token(1)).status()).isEqualTo(204);
        assertThat(http.get(path, token(2)).json().get("gate").isNull()).isTrue();
        assertRefused(http.delete(path, token(1)), 404, "not_found", null);
    }

    @Test
    void gateRefusals(LocalChain chain) {
        start(chain);
        Conversation g = group(1, 2);
        token(3);
        String path = "/api/v1/conversations/" + g.id() + "/gate";

        assertRefused(http.put(path, token(2), erc20Gate(1)), 403, "forbidden", null);
        assertRefused(http.put(path, token(3), erc20Gate(1)), 403, "forbidden", null);
        assertRefused(http.get(path, token(3)), 403, "forbidden", null);
        assertRefused(http.delete(path, token(2)), 403, "forbidden", null);
        assertRefused(http.put("/api/v1/conversations/nope/gate", token(1), erc20Gate(1)), 404, "not_found", null);
        Map<String, Object> bad = erc20Gate(1);
        bad.put("standard", "ERC1155");
        assertRefused(http.put(path, token(1), bad), 400, "bad_request", "malformed_input");
        bad = erc20Gate(1);
        bad.put("contract", "0x12");
        assertRefused(http.put(path, token(1), bad), 400, "bad_request", "malformed_input");
        bad = erc20Gate(1);
        bad.put("minimum", "-1");
        assertRefused(http.put(path, token(1), bad), 400, "bad_request", "malformed_input");
        bad = erc20Gate(1);
        bad.put("minimum", "0");
        assertRefused(http.put(path, token(1), bad), 400, "bad_request", "malformed_input");
        bad = erc20Gate(1);
        bad.put("chainId", "x");
        assertRefused(http.put(path, token(1), bad), 400, "bad_request", "malformed_input");
        bad = erc20Gate(1);
        bad.put("chainId", 1);
        assertRefused(http.put(path, token(1), bad), 400, "bad_request", "chain_not_configured");
        bad = erc20Gate(1);
        bad.remove("minimum");
        assertRefused(http.put(path, token(1), bad), 400, "bad_request", null);
        assertThat(http.get(path, token(1)).json().get("gate").isNull()).as("nothing was stored").isTrue();
    }

    @Test
    void joiningAGatedGroupByInviteNeedsTheTokens(LocalChain chain) throws Exception {
        start(chain);
        Conversation g = group(1);
        chain.mintTokens(2, BigInteger.valueOf(100));
        chain.mintTokens(3, BigInteger.valueOf(99));
        assertThat(http.put("/api/v1/conversations/" + g.id() + "/gate", token(1), erc20Gate(100)).status())
                .isEqualTo(200);
        String code = engine.createInvite(chain.address(1), g.id(), null, null).code();

        JsonNode refused = join(token(3), code);
        assertThat(refused.at("/error/code").asText()).isEqualTo("forbidden");
        assertThat(refused.at("/error/message").asText()).startsWith("gate_not_met:").contains("holds 99");
        JsonNode joined = join(token(2), code);
        assertThat(joined.get("ok").asBoolean()).as(joined.toString()).isTrue();
        assertThat(store.members(g.id())).extracting(Member::userId)
                .containsExactlyInAnyOrder(chain.address(1), chain.address(2));
    }

    @Test
    void theScheduledRecheckRemovesMembersWhoSoldAndStopsWithTheServer(LocalChain chain) throws Exception {
        start(chain, chain.chains(), b -> b.gateRechecks(Duration.ofMillis(200)));
        chain.mintTokens(2, BigInteger.valueOf(100));
        Conversation g = group(1, 2);
        assertThat(http.put("/api/v1/conversations/" + g.id() + "/gate", token(1), erc20Gate(100)).status())
                .isEqualTo(200);

        chain.transferTokens(2, chain.address(4), BigInteger.ONE);

        awaitTrue(() -> store.findMember(g.id(), chain.address(2)).isEmpty(), "member 2 removed by the re-check");
        assertThat(store.findMember(g.id(), chain.address(1))).as("the owner stays").isPresent();
        assertThat(gateThreads()).isPositive();
        server.close();
        awaitTrue(() -> gateThreads() == 0, "re-check thread stopped with the server");
    }

    private static long gateThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("parley-web3-gates") && t.isAlive()).count();
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).until(condition::getAsBoolean);
    }

    /** {@code group.join} over the WebSocket, after {@code hello}: the reply frame. */
    private JsonNode join(String token, String code) throws Exception {
        LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("parley.v1")
                .buildAsync(server.webSocketUri(), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frames.add(text.toString());
                            text.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            ws.sendText(JSON.writeValueAsString(Map.of("id", 1, "type", "hello", "token", token)), true).get();
            assertThat(reply(frames, 1).get("ok").asBoolean()).isTrue();
            ws.sendText(JSON.writeValueAsString(Map.of("id", 2, "type", "group.join", "code", code)), true).get();
            return reply(frames, 2);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode reply(LinkedBlockingQueue<String> frames, int id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String frame = frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no reply to command " + id);
            }
            JsonNode n = JSON.readTree(frame);
            if (n.path("re").asInt(-1) == id) {
                return n;
            }
        }
    }

    // ------------------------------------------------------------------ tips

    private Map<String, Object> tip(int recipient, String txHash, String amount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("recipientId", chain.address(recipient));
        body.put("chainId", LocalChain.CHAIN_ID);
        body.put("txHash", txHash);
        body.put("amount", amount);
        return body;
    }

    @Test
    void anEtherTipAppearsOnceAsAMessage(LocalChain chain) {
        start(chain);
        Conversation g = group(1, 2);
        String hash = chain.sendEth(1, chain.address(2), BigInteger.valueOf(1234));
        String path = "/api/v1/conversations/" + g.id() + "/tips";

        HttpJson.Response r = http.post(path, token(1), tip(2, hash, "1234"));

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/tip/amount").asText()).isEqualTo("1234");
        assertThat(r.json().at("/tip/from").asText()).isEqualTo(chain.address(1));
        assertThat(r.json().at("/tip/token").isNull()).isTrue();
        assertThat(r.json().at("/message/body/text").asText()).startsWith("Tip to " + chain.address(2) + ": 1234 wei");
        assertThat(r.json().at("/message/senderId").asText()).isEqualTo(chain.address(1));
        JsonNode history = http.get("/api/v1/conversations/" + g.id() + "/messages", token(2)).json().get("messages");
        assertThat(history).anySatisfy(m -> assertThat(m.at("/body/text").asText()).contains(hash));

        assertRefused(http.post(path, token(1), tip(2, hash, "1234")), 409, "conflict", "tx_already_used");
    }

    @Test
    void anErc20TipIsCheckedAgainstTheTransferLog(LocalChain chain) {
        start(chain);
        Conversation g = group(1, 2);
        chain.mintTokens(1, BigInteger.valueOf(500));
        String hash = chain.transferTokens(1, chain.address(2), BigInteger.valueOf(200));
        Map<String, Object> body = tip(2, hash, "200");
        body.put("token", chain.token());

        HttpJson.Response r = http.post("/api/v1/conversations/" + g.id() + "/tips", token(1), body);

        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().at("/tip/token").asText()).isEqualTo(chain.token());
        body.put("amount", "201");
        assertRefused(http.post("/api/v1/conversations/" + g.id() + "/tips", token(1), body), 400, "bad_request",
                "tx_mismatch");
    }

    @Test
    void tipRefusals(LocalChain chain) {
        start(chain);
        Conversation g = group(1, 2, 3);
        token(4);
        String path = "/api/v1/conversations/" + g.id() + "/tips";
        String toThree = chain.sendEth(1, chain.address(3), BigInteger.valueOf(10));

        assertRefused(http.post(path, token(1), tip(2, toThree, "10")), 400, "bad_request", "tx_mismatch");
        assertRefused(http.post(path, token(1), tip(3, toThree, "11")), 400, "bad_request", "tx_mismatch");
        assertRefused(http.post(path, token(2), tip(3, toThree, "10")), 400, "bad_request", "tx_mismatch");
        assertRefused(http.post(path, token(4), tip(3, toThree, "10")), 403, "forbidden", null);
        assertRefused(http.post(path, token(1), tip(4, toThree, "10")), 404, "not_found", null);
        assertRefused(http.post(path, token(1), tip(2, "0x" + "ab".repeat(32), "10")), 404, "not_found", "tx_unknown");
        assertRefused(http.post(path, token(1), tip(3, "0x1234", "10")), 400, "bad_request", "malformed_input");
        assertRefused(http.post(path, token(1), tip(3, toThree, "ten")), 400, "bad_request", "malformed_input");
        assertRefused(http.post(path, token(1), tip(3, toThree, "0")), 400, "bad_request", "malformed_input");
        Map<String, Object> noRecipient = tip(3, toThree, "10");
        noRecipient.remove("recipientId");
        assertRefused(http.post(path, token(1), noRecipient), 400, "bad_request", null);
        assertRefused(http.post(path, null, tip(3, toThree, "10")), 401, "unauthenticated", null);

        assertThat(http.post(path, token(1), tip(3, toThree, "10")).status()).as("the hash is still usable")
                .isEqualTo(201);
    }

    @Test
    void aPendingTransactionIsARetryableRefusal(LocalChain chain) {
        start(chain);
        Conversation g = group(1, 2);
        String path = "/api/v1/conversations/" + g.id() + "/tips";
        chain.stopMining();
        String pending = chain.sendEth(1, chain.address(2), BigInteger.valueOf(5));

        assertRefused(http.post(path, token(1), tip(2, pending, "5")), 503, "unavailable", "tx_not_confirmed");
        assertThat(http.post(path, token(1), tip(2, pending, "5")).json().at("/error/retryable").asBoolean()).isTrue();

        chain.startMining();
        chain.mine(1);
        assertThat(http.post(path, token(1), tip(2, pending, "5")).status()).isEqualTo(201);
    }
}
