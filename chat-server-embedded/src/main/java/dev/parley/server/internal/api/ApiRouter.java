package dev.parley.server.internal.api;

import dev.parley.core.ChatException;
import dev.parley.server.internal.JsonServlet.JsonReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The route table: method plus a path pattern whose {@code {name}} segments capture
 * parameters ({@code /v1/friends/{userId}/block}). A path no route matches is
 * {@code not_found}; a path that matches only for other methods is a 405.
 */
final class ApiRouter {

    /** Handles one matched request. */
    @FunctionalInterface
    interface Handler {
        JsonReply handle(ApiCall call);
    }

    private record Route(String method, String[] segments, Handler handler) {
    }

    /** A matched route and its path parameters; {@code handler} is {@code null} when only the method did not match. */
    record Match(Handler handler, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    ApiRouter get(String pattern, Handler handler) {
        return add("GET", pattern, handler);
    }

    ApiRouter post(String pattern, Handler handler) {
        return add("POST", pattern, handler);
    }

    ApiRouter delete(String pattern, Handler handler) {
        return add("DELETE", pattern, handler);
    }

    ApiRouter put(String pattern, Handler handler) {
        return add("PUT", pattern, handler);
    }

    /** @throws IllegalStateException when the method and pattern are already routed */
    private ApiRouter add(String method, String pattern, Handler handler) {
        String[] segments = split(pattern);
        for (Route route : routes) {
            if (route.method().equals(method) && samePattern(route.segments(), segments)) {
                throw new IllegalStateException(method + " " + pattern + " is already routed");
            }
        }
        routes.add(new Route(method, segments, handler));
        return this;
    }

    /**
     * The route for {@code method} and {@code path}.
     *
     * @throws ChatException {@code not_found} when no route has this path
     */
    Match match(String method, String path) {
        String[] segments = split(path == null ? "/" : path);
        boolean pathKnown = false;
        for (Route route : routes) {
            Map<String, String> params = matchPath(route.segments(), segments);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match(route.handler(), params);
            }
            pathKnown = true;
        }
        if (pathKnown) {
            return new Match(null, Map.of());
        }
        throw ChatException.notFound("no such API endpoint: " + method + " /api" + abbreviate(path));
    }

    /** Equal, with any two captures counting as equal ({@code {id}} and {@code {userId}}). */
    private static boolean samePattern(String[] a, String[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            boolean captureA = a[i].startsWith("{");
            boolean captureB = b[i].startsWith("{");
            if (captureA != captureB || (!captureA && !a[i].equals(b[i]))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> matchPath(String[] pattern, String[] segments) {
        if (pattern.length != segments.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (segments[i].isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), segments[i]);
            } else if (!p.equals(segments[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    private static String abbreviate(String path) {
        String p = path == null ? "/" : path;
        return p.length() <= 80 ? p : p.substring(0, 80) + "…";
    }
}
