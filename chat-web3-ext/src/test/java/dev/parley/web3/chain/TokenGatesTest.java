package dev.parley.web3.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatEngine;
import dev.parley.core.ChatException;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.GroupInvite;
import dev.parley.core.Member;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.ChatStore;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LocalChainExtension.class)
class TokenGatesTest {

    /** An engine with token gates on {@code store}; account 1 owns a group with nobody else. */
    private static final class Setup implements AutoCloseable {
        final ChatStore store;
        final TokenGates gates;
        final ChatEngine engine;
        final Conversation group;

        Setup(LocalChain chain, ChatStore store, Chains chains, Conversation existing) {
            this.store = store;
            this.gates = new TokenGates(store, chains, WalletAddresses.userIdIsAddress());
            this.engine = ChatEngine.builder().store(store).membershipPolicy(gates).build();
            if (existing == null) {
                for (int i = 1; i <= 4; i++) {
                    engine.putUser(chain.address(i), "user" + i);
                }
                engine.putUser("bob", "Bob");
                this.group = engine.createGroup(chain.address(1), "Holders", List.of());
            } else {
                this.group = existing;
            }
        }

        List<String> members() {
            return store.members(group.id()).stream().map(Member::userId).toList();
        }

        @Override
        public void close() {
            engine.close();
            store.close();
        }
    }

    private static TokenGate erc20(LocalChain chain, long minimum) {
        return new TokenGate(LocalChain.CHAIN_ID, TokenGate.Standard.ERC20, chain.token(), BigInteger.valueOf(minimum));
    }

