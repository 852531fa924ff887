package dev.parley.web3.chain;

import dev.parley.core.ChatException;
import java.util.Locale;

/**
 * A failed or refused on-chain check: a {@link ChatException} whose {@link #code()} is what the
 * client sees and whose {@link #reason()} says precisely what happened. The message starts with
 * the reason's name in lower case, e.g. {@code "endpoint_unreachable: ..."}.
 *
 * @since 0.1.0
 */
public final class ChainException extends ChatException {
    private final ChainError reason;

    public ChainException(ChainError reason, String message) {
        this(reason, message, null);
    }

    public ChainException(ChainError reason, String message, Throwable cause) {
        super(reason.code(), reason.name().toLowerCase(Locale.ROOT) + ": " + message, cause);
        this.reason = reason;
    }

    /** What happened. */
    public ChainError reason() {
        return reason;
    }
}
