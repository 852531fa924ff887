package dev.parley.core;

import java.time.Instant;
import java.util.Objects;

/**
 * A file a user uploaded: its blob (by SHA-256) and what the server detected in it. The file
 * server registers it with {@link ChatEngine#registerUpload}; a send attaches it by id.
 *
 * @param attachment    the attachment as messages will carry it (its {@code id} is this upload's id)
 * @param ownerId       who uploaded it; only the owner may attach it to a message
 * @param sha256        the content's blob id (lowercase hex)
 * @param previewSha256 the preview image's blob id, or {@code null}
 * @param createdAt     upload time
 * @since 0.1.0
 */
public record Upload(Attachment attachment, String ownerId, String sha256, String previewSha256,
                     Instant createdAt) {
    public Upload {
        Objects.requireNonNull(attachment, "attachment");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public String id() {
        return attachment.id();
    }
}
