package dev.parley.core.protocol;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;

/**
 * A frame that could not be decoded into a command. Carries the command id when the frame
 * had a readable one, so that the error reply can be correlated.
 */
public final class ProtocolException extends ChatException {
    private final transient Object commandId;

    public ProtocolException(Object commandId, ErrorCode code, String message) {
        super(code, message);
        this.commandId = commandId;
    }

    /** The frame's {@code id}, or {@code null} when it had none or it was unreadable. */
    public Object commandId() {
        return commandId;
    }
}
