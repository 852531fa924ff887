package dev.parley.server;

import dev.parley.server.internal.CoreSocket;
import dev.parley.server.internal.SocketHub;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

/**
 * Deploys a {@link ChatEndpoint} on embedded Jetty's core WebSocket API instead of the Jakarta
 * one: what {@link ChatServer} does. The protocol and handshake rules are the same (the {@link
 * HandshakeFilter} runs ahead of Jetty's upgrade filter); each socket costs less memory (no
 * Jakarta encoders, decoders and handler bindings, and the upgrade request is not kept), a
 * broadcast's bytes go to every recipient without being encoded again, and frames waiting for
 * a socket leave in one write. Only this class and {@link CoreSocket} link Jetty's WebSocket
 * classes, so the endpoint still deploys in containers without Jetty (Spring Boot on Tomcat).
 */
final class CoreTransport {
    private CoreTransport() {
    }

    /** Call while the context starts (from a {@code ServletContainerInitializer}). */
    static void install(ChatEndpoint endpoint, ServletContextHandler context) {
        SocketHub hub = endpoint.hub();
        WebSocketServerComponents.ensureWebSocketComponents(context.getServer(), context);
        WebSocketUpgradeFilter.ensureFilter(context.getServletContext());
        WebSocketMappings.ensureMappings(context).addMapping(
                WebSocketMappings.parsePathSpec(endpoint.config().wsPath()),
                (request, response, callback) -> {
                    if (!hub.allowsOrigin(request.getHeaders().get("Origin"))) {
                        // Second line of defence when the HandshakeFilter is not installed (no JSON body then).
                        Response.writeError(request, response, callback, 403, "origin not allowed");
                        return null;
                    }
                    if (request.hasSubProtocol(ChatServerConfig.SUBPROTOCOL)) {
                        response.setAcceptedSubProtocol(ChatServerConfig.SUBPROTOCOL);
                    }
                    return new CoreSocket(hub);
                },
                (socket, request, response) -> (CoreSocket) socket, null);
        endpoint.addHandshakeFilter(context.getServletContext());
    }
}
