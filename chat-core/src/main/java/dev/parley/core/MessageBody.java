package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * What a message says. The server never needs to read the text: for end-to-end encrypted
 * conversations {@code text} holds ciphertext.
 *
 * @param text        the text, up to {@link ChatLimits#maxBodyChars()} characters; may be empty
 *                    only when the message carries attachments
 * @param attachments the files the message carries (since 0.6), at most
 *                    {@link ChatEngine#MAX_ATTACHMENTS}; left out on the wire when empty
 */
public record MessageBody(String text, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Attachment> attachments) {
    public MessageBody {
        Objects.requireNonNull(text, "text");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
    }

    /** A text without attachments. */
    public MessageBody(String text) {
        this(text, List.of());
    }

    /** Whether the message carries files. */
    public boolean hasAttachments() {
        return !attachments.isEmpty();
    }
}
