package dev.parley.web3.chain;

import dev.parley.core.ErrorCode;

/**
 * Why something that needed the chain failed or was refused. Each reason maps to the
 * {@link ErrorCode} a client sees; {@link ChainException#reason()} names the precise one.
 *
 * @since 0.1.0
 */
public enum ChainError {
    /** No JSON-RPC endpoint is configured for the chain id. */
    CHAIN_NOT_CONFIGURED(ErrorCode.BAD_REQUEST),
    /** The endpoint could not be reached or did not answer within the timeout. */
    ENDPOINT_UNREACHABLE(ErrorCode.UNAVAILABLE),
    /** The endpoint answered with something that is not a JSON-RPC result (HTTP error, not JSON, too large). */
    BAD_RESPONSE(ErrorCode.UNAVAILABLE),
    /** The endpoint answered with a JSON-RPC error other than a revert. */
    RPC_ERROR(ErrorCode.UNAVAILABLE),
    /** An {@code eth_call} reverted. */
    CALL_REVERTED(ErrorCode.UNAVAILABLE),
    /** The endpoint serves another chain than the one it is configured for. */
    WRONG_CHAIN(ErrorCode.UNAVAILABLE),
    /** An asset id (CAIP-22/29), an address, a transaction hash or an amount is malformed. */
    MALFORMED_INPUT(ErrorCode.BAD_REQUEST),
    /** No contract of the expected kind answered at the address (no code, or not that standard). */
    NO_CONTRACT(ErrorCode.BAD_REQUEST),
    /** The user does not own the NFT named as avatar. */
    NOT_OWNED(ErrorCode.FORBIDDEN),
    /** The user has no wallet address to check a holding or a transfer against. */
    NO_WALLET(ErrorCode.FORBIDDEN),
    /** The user does not hold enough of the token a group requires. */
    GATE_NOT_MET(ErrorCode.FORBIDDEN),
    /** The transaction hash is not known to the chain. */
    TX_UNKNOWN(ErrorCode.NOT_FOUND),
    /** The transaction is pending or has fewer confirmations than required; retry later. */
    TX_NOT_CONFIRMED(ErrorCode.UNAVAILABLE),
    /** The transaction failed on chain (receipt status 0). */
    TX_FAILED(ErrorCode.BAD_REQUEST),
    /** The transaction does not transfer what the tip claims (sender, recipient, token or amount). */
    TX_MISMATCH(ErrorCode.BAD_REQUEST),
    /** The transaction hash was already used for a tip. */
    TX_ALREADY_USED(ErrorCode.CONFLICT);

    private final ErrorCode code;

    ChainError(ErrorCode code) {
        this.code = code;
    }

    /** The chat error code clients see for this reason. */
    public ErrorCode code() {
        return code;
    }
}
