package dev.parley.server.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.spi.ApiExtension;
import dev.parley.server.internal.JsonServlet;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The HTTP API, mapped at {@code /api/*}: routes each request to its handler. The routes are
 * listed in {@code docs/http-api.md}; each area registers its own ({@link AuthRoutes},
 * {@link MeRoutes}, {@link SocialRoutes}, {@link AdminRoutes}, {@link ConversationRoutes}), then
 * each {@link ApiExtension} adds its own ({@link ExtensionRoutes}).
 */
public final class ApiServlet extends JsonServlet {
    private final transient ApiContext context;
    private final transient ApiRouter router = new ApiRouter();

    /**
     * @param maxBodyBytes largest request body; a larger one is answered 413 {@code too_large}
     * @param extensions   extra routes, after the built-in ones
     * @throws IllegalStateException when an extension routes a method and path already routed
     */
    public ApiServlet(ApiContext context, int maxBodyBytes, List<ApiExtension> extensions) {
        super(context.codec(), maxBodyBytes);
        this.context = context;
        new AuthRoutes(context).addTo(router);
        new MeRoutes(context).addTo(router);
        new SocialRoutes(context).addTo(router);
        new AdminRoutes(context).addTo(router);
        new ConversationRoutes(context).addTo(router);
        new SearchRoutes(context).addTo(router);
        for (ApiExtension extension : extensions) {
            new ExtensionRoutes(extension).addTo(router);
        }
    }

    @Override
    protected JsonReply get(HttpServletRequest request) {
        return route("GET", request, null);
    }

    @Override
    protected JsonReply post(HttpServletRequest request, ObjectNode body) {
        return route("POST", request, body);
    }

    @Override
    protected JsonReply delete(HttpServletRequest request) {
        return route("DELETE", request, null);
    }

    @Override
    protected JsonReply put(HttpServletRequest request, ObjectNode body) {
        return route("PUT", request, body);
    }

    private JsonReply route(String method, HttpServletRequest request, ObjectNode body) {
        ApiRouter.Match match = router.match(method, request.getPathInfo());
        if (match.handler() == null) {
            throw methodNotAllowed();
        }
        return match.handler().handle(new ApiCall(context, request, body, match.params()));
    }
}
