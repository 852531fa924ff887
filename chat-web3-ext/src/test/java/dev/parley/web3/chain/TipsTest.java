package dev.parley.web3.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.core.ChatEngine;
import dev.parley.core.Conversation;
import dev.parley.core.ErrorCode;
import dev.parley.core.Message;
import dev.parley.core.local.InMemoryChatStore;
import java.math.BigInteger;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Account 2 tips account 3 in a group they are both in. */
@ExtendWith(LocalChainExtension.class)
class TipsTest {
    private static final BigInteger WEI = BigInteger.valueOf(1_000_000_000_000_000L);
    private final ChatEngine engine = ChatEngine.builder().store(new InMemoryChatStore()).build();

    @AfterEach
    void close() {
        engine.close();
    }

    private Conversation group(LocalChain chain) {
        for (int i = 2; i <= 4; i++) {
            engine.putUser(chain.address(i), "user" + i);
        }
        return engine.createGroup(chain.address(2), "Tips", List.of(chain.address(3)));
    }

    private Tips tips(LocalChain chain, int confirmations) {
        return new Tips(engine, chain.chains(), WalletAddresses.userIdIsAddress(), confirmations);
    }

    private List<Message> history(LocalChain chain, Conversation g) {
        return engine.history(chain.address(2), g.id(), null, null, 50).messages().stream()
                .filter(m -> m.system() == null).toList();
    }

    private static void refused(ThrowingCallable call, ChainError reason, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChainException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    @Test
    void aNativeTransferBecomesATipMessage(LocalChain chain) {
        Conversation g = group(chain);
        String hash = chain.sendEth(2, chain.address(3), WEI);

        Tip tip = tips(chain, 1).post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash, null, WEI);

        assertThat(tip.from()).isEqualTo(chain.address(2));
        assertThat(tip.to()).isEqualTo(chain.address(3));
        assertThat(tip.token()).isNull();
        assertThat(tip.amount()).isEqualTo(WEI);
        assertThat(tip.message().senderId()).isEqualTo(chain.address(2));
        assertThat(tip.message().body().text()).contains(WEI + " wei").contains(hash);
        assertThat(history(chain, g)).containsExactly(tip.message());
    }

    @Test
    void anErc20TransferBecomesATipMessage(LocalChain chain) {
        Conversation g = group(chain);
        chain.mintTokens(2, BigInteger.valueOf(500));
        String hash = chain.transferTokens(2, chain.address(3), BigInteger.valueOf(200));

        Tip tip = tips(chain, 1).post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash,
                chain.token(), BigInteger.valueOf(200));

