package dev.parley.server.internal.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.spi.Principal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One API request as the handlers see it: path parameters, query parameters, the JSON body,
 * the client's address, and the caller, authenticated on first use from
 * {@code Authorization: Bearer <token>}.
 */
final class ApiCall {
    private static final Logger log = LoggerFactory.getLogger(ApiCall.class);
    private static final String BEARER = "Bearer ";
    private static final int MAX_CLIENT_CHARS = 200;

    private final ApiContext context;
    private final HttpServletRequest request;
    private final JsonFields body;
    private final Map<String, String> pathParams;
    private Principal principal;

    ApiCall(ApiContext context, HttpServletRequest request, ObjectNode body, Map<String, String> pathParams) {
        this.context = context;
        this.request = request;
        this.body = new JsonFields(body == null ? JsonNodeFactory.instance.objectNode() : body);
        this.pathParams = pathParams;
    }

    ApiContext context() {
        return context;
    }

    JsonFields body() {
        return body;
    }

    /** A path parameter of the route, e.g. {@code {userId}}. */
    String path(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("route has no parameter " + name);
        }
        return value;
    }

    /** A query parameter, or {@code null}. */
    String query(String name) {
        return request.getParameter(name);
    }

    Integer intQuery(String name) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw ChatException.badRequest(name + " must be an integer");
        }
    }

    Long longQuery(String name) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.valueOf(v);
        } catch (NumberFormatException e) {
            throw ChatException.badRequest(name + " must be an integer");
        }
    }

    /** The client's address, for brute-force protection and the session list. */
    String address() {
        return request.getRemoteAddr();
    }

    /** The {@code User-Agent}, stored with a new session so the user can tell sessions apart. */
    String client() {
        String agent = request.getHeader("User-Agent");
        if (agent == null || agent.isBlank()) {
            return null;
        }
        return agent.length() <= MAX_CLIENT_CHARS ? agent : agent.substring(0, MAX_CLIENT_CHARS);
    }

    /** The bearer token; {@code unauthenticated} when the header is missing or not a bearer token. */
    String bearerToken() {
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw ChatException.unauthenticated("Authorization: Bearer <token> is required");
        }
        String token = header.substring(BEARER.length()).strip();
        if (token.isEmpty()) {
            throw ChatException.unauthenticated("Authorization: Bearer <token> is required");
        }
        return token;
    }

    /**
     * The caller, from {@code Authorization: Bearer} or else the {@code access_token} query
     * parameter: for file downloads, which {@code <img>} and {@code <audio>} elements make
     * without headers.
     */
    Principal principalFromHeaderOrQuery() {
        if (principal == null) {
            String header = request.getHeader("Authorization");
            String query = request.getParameter("access_token");
            principal = authenticate(header == null && query != null && !query.isBlank() ? query.strip() : bearerToken());
        }
        return principal;
    }

    /** The authenticated caller; {@code unauthenticated} for a missing, unknown, expired or revoked token. */
    Principal principal() {
        if (principal == null) {
            principal = authenticate(bearerToken());
        }
        return principal;
    }

    String userId() {
        return principal().userId();
    }

    private Principal authenticate(String token) {
        Optional<Principal> found;
        try {
            found = context.authenticator().authenticate(token);
        } catch (ChatException e) {
            if (e.code() != ErrorCode.UNAUTHENTICATED) {
                throw e;
            }
            found = Optional.empty();
        } catch (RuntimeException e) {
            // A plugin that throws is not a bug of ours: the request may succeed later.
            log.warn("authenticator {} failed", context.authenticator().getClass().getName(), e);
            throw ChatException.unavailable("authentication is unavailable", e);
        }
        if (found == null || found.isEmpty()) {
            throw ChatException.unauthenticated("invalid or expired token");
        }
        return found.get();
    }
}
