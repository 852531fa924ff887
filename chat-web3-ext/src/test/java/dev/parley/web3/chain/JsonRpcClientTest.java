package dev.parley.web3.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ErrorCode;
import dev.parley.web3.internal.Abi;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalChainExtension.class)
class JsonRpcClientTest {
    private static final String UNKNOWN_HASH = "0x" + "ab".repeat(32);

    @Test
    void readsChainIdAndBlockNumber(LocalChain chain) {
        assertThat(chain.rpc().chainId()).isEqualTo(1337);
        long before = chain.rpc().blockNumber();
        chain.mine(2);
        assertThat(chain.rpc().blockNumber()).isEqualTo(before + 2);
    }

    @Test
    void callsAContract(LocalChain chain) {
        chain.mintTokens(3, BigInteger.valueOf(1234));
        String data = Abi.call("balanceOf(address)", new Abi.Address(chain.address(3)));

        String result = chain.rpc().call(chain.token(), data);

        assertThat(Abi.uint(result, 0)).isEqualTo(1234);
    }

    @Test
    void readsTransactionAndReceipt(LocalChain chain) {
        String hash = chain.sendEth(2, chain.address(3), BigInteger.TEN);

        Transaction tx = chain.rpc().transaction(hash).orElseThrow();
        TransactionReceipt receipt = chain.rpc().transactionReceipt(hash).orElseThrow();

        assertThat(tx.from()).isEqualToIgnoringCase(chain.address(2));
        assertThat(tx.to()).isEqualToIgnoringCase(chain.address(3));
        assertThat(tx.value()).isEqualTo(BigInteger.TEN);
        assertThat(tx.pending()).isFalse();
        assertThat(receipt.success()).isTrue();
        assertThat(receipt.blockNumber()).isEqualTo(tx.blockNumber());
    }

    @Test
    void unknownHashIsEmpty(LocalChain chain) {
        assertThat(chain.rpc().transaction(UNKNOWN_HASH)).isEmpty();
        assertThat(chain.rpc().transactionReceipt(UNKNOWN_HASH)).isEmpty();
    }

    @Test
    void revertedCallIsCallReverted(LocalChain chain) {
        String data = Abi.call("ownerOf(uint256)", new Abi.Uint(BigInteger.valueOf(999_999)));

        assertThatThrownBy(() -> chain.rpc().call(chain.nft(), data)).isInstanceOfSatisfying(ChainException.class,
                e -> assertThat(e.reason()).isEqualTo(ChainError.CALL_REVERTED));
    }

    @Test
    void callToAnAddressWithoutCodeReturnsNoData(LocalChain chain) {
        assertThat(chain.rpc().call(chain.address(4), Abi.call("balanceOf(address)",
                new Abi.Address(chain.address(3))))).isEqualTo("0x");
    }

    @Test
    void endpointThatIsDownIsUnreachable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        JsonRpcClient rpc = JsonRpcClient.create(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(5));

        assertThatThrownBy(rpc::chainId).isInstanceOfSatisfying(ChainException.class, e -> {
            assertThat(e.reason()).isEqualTo(ChainError.ENDPOINT_UNREACHABLE);
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        });
    }

    @Test
    void silentEndpointTimesOutInsteadOfHanging() throws IOException {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(s.accept()); // accept, read nothing, answer nothing
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            JsonRpcClient rpc = JsonRpcClient.create(URI.create("http://127.0.0.1:" + s.getLocalPort()),
                    Duration.ofMillis(300));

            assertThatThrownBy(rpc::blockNumber).isInstanceOfSatisfying(ChainException.class,
                    e -> assertThat(e.reason()).isEqualTo(ChainError.ENDPOINT_UNREACHABLE));
        } finally {
            for (Socket a : accepted) {
                a.close();
            }
        }
    }

    @Test
    void httpErrorPageIsBadResponse() throws IOException {
        try (StubRpcServer stub = new StubRpcServer(r -> new StubRpcServer.Answer(502, "<html>bad gateway</html>"))) {
            JsonRpcClient rpc = JsonRpcClient.create(stub.uri(), Duration.ofSeconds(5));

            assertThatThrownBy(rpc::chainId).isInstanceOfSatisfying(ChainException.class,
                    e -> assertThat(e.reason()).isEqualTo(ChainError.BAD_RESPONSE));
        }
    }

    @Test
    void jsonRpcErrorIsRpcError() throws IOException {
        try (StubRpcServer stub = new StubRpcServer(r -> new StubRpcServer.Answer(200,
                "{\"jsonrpc\":\"2.0\",\"id\":" + r.get("id") + ",\"error\":{\"code\":-32601,\"message\":\"method not found\"}}"))) {
            JsonRpcClient rpc = JsonRpcClient.create(stub.uri(), Duration.ofSeconds(5));

            assertThatThrownBy(rpc::chainId).isInstanceOfSatisfying(ChainException.class, e -> {
                assertThat(e.reason()).isEqualTo(ChainError.RPC_ERROR);
                assertThat(e.getMessage()).contains("method not found");
            });
        }
    }

    @Test
    void resultThatIsNotAQuantityIsBadResponse() throws IOException {
        try (StubRpcServer stub = new StubRpcServer(r -> StubRpcServer.Answer.result(r, "\"banana\""))) {
            JsonRpcClient rpc = JsonRpcClient.create(stub.uri(), Duration.ofSeconds(5));

            assertThatThrownBy(rpc::blockNumber).isInstanceOfSatisfying(ChainException.class,
                    e -> assertThat(e.reason()).isEqualTo(ChainError.BAD_RESPONSE));
        }
    }

    @Test
    void oversizedResponseIsRefused() throws IOException {
        String huge = "\"0x" + "00".repeat(JsonRpcClient.MAX_RESPONSE_BYTES / 2 + 10) + "\"";
        try (StubRpcServer stub = new StubRpcServer(r -> StubRpcServer.Answer.result(r, huge))) {
            JsonRpcClient rpc = JsonRpcClient.create(stub.uri(), Duration.ofSeconds(10));

            assertThatThrownBy(() -> rpc.call("0x" + "11".repeat(20), "0x")).isInstanceOfSatisfying(
                    ChainException.class, e -> assertThat(e.reason()).isEqualTo(ChainError.BAD_RESPONSE));
        }
    }

    @Test
    void chainsRefusesAnEndpointServingAnotherChain(LocalChain chain) {
        Chains chains = Chains.builder().endpoint(1, chain.endpoint()).build();

        assertThatThrownBy(() -> chains.client(1)).isInstanceOfSatisfying(ChainException.class,
                e -> assertThat(e.reason()).isEqualTo(ChainError.WRONG_CHAIN));
        assertThatThrownBy(() -> chains.client(5)).isInstanceOfSatisfying(ChainException.class,
                e -> assertThat(e.reason()).isEqualTo(ChainError.CHAIN_NOT_CONFIGURED));
        assertThat(chain.chains().client(1337).chainId()).isEqualTo(1337);
    }

    @Test
    void badEndpointConfigurationFailsEarly() {
        assertThatThrownBy(() -> JsonRpcClient.create(URI.create("ftp://x"), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Chains.builder().endpoint(1, URI.create("http://a")).endpoint(1, URI.create("http://b")))
                .isInstanceOf(IllegalStateException.class);
    }
}