        assertThat(tip.token()).isEqualTo(chain.token());
        assertThat(tip.message().body().text()).contains("200 units of ERC-20 " + chain.token());
    }

    @Test
    void aTransferToSomeoneElseIsRefused(LocalChain chain) {
        Conversation g = group(chain);
        String eth = chain.sendEth(2, chain.address(4), WEI);
        chain.mintTokens(2, BigInteger.valueOf(500));
        String token = chain.transferTokens(2, chain.address(4), BigInteger.valueOf(200));
        Tips tips = tips(chain, 1);

        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, eth, null, WEI),
                ChainError.TX_MISMATCH, ErrorCode.BAD_REQUEST);
        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, token, chain.token(),
                BigInteger.valueOf(200)), ChainError.TX_MISMATCH, ErrorCode.BAD_REQUEST);
        assertThat(history(chain, g)).isEmpty();
    }

    @Test
    void aTransferFromSomeoneElseIsRefused(LocalChain chain) {
        Conversation g = group(chain);
        String hash = chain.sendEth(4, chain.address(3), WEI);

        refused(() -> tips(chain, 1).post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash, null,
                WEI), ChainError.TX_MISMATCH, ErrorCode.BAD_REQUEST);
    }

    @Test
    void aDifferentAmountIsRefused(LocalChain chain) {
        Conversation g = group(chain);
        String eth = chain.sendEth(2, chain.address(3), WEI);
        chain.mintTokens(2, BigInteger.valueOf(500));
        String token = chain.transferTokens(2, chain.address(3), BigInteger.valueOf(200));
        Tips tips = tips(chain, 1);

        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, eth, null,
                WEI.add(BigInteger.ONE)), ChainError.TX_MISMATCH, ErrorCode.BAD_REQUEST);
        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, token, chain.token(),
                BigInteger.valueOf(201)), ChainError.TX_MISMATCH, ErrorCode.BAD_REQUEST);
        // the right amount of another token is not this token's transfer
        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, token, chain.nft(),
                BigInteger.valueOf(200)), ChainError.TX_MISMATCH, ErrorCode.BAD_REQUEST);
    }

    @Test
    void aTipWaitsForItsConfirmations(LocalChain chain) {
        Conversation g = group(chain);
        String hash = chain.sendEth(2, chain.address(3), WEI);
        Tips tips = tips(chain, 3);

        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash, null, WEI),
                ChainError.TX_NOT_CONFIRMED, ErrorCode.UNAVAILABLE);
        chain.mine(2);

        assertThat(tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash, null, WEI)
                .message()).isNotNull();
    }

    @Test
    void aPendingTransactionIsNotYetATip(LocalChain chain) {
        Conversation g = group(chain);
        chain.stopMining();
        String hash = chain.sendEth(2, chain.address(3), WEI);

        refused(() -> tips(chain, 1).post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash, null,
                WEI), ChainError.TX_NOT_CONFIRMED, ErrorCode.UNAVAILABLE);
        chain.startMining();
        chain.mine(1);
        assertThat(tips(chain, 1).post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash, null,
                WEI).blockNumber()).isPositive();
    }

    @Test
    void aFailedTransactionIsRefused(LocalChain chain) {
        Conversation g = group(chain);
        String hash = chain.transferTokens(2, chain.address(3), BigInteger.valueOf(10)); // holds none: reverts
        assertThat(chain.rpc().transactionReceipt(hash).orElseThrow().success()).isFalse();

        refused(() -> tips(chain, 1).post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash,
                chain.token(), BigInteger.TEN), ChainError.TX_FAILED, ErrorCode.BAD_REQUEST);
    }

    @Test
    void anUnknownOrMalformedHashIsRefused(LocalChain chain) {
        Conversation g = group(chain);
        Tips tips = tips(chain, 1);

        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, "0x" + "cd".repeat(32),
                null, WEI), ChainError.TX_UNKNOWN, ErrorCode.NOT_FOUND);
        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, "0x1234", null, WEI),
                ChainError.MALFORMED_INPUT, ErrorCode.BAD_REQUEST);
        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, "0x" + "cd".repeat(32),
                null, BigInteger.ZERO), ChainError.MALFORMED_INPUT, ErrorCode.BAD_REQUEST);
    }

    @Test
    void aHashIsUsableForOneTipOnly(LocalChain chain) {
        Conversation g = group(chain);
        String hash = chain.sendEth(2, chain.address(3), WEI);
        Tips tips = tips(chain, 1);
        tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash, null, WEI);

        refused(() -> tips.post(chain.address(2), g.id(), chain.address(3), LocalChain.CHAIN_ID, hash.toUpperCase()
                .replace("0X", "0x"), null, WEI), ChainError.TX_ALREADY_USED, ErrorCode.CONFLICT);
        assertThat(history(chain, g)).hasSize(1);
    }

    @Test
    void theRecipientMustBeAMember(LocalChain chain) {
        Conversation g = group(chain);
        String hash = chain.sendEth(2, chain.address(4), WEI);

        assertThatThrownBy(() -> tips(chain, 1).post(chain.address(2), g.id(), chain.address(4), LocalChain.CHAIN_ID,
                hash, null, WEI)).isInstanceOfSatisfying(dev.parley.core.ChatException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}
