package dev.parley.core;

/**
 * Stable error codes. {@link #wire()} is what goes on the wire (socket replies and HTTP
 * error bodies) and in the docs; the set only grows.
 */
public enum ErrorCode {
    /** Malformed frame or invalid field; the message names the field. */
    BAD_REQUEST("bad_request", false, 400),
    /** No valid session: before {@code hello}, or a bad or expired token. */
    UNAUTHENTICATED("unauthenticated", false, 401),
    /** Authenticated but not allowed: not a member, blocked, muted, role. */
    FORBIDDEN("forbidden", false, 403),
    /** Unknown conversation, message or user. */
    NOT_FOUND("not_found", false, 404),
    /** State conflict, e.g. already a member. */
    CONFLICT("conflict", false, 409),
    /** A field or body over its documented limit. */
    TOO_LARGE("too_large", false, 413),
    /** An upload whose bytes are a type the server does not accept (programs, types off the allow list). */
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", false, 415),
    /** Over a rate limit; the error carries {@code retryAfterMs}. */
    RATE_LIMITED("rate_limited", true, 429),
    /** Unknown command type or version. */
    UNSUPPORTED("unsupported", false, 400),
    /** Temporarily unable: store down, shutting down. */
    UNAVAILABLE("unavailable", true, 503),
    /** A bug; logged server-side with the command id. */
    INTERNAL("internal", true, 500);

    private final String wire;
    private final boolean retryable;
    private final int httpStatus;

    ErrorCode(String wire, boolean retryable, int httpStatus) {
        this.wire = wire;
        this.retryable = retryable;
        this.httpStatus = httpStatus;
    }

    /** The code as written on the wire, e.g. {@code "bad_request"}. */
    public String wire() {
        return wire;
    }

    /** Whether the same request may succeed if retried later. */
    public boolean retryable() {
        return retryable;
    }

    /** The HTTP status used when this error answers an HTTP request. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The code for a wire name, or {@link #INTERNAL} for a name this version does not know. */
    public static ErrorCode fromWire(String wire) {
        for (ErrorCode code : values()) {
            if (code.wire.equals(wire)) {
                return code;
            }
        }
        return INTERNAL;
    }
}
