package dev.parley.core.spi;

/** Outcome of {@link ChatStore#pin}. */
public enum PinResult {
    /** The message is now pinned. */
    PINNED,
    /** The message was pinned already: nothing changed. */
    UNCHANGED,
    /** The conversation already has the most pins allowed. */
    TOO_MANY_PINS,
    /** The message is deleted (or gone): nothing changed. */
    MESSAGE_DELETED
}
