package dev.parley.core.spi;

import dev.parley.core.ChatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Content-addressed storage of attachment bytes (files, images, voice messages, previews).
 * A blob's id is the lowercase hexadecimal SHA-256 of its bytes (64 characters), so storing
 * the same bytes twice keeps one copy and answers the same id. Blobs are immutable.
 *
 * <pre>{@code
 * BlobRef ref = blobs.put(request.getInputStream(), 20 * 1024 * 1024);
 * try (InputStream in = blobs.open(ref.id(), 0)) { in.transferTo(response); }
 * }</pre>
 *
 * <h2>Reference counting is the caller's job</h2>
 * A blob store does not know which messages use a blob and counts no references. The chat
 * store knows which messages reference a blob; when the last such message is removed
 * (deleted for everyone, expired, its conversation removed), the caller calls
 * {@link #delete(String)}. Because storing is deduplicated, an upload of the same bytes can
 * race with that delete: {@link #put} refreshes {@link BlobInfo#storedAt()} when the bytes
 * were already present, so a sweeper that deletes only blobs that are unreferenced
 * <em>and</em> older than a grace period (longer than the time between an upload and the
 * send that references it) never removes a blob that is about to be referenced. The same
 * sweep, over {@link #list()}, removes blobs uploaded but never sent.
 *
 * <h2>Ids</h2>
 * Every method that takes an id validates it with {@link #requireValidId(String)} before it
 * uses the id for anything else (an implementation must never turn an unvalidated id into a
 * path or a key): an invalid id is a {@link ChatException} with code {@code bad_request}.
 *
 * <p>Implementations are thread-safe; concurrent {@code put}s of the same bytes are safe.
 * I/O failures (of the store, or of the caller's input stream) are {@link IOException}s.
 *
 * @since 0.1.0
 */
public interface BlobStore extends AutoCloseable {

    /** Length of an id: the hexadecimal SHA-256 of the bytes. */
    int ID_LENGTH = 64;

    /**
     * Streams {@code in} into the store while hashing it, without holding it in memory, and
     * makes it visible atomically under its SHA-256 once complete. Reads {@code in} to its end
     * but does not close it.
     *
     * @param in       the bytes
     * @param maxBytes the most bytes accepted (at least 0)
     * @return the id and size, and whether this call wrote the bytes
     * @throws BlobTooLargeException when {@code in} holds more than {@code maxBytes}; reading
     *                               stops at the first byte over the limit and nothing is left
     *                               behind
     * @throws IOException           when reading {@code in} or writing the store fails; nothing
     *                               is left behind
     */
    BlobRef put(InputStream in, long maxBytes) throws IOException;

    /**
     * The size and storage time of a blob.
     *
     * @return empty when no blob has this id
     * @throws ChatException {@code bad_request} for an invalid id
     */
    Optional<BlobInfo> stat(String id) throws IOException;

    /**
     * Opens a blob for reading from {@code offset} (for HTTP range requests). The caller
     * closes the stream. A blob deleted while it is being read may still be read to its end.
     *
     * @param offset where to start, from 0 to the blob's size (the size gives an empty stream)
     * @throws ChatException {@code not_found} when no blob has this id, {@code bad_request} for
     *                       an invalid id or an offset outside the blob
     */
    InputStream open(String id, long offset) throws IOException;

    /**
     * Removes a blob. Call it only when no message references the blob any more (see the
     * class documentation).
     *
     * @return whether a blob was removed ({@code false} when none had this id)
     * @throws ChatException {@code bad_request} for an invalid id
     */
    boolean delete(String id) throws IOException;

    /**
     * Every stored blob, in no particular order, for garbage collection against the
     * references the chat store holds. The stream holds open resources: close it
     * ({@code try (Stream<BlobInfo> all = blobs.list()) {...}}). Blobs put or deleted while
     * the stream is consumed may or may not appear.
     */
    Stream<BlobInfo> list() throws IOException;

    /** Releases what the store holds open. Idempotent. */
    @Override
    void close() throws IOException;

    /** Whether {@code id} is a well-formed blob id: exactly 64 characters {@code [0-9a-f]}. */
    static boolean isValidId(String id) {
        if (id == null || id.length() != ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < ID_LENGTH; i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns {@code id} when it is well-formed.
     *
     * @throws ChatException {@code bad_request} otherwise (the message does not echo the id)
     */
    static String requireValidId(String id) {
        if (!isValidId(id)) {
            throw ChatException.badRequest("blob id must be 64 lowercase hexadecimal characters");
        }
        return id;
    }
}
