package dev.parley.media;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import java.util.Objects;

/**
 * An upload refused by the media rules. {@link #reason()} says exactly why; {@link #code()}
 * is its {@link ErrorCode} (see {@link Reason#code()}).
 *
 * @since 0.1.0
 */
public class MediaException extends ChatException {

    /** Why an upload was refused. */
    public enum Reason {
        /** More bytes than the {@link MediaPolicy} allows for the file's kind. HTTP 413. */
        TOO_LARGE(ErrorCode.TOO_LARGE),
        /** An image whose width, height or pixel count is over the policy's limits (a decompression bomb guard). HTTP 413. */
        DIMENSIONS_TOO_LARGE(ErrorCode.TOO_LARGE),
        /** A program (executable or script), refused whatever name or type the client gave. HTTP 415. */
        EXECUTABLE(ErrorCode.UNSUPPORTED_MEDIA_TYPE),
        /** A recognised type that the policy's allow list leaves out, or unrecognised bytes. HTTP 415. */
        TYPE_NOT_ALLOWED(ErrorCode.UNSUPPORTED_MEDIA_TYPE),
        /** The bytes start like a known type but are truncated or inconsistent. HTTP 422 or 400. */
        MALFORMED(ErrorCode.BAD_REQUEST);

        private final ErrorCode code;

        Reason(ErrorCode code) {
            this.code = code;
        }

        /** The error code for this reason. */
        public ErrorCode code() {
            return code;
        }
    }

    private final Reason reason;

    public MediaException(Reason reason, String message) {
        this(reason, message, null);
    }

    public MediaException(Reason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason").code(), message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
