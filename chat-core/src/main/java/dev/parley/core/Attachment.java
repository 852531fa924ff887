package dev.parley.core;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Objects;

/**
 * A file a message carries. A client sends only {@code {id}} (the id an upload returned); the
 * server fills in the rest from what it detected when the file was uploaded, so every field
 * but {@code id} is the server's word, never the sender's.
 *
 * @param id             the upload id; the file is {@code GET /api/v1/files/{id}}
 * @param name           display name, sanitised (no path, no control characters)
 * @param type           media type detected from the bytes, e.g. {@code image/png}
 * @param kind           image, document, audio, video or other
 * @param size           bytes
 * @param width          pixels, images (and video when known) only
 * @param height         pixels, images (and video when known) only
 * @param durationMillis audio and video, when the container says
 * @param waveform       audio: loudness levels 0–255 over the duration, for display; may be empty
 * @param preview        a smaller image to show first ({@code GET /api/v1/files/{id}/preview}), or {@code null}
 * @since 0.1.0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Attachment(String id, String name, String type, AttachmentKind kind, Long size, Integer width,
                         Integer height, Long durationMillis,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> waveform, Preview preview) {

    public Attachment {
        Objects.requireNonNull(id, "id");
        waveform = waveform == null ? List.of() : List.copyOf(waveform);
    }

    /** A reference by id, as a client sends it. */
    public static Attachment ref(String id) {
        return new Attachment(id, null, null, null, null, null, null, null, List.of(), null);
    }

    /**
     * The preview image of an attachment.
     *
     * @param width  pixels
     * @param height pixels
     */
    public record Preview(int width, int height) {
    }
}
