package dev.parley.web3;

import dev.parley.core.ChatException;

/**
 * A refused Sign-In with Ethereum: a {@link ChatException} whose {@link #code()} is what the
 * client sees and whose {@link #reason()} says precisely what was wrong. The message starts
 * with the reason's name in lower case, e.g. {@code "nonce_invalid: ..."}.
 */
public final class SiweException extends ChatException {
    private final SiweError reason;

    public SiweException(SiweError reason, String message) {
        super(reason.code(), reason.name().toLowerCase(java.util.Locale.ROOT) + ": " + message);
        this.reason = reason;
    }

    /** What was wrong. */
    public SiweError reason() {
        return reason;
    }
}
