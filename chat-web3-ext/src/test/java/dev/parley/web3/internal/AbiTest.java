package dev.parley.web3.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class AbiTest {

    @Test
    void selectorsAreTheWellKnownOnes() {
        assertThat(Abi.selector("transfer(address,uint256)")).isEqualTo("a9059cbb");
        assertThat(Abi.selector("balanceOf(address)")).isEqualTo("70a08231");
        assertThat(Abi.selector("isValidSignature(bytes32,bytes)")).isEqualTo("1626ba7e");
        assertThat(Abi.selector("ownerOf(uint256)")).isEqualTo("6352211e");
    }

    @Test
    void encodesStaticAndDynamicArguments() {
        byte[] hash = new byte[32];
        hash[31] = 1;
        String data = Abi.call("isValidSignature(bytes32,bytes)", new Abi.Bytes32(hash), new Abi.Bytes(new byte[] {
                (byte) 0xAA, (byte) 0xBB}));

        assertThat(data).isEqualTo("0x1626ba7e"
                + "0".repeat(63) + "1"                // hash
                + "0".repeat(62) + "40"               // offset of the bytes: after two head words
                + "0".repeat(63) + "2"                // length
                + "aabb" + "0".repeat(60));           // padded content
    }

    @Test
    void decodesWordsAndRefusesShortData() {
        String data = "0x" + "0".repeat(24) + "00000000000000000000000000000000000000ff" + "0".repeat(63) + "7";

        assertThat(Abi.address(data, 0)).isEqualTo("0x00000000000000000000000000000000000000ff");
        assertThat(Abi.uint(data, 1)).isEqualTo(BigInteger.valueOf(7));
        assertThatThrownBy(() -> Abi.uint("0x", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Abi.call("f(uint256)", new Abi.Uint(BigInteger.ONE.negate())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
