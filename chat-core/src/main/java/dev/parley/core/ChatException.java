package dev.parley.core;

import java.util.Objects;

/**
 * The one unchecked exception of Parley. Its {@link ErrorCode} is what a client sees.
 *
 * <pre>{@code
 * throw ChatException.badRequest("body.text must not be empty");
 * }</pre>
 */
public class ChatException extends RuntimeException {
    private final ErrorCode code;
    private final Long retryAfterMs;

    public ChatException(ErrorCode code, String message) {
        this(code, message, null, null);
    }

    public ChatException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, cause);
    }

    public ChatException(ErrorCode code, String message, Long retryAfterMs, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfterMs = retryAfterMs;
    }

    public ErrorCode code() {
        return code;
    }

    /** For {@link ErrorCode#RATE_LIMITED}: how long to wait before retrying; otherwise {@code null}. */
    public Long retryAfterMs() {
        return retryAfterMs;
    }

    public static ChatException badRequest(String message) {
        return new ChatException(ErrorCode.BAD_REQUEST, message);
    }

    public static ChatException forbidden(String message) {
        return new ChatException(ErrorCode.FORBIDDEN, message);
    }

    public static ChatException notFound(String message) {
        return new ChatException(ErrorCode.NOT_FOUND, message);
    }

    public static ChatException conflict(String message) {
        return new ChatException(ErrorCode.CONFLICT, message);
    }

    public static ChatException tooLarge(String message) {
        return new ChatException(ErrorCode.TOO_LARGE, message);
    }

    public static ChatException unauthenticated(String message) {
        return new ChatException(ErrorCode.UNAUTHENTICATED, message);
    }

    public static ChatException rateLimited(String message, long retryAfterMs) {
        return new ChatException(ErrorCode.RATE_LIMITED, message, retryAfterMs, null);
    }

    public static ChatException unavailable(String message, Throwable cause) {
        return new ChatException(ErrorCode.UNAVAILABLE, message, cause);
    }
}
