package dev.parley.web3.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatEngine;
import dev.parley.core.ErrorCode;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.tck.MutableClock;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LocalChainExtension.class)
class NftAvatarsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration TTL = Duration.ofMinutes(10);
    private final MutableClock clock = new MutableClock(T0);
    private final ChatEngine engine = ChatEngine.builder().store(new InMemoryChatStore()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    private NftAvatars avatars(LocalChain chain) {
        return new NftAvatars(engine, chain.chains(), WalletAddresses.userIdIsAddress(), TTL, clock);
    }

    private String user(LocalChain chain, int account) {
        String id = chain.address(account);
        engine.putUser(id, "user" + account);
        return id;
    }

    private static String erc721(LocalChain chain, long tokenId) {
        return "eip155:1337/erc721:" + chain.nft().toLowerCase(Locale.ROOT) + "/" + tokenId;
    }

    @Test
    void parsesErc721AndErc1155Ids() {
        AssetId a = AssetId.parse("eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/0");
        AssetId b = AssetId.parse("eip155:10/erc1155:0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D/"
                + BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE));

        assertThat(a.chainId()).isEqualTo(1);
        assertThat(a.standard()).isEqualTo(AssetId.Standard.ERC721);
        assertThat(a.contract()).isEqualTo("0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D");
        assertThat(a.tokenId()).isZero();
        assertThat(a.toString()).isEqualTo("eip155:1/erc721:0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D/0");
        assertThat(b.standard()).isEqualTo(AssetId.Standard.ERC1155);
        assertThat(AssetId.parse(b.toString())).isEqualTo(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d",
        "eip155:01/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1",
        "eip155:0/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1",
        "eip155:1/ERC721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1",
        "EIP155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1",
        "eip155:1/erc20:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1",
        "eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13/1",
        "eip155:1/erc721:0xBc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1",
        "eip155:1/erc721:0xBC4CA0EDA7647A8AB7C2061C2E118A18A936F13D/1",
        "eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/01",
        "eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/-1",
        "eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1 ",
        "eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1/2",
        "eip155:99999999999999999999/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/1",
        "eip155:1/erc721:0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d/"
                + "115792089237316195423570985008687907853269984665640564039457584007913129639936",
        "https://example.com/a.png"})
    void refusesMalformedIds(String id) {
        assertThatThrownBy(() -> AssetId.parse(id)).isInstanceOfSatisfying(ChainException.class, e -> {
            assertThat(e.reason()).isEqualTo(ChainError.MALFORMED_INPUT);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        });
    }

    @Test
    void anOwnedErc721BecomesTheAvatar(LocalChain chain) {
        String alice = user(chain, 2);
        chain.mintNft(2, 7);

        AvatarCheck check = avatars(chain).set(alice, erc721(chain, 7));

        assertThat(check.status()).isEqualTo(AvatarStatus.VERIFIED);
        assertThat(engine.user(alice).avatar()).isEqualTo("eip155:1337/erc721:" + chain.nft() + "/7");
        assertThat(avatars(chain).status(alice).orElseThrow().status()).isEqualTo(AvatarStatus.VERIFIED);
    }

    @Test
    void anNftOfSomeoneElseIsRefusedAndMarkedWhenSetWithoutTheCheck(LocalChain chain) {
        String alice = user(chain, 2);
        chain.mintNft(3, 8);
        NftAvatars avatars = avatars(chain);

        assertThatThrownBy(() -> avatars.set(alice, erc721(chain, 8))).isInstanceOfSatisfying(ChainException.class, e -> {
            assertThat(e.reason()).isEqualTo(ChainError.NOT_OWNED);
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
        });
        engine.updateProfile(alice, null, erc721(chain, 8), null); // a client set it directly
        AvatarCheck check = avatars.status(alice).orElseThrow();
        assertThat(check.status()).isEqualTo(AvatarStatus.NOT_OWNED);
        assertThat(check.detail()).containsIgnoringCase(chain.address(3));
    }

    @Test
    void aTokenThatDoesNotExistIsNotOwned(LocalChain chain) {
        String alice = user(chain, 2);

        assertThatThrownBy(() -> avatars(chain).set(alice, erc721(chain, 424242)))
                .isInstanceOfSatisfying(ChainException.class, e -> assertThat(e.reason()).isEqualTo(ChainError.NOT_OWNED));
    }

    @Test
    void erc1155IsOwnedWithABalance(LocalChain chain) {
        String alice = user(chain, 2);
        String bob = user(chain, 3);
        chain.mintMulti(2, 11, 5);
        String id = "eip155:1337/erc1155:" + chain.multiToken() + "/11";

        assertThat(avatars(chain).set(alice, id).status()).isEqualTo(AvatarStatus.VERIFIED);
        assertThatThrownBy(() -> avatars(chain).set(bob, id)).isInstanceOfSatisfying(ChainException.class,
                e -> assertThat(e.reason()).isEqualTo(ChainError.NOT_OWNED));
    }

    @Test
    void anAvatarTransferredAwayIsMarkedNotOwnedOnceTheCacheExpires(LocalChain chain) {
        String alice = user(chain, 2);
        chain.mintNft(2, 9);
        NftAvatars avatars = avatars(chain);
        avatars.set(alice, erc721(chain, 9));
        assertThat(avatars.status(alice).orElseThrow().status()).isEqualTo(AvatarStatus.VERIFIED);

        chain.transferNft(2, 3, 9);
        clock.advance(TTL.minusSeconds(1));
        assertThat(avatars.status(alice).orElseThrow().status()).as("cached").isEqualTo(AvatarStatus.VERIFIED);

        clock.advance(Duration.ofSeconds(2));
        AvatarCheck rechecked = avatars.status(alice).orElseThrow();
        assertThat(rechecked.status()).isEqualTo(AvatarStatus.NOT_OWNED);
        assertThat(rechecked.checkedAt()).isEqualTo(clock.instant());
    }

    @Test
    void anAddressWithoutAContractIsUnverifiable(LocalChain chain) {
        String alice = user(chain, 2);
        String id = "eip155:1337/erc721:" + chain.address(4) + "/1";
        NftAvatars avatars = avatars(chain);

        assertThatThrownBy(() -> avatars.set(alice, id)).isInstanceOfSatisfying(ChainException.class, e -> {
            assertThat(e.reason()).isEqualTo(ChainError.NO_CONTRACT);
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
        });
        engine.updateProfile(alice, null, id, null);
        assertThat(avatars.status(alice).orElseThrow().status()).isEqualTo(AvatarStatus.UNVERIFIABLE);
    }

    @Test
    void aChainWithoutEndpointIsRefusedOnSetAndUnverifiableInStatus(LocalChain chain) {
        String alice = user(chain, 2);
        String id = "eip155:5/erc721:" + chain.nft() + "/1";

        assertThatThrownBy(() -> avatars(chain).set(alice, id)).isInstanceOfSatisfying(ChainException.class,
                e -> assertThat(e.reason()).isEqualTo(ChainError.CHAIN_NOT_CONFIGURED));
        engine.updateProfile(alice, null, id, null);
        assertThat(avatars(chain).status(alice).orElseThrow().status()).isEqualTo(AvatarStatus.UNVERIFIABLE);
    }

    @Test
    void aUserWithoutWalletCannotSetAnNftAndPlainAvatarsHaveNoStatus(LocalChain chain) {
        engine.putUser("bob", "Bob");
        chain.mintNft(2, 12);

        assertThatThrownBy(() -> avatars(chain).set("bob", erc721(chain, 12))).isInstanceOfSatisfying(
                ChainException.class, e -> assertThat(e.reason()).isEqualTo(ChainError.NO_WALLET));
        engine.updateProfile("bob", null, "https://example.com/bob.png", null);
        assertThat(avatars(chain).status("bob")).isEmpty();
    }
}
