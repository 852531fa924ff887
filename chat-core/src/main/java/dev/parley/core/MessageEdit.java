package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a message's edit history: a body the message had before an edit.
 *
 * @param body     the text before the edit
 * @param editedAt when the edit replaced it
 */
public record MessageEdit(MessageBody body, Instant editedAt) {
    public MessageEdit {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(editedAt, "editedAt");
    }
}