    @Test
    void addingRequiresEnoughOfTheErc20(LocalChain chain) {
        chain.mintTokens(2, BigInteger.valueOf(100));
        chain.mintTokens(3, BigInteger.valueOf(99));
        try (Setup s = new Setup(chain, new InMemoryChatStore(), chain.chains(), null)) {
            s.gates.setGate(s.engine, chain.address(1), s.group.id(), erc20(chain, 100));

            s.engine.addMember(chain.address(1), s.group.id(), chain.address(2));
            assertThatThrownBy(() -> s.engine.addMember(chain.address(1), s.group.id(), chain.address(3)))
                    .isInstanceOfSatisfying(ChatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                        assertThat(e.getMessage()).startsWith("gate_not_met: ").contains("holds 99").contains("≥ 100");
                    });
            assertThat(s.members()).containsExactlyInAnyOrder(chain.address(1), chain.address(2));
        }
    }

    @Test
    void joiningRequiresAnErc721AndARefusalLeavesTheInviteUsable(LocalChain chain) {
        chain.mintNft(3, 5);
        try (Setup s = new Setup(chain, new InMemoryChatStore(), chain.chains(), null)) {
            s.gates.setGate(s.engine, chain.address(1), s.group.id(),
                    new TokenGate(LocalChain.CHAIN_ID, TokenGate.Standard.ERC721, chain.nft(), BigInteger.ONE));
            GroupInvite invite = s.engine.createInvite(chain.address(1), s.group.id(), null, 1);

            assertThatThrownBy(() -> s.engine.join(chain.address(4), invite.code()))
                    .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
            assertThatThrownBy(() -> s.engine.join("bob", invite.code()))
                    .isInstanceOfSatisfying(ChatException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                        assertThat(e.getMessage()).contains("no wallet address");
                    });
            s.engine.join(chain.address(3), invite.code());

            assertThat(s.members()).contains(chain.address(3)).doesNotContain(chain.address(4), "bob");
        }
    }

    @Test
    void recheckRemovesMembersWhoSoldButNotTheOwner(LocalChain chain) {
        chain.mintTokens(2, BigInteger.valueOf(50));
        chain.mintTokens(3, BigInteger.valueOf(50));
        try (Setup s = new Setup(chain, new InMemoryChatStore(), chain.chains(), null)) {
            s.gates.setGate(s.engine, chain.address(1), s.group.id(), erc20(chain, 50));
            s.engine.addMember(chain.address(1), s.group.id(), chain.address(2));
            s.engine.addMember(chain.address(1), s.group.id(), chain.address(3));
            assertThat(s.gates.recheck(s.engine)).isEmpty();

            chain.transferTokens(2, chain.address(4), BigInteger.ONE);

            assertThat(s.gates.recheck(s.engine)).isEqualTo(Map.of(s.group.id(), List.of(chain.address(2))));
            assertThat(s.members()).containsExactlyInAnyOrder(chain.address(1), chain.address(3));
        }
    }

    @Test
    void aChainThatIsDownRefusesJoinsAsUnavailableAndKeepsMembersOnRecheck(LocalChain chain) throws IOException {
        chain.mintTokens(2, BigInteger.valueOf(10));
        ChatStore store = new InMemoryChatStore();
        Conversation group;
        try (Setup up = new Setup(chain, store, chain.chains(), null)) {
            up.gates.setGate(up.engine, chain.address(1), up.group.id(), erc20(chain, 10));
            up.engine.addMember(chain.address(1), up.group.id(), chain.address(2));
            group = up.group;
            up.engine.close(); // the store stays open for the second engine
            int port;
            try (ServerSocket sock = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = sock.getLocalPort();
            }
            Chains down = Chains.builder().endpoint(LocalChain.CHAIN_ID, URI.create("http://127.0.0.1:" + port))
                    .timeout(Duration.ofSeconds(2)).build();
            Setup s = new Setup(chain, store, down, group);
            try {
                assertThatThrownBy(() -> s.engine.addMember(chain.address(1), group.id(), chain.address(3)))
                        .isInstanceOfSatisfying(ChatException.class, e -> {
                            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                            assertThat(e.getMessage()).startsWith("endpoint_unreachable");
                        });
                assertThat(s.gates.recheck(s.engine)).isEmpty();
                assertThat(s.members()).contains(chain.address(2));
            } finally {
                s.engine.close();
            }
        }
    }

    @Test
    void onlyOwnersAndAdminsGateAGroupOnAConfiguredChain(LocalChain chain) {
        chain.mintTokens(2, BigInteger.TEN);
        try (Setup s = new Setup(chain, new InMemoryChatStore(), chain.chains(), null)) {
            s.engine.addMember(chain.address(1), s.group.id(), chain.address(2));

            assertThatThrownBy(() -> s.gates.setGate(s.engine, chain.address(2), s.group.id(), erc20(chain, 1)))
                    .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
            assertThatThrownBy(() -> s.gates.setGate(s.engine, chain.address(1), s.group.id(),
                    new TokenGate(5, TokenGate.Standard.ERC20, chain.token(), BigInteger.ONE)))
                    .isInstanceOfSatisfying(ChainException.class,
                            e -> assertThat(e.reason()).isEqualTo(ChainError.CHAIN_NOT_CONFIGURED));
            assertThatThrownBy(() -> new TokenGate(1, TokenGate.Standard.ERC20, chain.token(), BigInteger.ZERO))
                    .isInstanceOfSatisfying(ChainException.class,
                            e -> assertThat(e.reason()).isEqualTo(ChainError.MALFORMED_INPUT));
            assertThat(s.gates.gate(s.group.id())).isEmpty();
        }
    }

    @Test
    void aGateIsKeptInTheDatabaseAcrossARestart(LocalChain chain, @TempDir Path dir) {
        Path db = dir.resolve("chat.db");
        Conversation group;
        try (Setup s = new Setup(chain, JdbcChatStore.sqlite(db), chain.chains(), null)) {
            s.gates.setGate(s.engine, chain.address(1), s.group.id(), erc20(chain, 1));
            group = s.group;
        }
        try (Setup s = new Setup(chain, JdbcChatStore.sqlite(db), chain.chains(), group)) {
            assertThat(s.gates.gate(group.id())).contains(erc20(chain, 1));
            assertThatThrownBy(() -> s.engine.addMember(chain.address(1), group.id(), chain.address(3)))
                    .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
            assertThat(s.gates.removeGate(s.engine, chain.address(1), group.id())).isTrue();
            s.engine.addMember(chain.address(1), group.id(), chain.address(3));
        }
    }
}
