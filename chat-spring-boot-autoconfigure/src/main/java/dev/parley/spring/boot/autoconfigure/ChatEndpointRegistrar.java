package dev.parley.spring.boot.autoconfigure;

import dev.parley.server.ChatEndpoint;
import jakarta.servlet.ServletContext;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.context.ServletContextAware;

/**
 * Adds the {@link ChatEndpoint} to the servlet container's {@link ServerContainer} (the
 * {@code jakarta.websocket.server.ServerContainer} attribute of the servlet context) once every
 * singleton exists: by then the embedded container has started its context and made the
 * server container, and no handshake has happened yet. Without a server container (a
 * {@code MockMvc} test's mock servlet context, a container without WebSocket support) the
 * endpoint is not mounted and a warning says so.
 *
 * @since 0.1.0
 */
public final class ChatEndpointRegistrar implements ServletContextAware, SmartInitializingSingleton {
    private static final Logger log = LoggerFactory.getLogger(ChatEndpointRegistrar.class);

    private final ChatEndpoint endpoint;
    private ServletContext servletContext;
    private volatile boolean registered;

    public ChatEndpointRegistrar(ChatEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void setServletContext(ServletContext servletContext) {
        this.servletContext = servletContext;
    }

    /** Whether the endpoint was added to a server container. */
    public boolean isRegistered() {
        return registered;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Object attribute = servletContext == null ? null : servletContext.getAttribute(ServerContainer.class.getName());
        if (!(attribute instanceof ServerContainer container)) {
            log.warn("no jakarta.websocket ServerContainer in the {}: the Parley endpoint {} is not mounted (add"
                    + " tomcat-embed-websocket, or use a container with WebSocket support)",
                    servletContext == null ? "application (no servlet context)" : "servlet context",
                    endpoint.config().wsPath());
            return;
        }
        try {
            container.addEndpoint(endpoint.endpointConfig());
        } catch (DeploymentException e) {
            throw new IllegalStateException("cannot mount the Parley endpoint at " + endpoint.config().wsPath()
                    + ": " + e.getMessage(), e);
        }
        registered = true;
        log.info("Parley WebSocket endpoint mounted at {}{} (subprotocol parley.v1)", servletContext.getContextPath(),
                endpoint.config().wsPath());
    }
}
