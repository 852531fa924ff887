package dev.parley.web3.internal;

import dev.parley.web3.chain.ChainError;
import dev.parley.web3.chain.ChainException;
import dev.parley.web3.chain.JsonRpcClient;

/** ERC-1271 {@code isValidSignature(bytes32 hash, bytes signature)} through {@code eth_call}. */
public final class Eip1271 {
    /** What a contract wallet returns for a valid signature: the function's selector. */
    public static final String MAGIC = "1626ba7e";

    private Eip1271() {
    }

    /**
     * Asks the contract at {@code address} whether it accepts {@code signature} over {@code hash}.
     * A revert, an empty answer (no code there) or any other value is a no.
     *
     * @throws ChainException when the endpoint fails (not for a revert)
     */
    public static boolean isValidSignature(JsonRpcClient rpc, String address, byte[] hash, byte[] signature) {
        String data = Abi.call("isValidSignature(bytes32,bytes)", new Abi.Bytes32(hash), new Abi.Bytes(signature));
        String result;
        try {
            result = rpc.call(address, data);
        } catch (ChainException e) {
            if (e.reason() == ChainError.CALL_REVERTED) {
                return false;
            }
            throw e;
        }
        // bytes4 is left-aligned in a 32-byte word
        return result.length() >= 2 + 64 && result.substring(2, 10).equalsIgnoreCase(MAGIC)
                && result.substring(10, 66).matches("0*");
    }
}
