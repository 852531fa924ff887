package dev.parley.server.internal.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.spi.ApiExtension;
import dev.parley.core.spi.Principal;
import dev.parley.server.internal.JsonServlet.JsonReply;
import java.util.Objects;

/** Serves an {@link ApiExtension}'s routes through the {@link ApiRouter}, like the built-in ones. */
final class ExtensionRoutes {
    private final ApiExtension extension;

    ExtensionRoutes(ApiExtension extension) {
        this.extension = Objects.requireNonNull(extension, "extension");
    }

    void addTo(ApiRouter router) {
        extension.addRoutes(new ApiExtension.Routes() {
            @Override
            public ApiExtension.Routes get(String pattern, ApiExtension.Handler handler) {
                router.get(checked(pattern), adapt(handler));
                return this;
            }

            @Override
            public ApiExtension.Routes post(String pattern, ApiExtension.Handler handler) {
                router.post(checked(pattern), adapt(handler));
                return this;
            }

            @Override
            public ApiExtension.Routes delete(String pattern, ApiExtension.Handler handler) {
                router.delete(checked(pattern), adapt(handler));
                return this;
            }

            @Override
            public ApiExtension.Routes put(String pattern, ApiExtension.Handler handler) {
                router.put(checked(pattern), adapt(handler));
                return this;
            }
        });
    }

    private String checked(String pattern) {
        if (pattern == null || !pattern.startsWith("/v1/")) {
            throw new IllegalArgumentException(extension.getClass().getName()
                    + ": a route pattern must start with /v1/: " + pattern);
        }
        return pattern;
    }

    private static ApiRouter.Handler adapt(ApiExtension.Handler handler) {
        Objects.requireNonNull(handler, "handler");
        return call -> {
            ApiExtension.Reply reply = handler.handle(new CallRequest(call));
            if (reply == null) {
                throw new IllegalStateException("an API extension handler returned no reply");
            }
            return new JsonReply(reply.status(), reply.body());
        };
    }

    private record CallRequest(ApiCall call) implements ApiExtension.Request {
        @Override
        public String path(String name) {
            return call.path(name);
        }

        @Override
        public String query(String name) {
            return call.query(name);
        }

        @Override
        public ObjectNode body() {
            return call.body().node();
        }

        @Override
        public String string(String field) {
            return call.body().string(field);
        }

        @Override
        public String requiredString(String field) {
            return call.body().requiredString(field);
        }

        @Override
        public String address() {
            return call.address();
        }

        @Override
        public String client() {
            return call.client();
        }

        @Override
        public String bearerToken() {
            return call.bearerToken();
        }

        @Override
        public Principal principal() {
            return call.principal();
        }
    }
}
