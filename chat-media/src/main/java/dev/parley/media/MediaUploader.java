package dev.parley.media;

import dev.parley.core.spi.BlobRef;
import dev.parley.core.spi.BlobStore;
import dev.parley.core.spi.BlobTooLargeException;
import dev.parley.media.internal.ImageHeader;
import dev.parley.media.internal.ImageHeaders;
import dev.parley.media.internal.RandomReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts one upload: streams it into the {@link BlobStore} under the limit of its kind,
 * detects its type from the bytes, refuses what the {@link MediaPolicy} does not allow,
 * strips image metadata, makes a preview, and answers what a message needs to reference it.
 *
 * <pre>{@code
 * MediaUploader uploader = new MediaUploader(blobs, MediaPolicy.defaults());
 * UploadedMedia media = uploader.upload(request.getInputStream(), clientFileName);
 * // media.blobIds() are what the message references; media.info() is shown to clients
 * }</pre>
 *
 * <ol>
 *   <li>The first {@link MediaSniffer#PREFIX_BYTES} bytes are buffered and sniffed. A program
 *       (executable, script) or a type not on the allow list is refused before anything is
 *       stored, and so is an image whose header already shows dimensions over the limits.</li>
 *   <li>The upload is streamed into the store with the limit of the sniffed kind (for a
 *       container that may be audio or video, the larger of the two until its tracks are
 *       read). Over the limit, reading stops and nothing is kept.</li>
 *   <li>The stored blob's final type is detected ({@link MediaSniffer#detect}) and checked
 *       again: allow list, the limit of its final kind, image dimensions.</li>
 *   <li>JPEG, PNG, GIF and WebP are rewritten without metadata ({@link MetadataStripper}) into a
 *       second blob, which is the one served; the original is deleted (when this upload stored
 *       it). A preview is stored as a third blob ({@link Thumbnailer}).</li>
 * </ol>
 *
 * <p>A refused upload leaves no blob behind that it created. Refusals are
 * {@link MediaException}s with a {@link MediaException.Reason}. The client's declared content
 * type is not an input: only the bytes decide.
 *
 * <p>Thread-safe: one uploader may serve concurrent uploads.
 *
 * @since 0.1.0
 */
public final class MediaUploader {
    private static final Logger LOG = LoggerFactory.getLogger(MediaUploader.class);
    /** Types whose final type can differ from the one sniffed from the prefix. */
    private static final Set<MediaType> REFINABLE = EnumSet.of(MediaType.ZIP, MediaType.ODT, MediaType.ODS, MediaType.ODP,
            MediaType.OLE2, MediaType.TEXT, MediaType.MP4_AUDIO, MediaType.MP4_VIDEO, MediaType.QUICKTIME,
            MediaType.WEBM_AUDIO, MediaType.WEBM_VIDEO, MediaType.MATROSKA_AUDIO, MediaType.MATROSKA_VIDEO);

    private final BlobStore store;
    private final MediaPolicy policy;
    private final MediaInspector inspector;
    private final Thumbnailer thumbnailer;

    public MediaUploader(BlobStore store, MediaPolicy policy) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.inspector = new MediaInspector(policy);
        this.thumbnailer = new Thumbnailer(policy);
    }

    /**
     * Stores and inspects one upload. Reads {@code in} up to its end or up to the limit; does
     * not close it.
     *
     * @param in       the uploaded bytes
     * @param fileName the name the client gave (may be null); only used as a display name
     * @throws MediaException for a refused upload
     * @throws IOException    when reading {@code in} or the store fails
     */
    public UploadedMedia upload(InputStream in, String fileName) throws IOException {
        Objects.requireNonNull(in, "in");
        byte[] prefix = in.readNBytes(MediaSniffer.PREFIX_BYTES);
        boolean complete = prefix.length < MediaSniffer.PREFIX_BYTES;
        MediaType sniffed = MediaSniffer.sniff(prefix, prefix.length, complete);
        checkAllowed(sniffed, !REFINABLE.contains(sniffed));
        if (MetadataStripper.supports(sniffed)) { // JPEG, PNG, GIF, WebP: headers ImageHeaders reads
            checkImageHeader(prefix, sniffed);
        }
        long limit = streamLimit(sniffed);
        BlobRef original;
        try {
            original = store.put(new SequenceInputStream(new ByteArrayInputStream(prefix), in), limit);
        } catch (BlobTooLargeException e) {
            throw new MediaException(MediaException.Reason.TOO_LARGE, "a " + sniffed.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + " file may have at most " + limit + " bytes", e);
        }
        BlobRef served = null;
        try {
            MediaType type = MediaSniffer.detect(store, original.id());
            checkAllowed(type, true);
            long max = policy.maxBytes(type.kind());
            if (original.size() > max) {
                throw new MediaException(MediaException.Reason.TOO_LARGE, "a " + type.kind().name().toLowerCase(java.util.Locale.ROOT)
                        + " file may have at most " + max + " bytes");
            }
            MediaInfo info = inspector.inspect(store, original.id(), type);
            Preview preview = null;
            if (MetadataStripper.supports(type)) {
                try (InputStream clean = MetadataStripper.strip(type, () -> store.open(original.id(), 0))) {
                    // The kept orientation segment may add a few bytes to a file without metadata.
                    served = store.put(clean, original.size() + 64);
                }
                if (!served.id().equals(original.id())) {
                    info = info.withBlob(served.id(), served.size());
                    if (original.created()) {
                        store.delete(original.id());
                    }
                }
                preview = thumbnailer.store(store, info).orElse(null);
            }
            return new UploadedMedia(info, FileNames.withExtension(fileName, type), preview);
        } catch (IOException | RuntimeException e) {
            discard(original);
            if (served != null && !served.id().equals(original.id())) {
                discard(served);
            }
            throw e;
        }
    }

    /** The limit applied while streaming, before the final type is known. */
    long streamLimit(MediaType sniffed) {
        return switch (sniffed) {
            case MP4_AUDIO, MP4_VIDEO, QUICKTIME, WEBM_AUDIO, WEBM_VIDEO, MATROSKA_AUDIO, MATROSKA_VIDEO ->
                    Math.max(policy.maxBytes(MediaKind.AUDIO), policy.maxBytes(MediaKind.VIDEO));
            case OLE2, TEXT -> Math.max(policy.maxBytes(MediaKind.DOCUMENT), policy.maxBytes(MediaKind.OTHER));
            default -> policy.maxBytes(sniffed.kind());
        };
    }

    private void checkAllowed(MediaType type, boolean definitive) {
        if (policy.allows(type)) {
            return;
        }
        if (type.executable()) {
            throw new MediaException(MediaException.Reason.EXECUTABLE,
                    "programs and scripts are not accepted (detected " + type.mimeType() + ")");
        }
        if (definitive) {
            throw new MediaException(MediaException.Reason.TYPE_NOT_ALLOWED,
                    type == MediaType.OCTET_STREAM ? "files of an unrecognised type are not accepted"
                            : type.mimeType() + " files are not accepted");
        }
    }

    private void checkImageHeader(byte[] prefix, MediaType type) throws IOException {
        ImageHeader header;
        try {
            header = ImageHeaders.read(RandomReader.of(prefix, prefix.length), type);
        } catch (EOFException e) {
            if (prefix.length < MediaSniffer.PREFIX_BYTES) {
                throw new MediaException(MediaException.Reason.MALFORMED, type.mimeType() + " file is truncated", e);
            }
            return; // the header lies beyond the prefix: checked once stored
        }
        inspector.checkDimensions(header);
    }

    private void discard(BlobRef ref) {
        if (!ref.created()) {
            return; // stored before this upload: others may reference it
        }
        try {
            store.delete(ref.id());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not delete refused upload {}: {}", ref.id(), e.toString());
        }
    }
}
