package dev.parley.core.spi;

/** Outcome of {@link ChatStore#addReaction}. */
public enum ReactionResult {
    /** The reaction was stored. */
    ADDED,
    /** The user had already reacted with this emoji: nothing changed. */
    UNCHANGED,
    /** The user already has the most distinct reactions allowed on this message. */
    TOO_MANY_FROM_USER,
    /** The message already has the most distinct emoji allowed, and this emoji is new on it. */
    TOO_MANY_EMOJI,
    /** The message is deleted (or gone): nothing changed. */
    MESSAGE_DELETED
}
