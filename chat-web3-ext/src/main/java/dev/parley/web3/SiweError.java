package dev.parley.web3;

import dev.parley.core.ErrorCode;

/**
 * Why a Sign-In with Ethereum attempt was refused. Each reason maps to the {@link ErrorCode}
 * a client sees; {@link SiweException#reason()} names the precise one.
 */
public enum SiweError {
    /** The message text or a field does not follow the EIP-4361 grammar. */
    MALFORMED_MESSAGE(ErrorCode.BAD_REQUEST),
    /** The signature is not a 65-byte hex {@code r || s || v}. */
    MALFORMED_SIGNATURE(ErrorCode.BAD_REQUEST),
    /** The signature recovers to another address than the message's. */
    SIGNATURE_MISMATCH(ErrorCode.UNAUTHENTICATED),
    /** The message's domain (or scheme) is not this service's. */
    DOMAIN_MISMATCH(ErrorCode.UNAUTHENTICATED),
    /** The message's URI is not this service's. */
    URI_MISMATCH(ErrorCode.UNAUTHENTICATED),
    /** The chain id is not one this service accepts. */
    CHAIN_NOT_ALLOWED(ErrorCode.UNAUTHENTICATED),
    /** The nonce was never issued, has expired or was already used. */
    NONCE_INVALID(ErrorCode.UNAUTHENTICATED),
    /** The expiration time has passed. */
    EXPIRED(ErrorCode.UNAUTHENTICATED),
    /** The not-before time has not come yet. */
    NOT_YET_VALID(ErrorCode.UNAUTHENTICATED),
    /** The issued-at time is in the future (beyond the allowed clock skew). */
    ISSUED_IN_FUTURE(ErrorCode.UNAUTHENTICATED),
    /** The issued-at time is older than the allowed message age. */
    TOO_OLD(ErrorCode.UNAUTHENTICATED),
    /**
     * The signature is not the address's key's, and the chain that could say whether the
     * address is a contract wallet accepting it (ERC-1271) did not answer. Retryable.
     *
     * @since 0.1.0
     */
    CHAIN_UNAVAILABLE(ErrorCode.UNAVAILABLE);

    private final ErrorCode code;

    SiweError(ErrorCode code) {
        this.code = code;
    }

    /** The chat error code clients see for this reason. */
    public ErrorCode code() {
        return code;
    }
}
