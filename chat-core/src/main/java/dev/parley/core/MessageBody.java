package dev.parley.core;

import java.util.Objects;

/**
 * What a message says. The server never needs to read it: for end-to-end encrypted
 * conversations {@code text} holds ciphertext.
 *
 * @param text the text, 1 to {@link ChatLimits#maxBodyChars()} characters
 */
public record MessageBody(String text) {
    public MessageBody {
        Objects.requireNonNull(text, "text");
    }
}
