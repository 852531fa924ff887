package dev.parley.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.protocol.ProtocolCodec;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Base of the JSON HTTP API: a handler returns a {@link JsonReply} or throws
 * {@link ChatException}, which becomes the status of {@link ErrorCode#httpStatus()} with the
 * body {@code {"error":{"code","message","retryable"[,"retryAfterMs"]}}} (plus a
 * {@code Retry-After} header for {@code rate_limited} and {@code WWW-Authenticate: Bearer}
 * for {@code unauthenticated}). A POST body must be a JSON object of at most
 * {@code maxBodyBytes} (413 {@code too_large} otherwise); an empty body counts as {@code {}}.
 * Malformed JSON is a 400; any other exception a logged 500 {@code internal}. Subclasses
 * override the methods they serve; the others answer 405.
 */
public abstract class JsonServlet extends HttpServlet {
    private static final Logger log = LoggerFactory.getLogger(JsonServlet.class);

    /** A status and a JSON body ({@code null} for none, e.g. 204). */
    public record JsonReply(int status, JsonNode body) {
        public static JsonReply ok(JsonNode body) {
            return new JsonReply(200, body);
        }
    }

    private final transient ProtocolCodec codec;
    private final int maxBodyBytes;

    protected JsonServlet(ProtocolCodec codec, int maxBodyBytes) {
        this.codec = codec;
        this.maxBodyBytes = maxBodyBytes;
    }

    protected ProtocolCodec codec() {
        return codec;
    }

    protected JsonReply get(HttpServletRequest request) {
        throw new MethodNotAllowed();
    }

    protected JsonReply post(HttpServletRequest request, ObjectNode body) {
        throw new MethodNotAllowed();
    }

    protected JsonReply delete(HttpServletRequest request) {
        throw new MethodNotAllowed();
    }

    /** A {@code PUT} with its JSON object body (as for {@link #post}). */
    protected JsonReply put(HttpServletRequest request, ObjectNode body) {
        throw new MethodNotAllowed();
    }

    /** For subclasses that route by path: the path exists, but not for this method (405). */
    protected static RuntimeException methodNotAllowed() {
        return new MethodNotAllowed();
    }

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonReply reply;
        try {
            String method = request.getMethod();
            if ("GET".equals(method) || "HEAD".equals(method)) {
                reply = get(request);
            } else if ("POST".equals(method)) {
                reply = post(request, readObject(request));
            } else if ("DELETE".equals(method)) {
                reply = delete(request);
            } else if ("PUT".equals(method)) {
                reply = put(request, readObject(request));
            } else {
                throw new MethodNotAllowed();
            }
        } catch (MethodNotAllowed e) {
            write(response, 405, codec.read(codec.httpError(
                    new ChatException(ErrorCode.UNSUPPORTED, request.getMethod() + " is not allowed here"))));
            return;
        } catch (ChatException e) {
            writeError(codec, request, response, e);
            return;
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.getMethod(), request.getRequestURI(), e);
            write(response, 500, codec.read(codec.httpError(new ChatException(ErrorCode.INTERNAL, "internal error"))));
            return;
        }
        write(response, reply.status(), reply.body());
    }

    private ObjectNode readObject(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            throw ChatException.tooLarge("request body is larger than " + maxBodyBytes + " bytes");
        }
        byte[] bytes;
        try (InputStream in = request.getInputStream()) {
            bytes = in.readNBytes(maxBodyBytes + 1);
        }
        if (bytes.length > maxBodyBytes) {
            throw ChatException.tooLarge("request body is larger than " + maxBodyBytes + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return codec.mapper().createObjectNode(); // e.g. POST /auth/logout without a body
        }
        JsonNode node = codec.read(text);
        if (node == null || !node.isObject()) {
            throw ChatException.badRequest("body must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /**
     * Answers a {@link ChatException} the way every Parley HTTP endpoint does: the status of its
     * code, the JSON error body, and {@code Retry-After} / {@code WWW-Authenticate} where they apply.
     */
    public static void writeError(ProtocolCodec codec, HttpServletRequest request, HttpServletResponse response,
                                  ChatException e) throws IOException {
        if (e.code() == ErrorCode.INTERNAL || e.code() == ErrorCode.UNAVAILABLE) {
            log.warn("{} {} failed", request.getMethod(), request.getRequestURI(), e);
        }
        if (e.code() == ErrorCode.RATE_LIMITED && e.retryAfterMs() != null) {
            response.setHeader("Retry-After", Long.toString(Math.max(1, (e.retryAfterMs() + 999) / 1000)));
        }
        if (e.code() == ErrorCode.UNAUTHENTICATED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"parley\"");
        }
        writeJson(codec, response, e.code().httpStatus(), codec.read(codec.httpError(e)));
    }

    private void write(HttpServletResponse response, int status, JsonNode body) throws IOException {
        writeJson(codec, response, status, body);
    }

    /** Writes a JSON reply that no cache keeps. */
    public static void writeJson(ProtocolCodec codec, HttpServletResponse response, int status, JsonNode body)
            throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (body == null) {
            return;
        }
        byte[] bytes = codec.write(body).getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Thrown by the default handlers: the servlet does not serve this method. */
    private static final class MethodNotAllowed extends RuntimeException {
        MethodNotAllowed() {
            super(null, null, false, false);
        }
    }
}
