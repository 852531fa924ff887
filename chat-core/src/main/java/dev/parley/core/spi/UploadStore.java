package dev.parley.core.spi;

import dev.parley.core.AttachmentKind;
import dev.parley.core.GalleryItem;
import dev.parley.core.LinkItem;
import dev.parley.core.Upload;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Upload records and the attachments that reference them. The bytes live in a
 * {@link BlobStore}; this part of the store knows who uploaded what, which messages carry it,
 * and so who may download it and when nothing needs it any more. A message's attachments are
 * written by {@link ChatStore#append} (from {@link NewMessage#body()}) and erased with the
 * message by {@link ChatStore#deleteMessage} and {@link ChatStore#expire}.
 *
 * @since 0.1.0
 */
public interface UploadStore {

    /** Records a new upload. */
    void putUpload(Upload upload);

    /** The upload with this id, or empty. */
    Optional<Upload> findUpload(String uploadId);

    /**
     * Whether {@code userId} may download the upload: its owner may, and so may every current
     * member of a conversation in which a message that is not deleted carries it.
     */
    boolean mayDownload(String userId, String uploadId);

    /**
     * A conversation's attachments of one kind, newest message first, from messages that are not
     * deleted; within a message in attachment order. {@code limit} counts messages, so that one
     * message's attachments never split across pages.
     *
     * @param beforeSeq only attachments of messages below this seq, or {@code null}
     */
    List<GalleryItem> gallery(String conversationId, AttachmentKind kind, Long beforeSeq, int limit);

    /**
     * The web links ({@link dev.parley.core.Links#extract}) in the text of a conversation's
     * messages that are not deleted, newest message first, within a message in order of
     * appearance. {@code limit} counts messages. System messages have none.
     *
     * @param beforeSeq only messages below this seq, or {@code null}
     */
    List<LinkItem> links(String conversationId, Long beforeSeq, int limit);

    /**
     * Uploads no message carries any more and that need not be kept: those that were attached
     * and whose messages were all deleted or expired, and those never attached that were
     * uploaded before {@code unattachedBefore}.
     */
    List<Upload> releasableUploads(Instant unattachedBefore, int max);

    /** Deletes upload records (not their blobs). */
    void deleteUploads(Collection<String> uploadIds);

    /** Whether any upload record still names this blob, as content or preview. */
    boolean blobReferenced(String sha256);
}
