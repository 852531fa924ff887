package dev.parley.server;

import dev.parley.core.ChatException;
import dev.parley.core.ErrorCode;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.server.internal.OriginPolicy;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.Locale;

/**
 * Refuses WebSocket upgrades that protocol v1 does not accept, with a JSON error body:
 * <ul>
 *   <li>an {@code Origin} header not in {@link ChatServerConfig#allowedOrigins()} → HTTP 403
 *       {@code {"error":{"code":"forbidden",…}}} (no {@code Origin}: allowed);</li>
 *   <li>no {@code parley.v1} in {@code Sec-WebSocket-Protocol} → HTTP 400
 *       {@code {"error":{"code":"bad_request",…}}}.</li>
 * </ul>
 * Requests that are not upgrades pass through. Map it on the WebSocket path so that it runs
 * <em>before</em> the container's upgrade filter: registered from a
 * {@code ServletContainerInitializer} with {@code isMatchAfter = false}, as
 * {@link ChatEndpoint#install} does.
 *
 * <pre>{@code
 * servletContext.addFilter("parley-handshake", endpoint.handshakeFilter())
 *         .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/ws");
 * }</pre>
 */
public final class HandshakeFilter implements Filter {
    private final OriginPolicy origins;
    private final ProtocolCodec codec = new ProtocolCodec();

    /** A filter enforcing {@code config}'s allowed origins. */
    public HandshakeFilter(ChatServerConfig config) {
        this.origins = new OriginPolicy(config.allowedOrigins());
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse out
                && isUpgrade(http)) {
            String origin = http.getHeader("Origin");
            if (!origins.allows(origin)) {
                refuse(out, new ChatException(ErrorCode.FORBIDDEN, "origin not allowed: " + origin));
                return;
            }
            if (!offersSubprotocol(http)) {
                refuse(out, ChatException.badRequest(
                        "the WebSocket subprotocol " + ChatServerConfig.SUBPROTOCOL
                                + " is required (Sec-WebSocket-Protocol)"));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean isUpgrade(HttpServletRequest request) {
        String upgrade = request.getHeader("Upgrade");
        return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
    }

    private static boolean offersSubprotocol(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders("Sec-WebSocket-Protocol");
        while (headers != null && headers.hasMoreElements()) {
            for (String token : headers.nextElement().split(",")) {
                if (token.trim().equals(ChatServerConfig.SUBPROTOCOL)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void refuse(HttpServletResponse response, ChatException error) throws IOException {
        byte[] body = codec.httpError(error).getBytes(StandardCharsets.UTF_8);
        response.setStatus(error.code().httpStatus());
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
