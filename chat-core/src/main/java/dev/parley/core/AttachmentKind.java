package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What an attachment is, as detected from its bytes (never from the client's word); the media
 * gallery lists a conversation's attachments by kind.
 *
 * @since 0.1.0
 */
public enum AttachmentKind {
    IMAGE, DOCUMENT, AUDIO, VIDEO, OTHER;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind for a wire name ({@code image}, {@code document}, …). */
    @JsonCreator
    public static AttachmentKind fromWire(String wire) {
        for (AttachmentKind k : values()) {
            if (k.wire().equals(wire)) {
                return k;
            }
        }
        throw ChatException.badRequest("kind must be image, document, audio, video, other (or link, in a gallery): "
                + wire);
    }
}
