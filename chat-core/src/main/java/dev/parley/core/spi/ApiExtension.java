package dev.parley.core.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Extra JSON endpoints that a plug-in adds to the HTTP API, without the plug-in depending on
 * a transport. The transport calls {@link #addRoutes} once when it builds its API and serves
 * the routes next to its own, the same way: a handler returns a {@link Reply} or throws a
 * {@link dev.parley.core.ChatException}, which becomes the status of its code with the
 * {@code {"error":{…}}} body; the caller is authenticated with the API's own authenticator.
 *
 * <pre>{@code
 * ApiExtension hello = routes -> routes.get("/v1/hello/{name}", request ->
 *         ApiExtension.Reply.ok(JsonNodeFactory.instance.objectNode()
 *                 .put("hello", request.path("name")).put("caller", request.principal().userId())));
 * }</pre>
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface ApiExtension {

    /** Registers the routes; a method and pattern the API already serves fails the build. */
    void addRoutes(Routes routes);

    /**
     * Where routes are registered. A pattern is relative to the API root ({@code /api}), starts
     * with {@code /v1/} and may capture path segments as {@code {name}}
     * ({@code /v1/me/wallets/{address}}).
     */
    interface Routes {
        Routes get(String pattern, Handler handler);

        Routes post(String pattern, Handler handler);

        Routes delete(String pattern, Handler handler);

        /**
         * A {@code PUT} route; its JSON object body is read as for {@code POST}.
         *
         * @since 0.1.0
         */
        Routes put(String pattern, Handler handler);
    }

    /** Handles one request; runs on a request thread, so it may block on the store. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Request request);
    }

    /** One request, as a handler sees it. */
    interface Request {
        /** A captured path segment of the route. */
        String path(String name);

        /** A query parameter, or {@code null}. */
        String query(String name);

        /** The JSON body of a POST or PUT ({@code {}} when empty). */
        ObjectNode body();

        /** A string field of the body, or {@code null}; {@code bad_request} when it is not a string. */
        String string(String field);

        /** A string field of the body; {@code bad_request} when missing, empty or not a string. */
        String requiredString(String field);

        /** The client's address. */
        String address();

        /** The {@code User-Agent} (shortened), or {@code null}. */
        String client();

        /** The bearer token; {@code unauthenticated} when there is none. */
        String bearerToken();

        /** The caller; {@code unauthenticated} for a missing, unknown, expired or revoked token. */
        Principal principal();
    }

    /**
     * A status and a JSON body ({@code null} for none).
     *
     * @param status HTTP status
     * @param body   the body, or {@code null} (e.g. 204)
     */
    record Reply(int status, JsonNode body) {
        public static Reply ok(JsonNode body) {
            return new Reply(200, body);
        }

        public static Reply created(JsonNode body) {
            return new Reply(201, body);
        }

        public static Reply noContent() {
            return new Reply(204, null);
        }
    }
}
