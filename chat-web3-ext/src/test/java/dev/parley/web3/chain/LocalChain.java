package dev.parley.web3.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.web3.internal.Abi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.web3j.crypto.Credentials;

/**
 * A ganache chain (chain id 1337) on a free 127.0.0.1 port, started by {@code chain.js} with the
 * accounts below funded and the test contracts deployed by account 0: {@code TestToken} (ERC-20),
 * {@code TestNft} (ERC-721), {@code TestMultiToken} (ERC-1155), {@code OwnerWallet} (an
 * ERC-1271 wallet whose owner is account 1), and {@code TestEnsRegistry}/{@code TestEnsResolver}
 * (a minimal ENS registry and resolver). Anyone may mint on the token contracts. Blocks are
 * mined as transactions arrive. Stopped by {@link #close()} (or when the JVM's end closes the
 * node process's stdin).
 */
public final class LocalChain implements AutoCloseable {
    /** Well-known development keys (public: never hold value with them). */
    static final List<String> KEYS = List.of(
            "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
            "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
            "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");
    static final long CHAIN_ID = 1337;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BigInteger GAS = BigInteger.valueOf(1_000_000);

    private final NodeTooling tooling;
    private final Process process;
    private final URI endpoint;
    private final JsonRpcClient rpc;
    private final Map<String, String> contracts;

    private LocalChain(NodeTooling tooling, Process process, URI endpoint, Map<String, String> contracts) {
        this.tooling = tooling;
        this.process = process;
        this.endpoint = endpoint;
        this.contracts = contracts;
        this.rpc = JsonRpcClient.create(endpoint, Duration.ofSeconds(30));
    }

    static LocalChain start(NodeTooling tooling, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("node", "chain.js").directory(tooling.dir().toFile())
                .redirectError(log.toFile());
        pb.environment().put("PARLEY_CHAIN_KEYS", String.join(",", KEYS));
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = first.get(180, TimeUnit.SECONDS);
        } catch (Exception e) {
            line = null;
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IOException("ganache did not start; its log " + log + ":\n" + Files.readString(log));
        }
        JsonNode ready = JSON.readTree(line);
        Map<String, String> contracts = JSON.convertValue(ready.get("contracts"),
                JSON.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        return new LocalChain(tooling, p, URI.create("http://127.0.0.1:" + ready.get("port").asInt()),
                Map.copyOf(contracts));
    }

    URI endpoint() {
        return endpoint;
    }

    JsonRpcClient rpc() {
        return rpc;
    }

    NodeTooling tooling() {
        return tooling;
    }

    /** {@link Chains} with this chain's endpoint. */
    Chains chains() {
        return Chains.builder().endpoint(CHAIN_ID, endpoint).timeout(Duration.ofSeconds(10)).build();
    }

    Credentials account(int i) {
        return Credentials.create(KEYS.get(i));
    }

    /** The EIP-55 address of account {@code i}. */
    String address(int i) {
        return org.web3j.crypto.Keys.toChecksumAddress(account(i).getAddress());
    }

    String token() {
        return contracts.get("TestToken");
    }

    String nft() {
        return contracts.get("TestNft");
    }

    String multiToken() {
        return contracts.get("TestMultiToken");
    }

    String wallet() {
        return contracts.get("OwnerWallet");
    }

    /** The address of a deployed test contract, e.g. {@code TestEnsRegistry}. */
    String contract(String name) {
        String address = contracts.get(name);
        if (address == null) {
            throw new IllegalArgumentException("no contract " + name + " deployed: " + contracts.keySet());
        }
        return address;
    }

    /** Sends a transaction from account {@code from} (ganache holds its key). @return its hash */
    String send(int from, String to, String data, BigInteger value) {
        Map<String, String> tx = new java.util.LinkedHashMap<>();
        tx.put("from", address(from));
        tx.put("to", to);
        tx.put("gas", "0x" + GAS.toString(16));
        tx.put("value", "0x" + value.toString(16));
        if (data != null) {
            tx.put("data", data);
        }
        return rpc.request("eth_sendTransaction", tx).asText();
    }

    String sendEth(int from, String to, BigInteger wei) {
        return send(from, to, null, wei);
    }

    String mintTokens(int to, BigInteger amount) {
        return send(0, token(), Abi.call("mint(address,uint256)", new Abi.Address(address(to)), new Abi.Uint(amount)),
                BigInteger.ZERO);
    }

    String transferTokens(int from, String to, BigInteger amount) {
        return send(from, token(), Abi.call("transfer(address,uint256)", new Abi.Address(to), new Abi.Uint(amount)),
                BigInteger.ZERO);
    }

    String mintNft(int to, long tokenId) {
        return send(0, nft(), Abi.call("mint(address,uint256)", new Abi.Address(address(to)),
                new Abi.Uint(BigInteger.valueOf(tokenId))), BigInteger.ZERO);
    }

    String transferNft(int from, int to, long tokenId) {
        return send(from, nft(), Abi.call("transferFrom(address,address,uint256)", new Abi.Address(address(from)),
                new Abi.Address(address(to)), new Abi.Uint(BigInteger.valueOf(tokenId))), BigInteger.ZERO);
    }

    String mintMulti(int to, long id, long amount) {
        return send(0, multiToken(), Abi.call("mint(address,uint256,uint256)", new Abi.Address(address(to)),
                new Abi.Uint(BigInteger.valueOf(id)), new Abi.Uint(BigInteger.valueOf(amount))), BigInteger.ZERO);
    }

    void mine(int blocks) {
        for (int i = 0; i < blocks; i++) {
            rpc.request("evm_mine");
        }
    }

    void stopMining() {
        rpc.request("miner_stop");
    }

    void startMining() {
        rpc.request("miner_start");
    }

    String snapshot() {
        return rpc.request("evm_snapshot").asText();
    }

    void revert(String snapshot) {
        if (!rpc.request("evm_revert", snapshot).asBoolean()) {
            throw new IllegalStateException("evm_revert " + snapshot + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
