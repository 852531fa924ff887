package dev.parley.media;

import java.util.List;
import java.util.Objects;

/**
 * An accepted upload, ready to be referenced by a message.
 *
 * @param info     the served blob: for images the copy without metadata
 * @param fileName sanitised display name whose extension matches the detected type
 * @param preview  the preview blob of an image, or null
 * @since 0.1.0
 */
public record UploadedMedia(MediaInfo info, String fileName, Preview preview) {
    public UploadedMedia {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(fileName, "fileName");
    }

    /**
     * Every blob this upload references (the file, then its preview if any): what the chat
     * store records for reference counting, and deletes when the last message goes.
     */
    public List<String> blobIds() {
        return preview == null ? List.of(info.id()) : List.of(info.id(), preview.id());
    }
}
