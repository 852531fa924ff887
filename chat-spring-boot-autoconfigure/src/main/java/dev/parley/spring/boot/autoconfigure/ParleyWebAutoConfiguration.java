package dev.parley.spring.boot.autoconfigure;

import dev.parley.accounts.AccountService;
import dev.parley.core.ChatEngine;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.BlobStore;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.server.ChatEndpoint;
import dev.parley.server.ChatHttpApi;
import dev.parley.server.HandshakeFilter;
import jakarta.servlet.DispatcherType;
import jakarta.websocket.server.ServerContainer;
import java.util.List;
import org.apache.tomcat.websocket.server.WsContextListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Mounts the chat in the application's own servlet container (Tomcat by default in Spring
 * Boot): the WebSocket endpoint at {@code parley.websocket.path} with its handshake filter, and
 * the HTTP API ({@code /api/v1/…}, files, {@code /client/parley.js}) under {@code parley.http.path}.
 *
 * <p>Embedded containers do not scan for {@code @ServerEndpoint} classes or run
 * {@code ServletContainerInitializer}s from jars, so everything is registered programmatically:
 * the filter with a {@link FilterRegistrationBean} (ahead of the container's upgrade filter),
 * the servlets from a {@link ServletContextInitializer}, and the endpoint on the container's
 * {@link ServerContainer} once every singleton exists ({@link ChatEndpointRegistrar}), the way
 * Spring's {@code ServerEndpointExporter} does.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ParleyAccountsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ServerContainer.class, ChatEndpoint.class, FilterRegistrationBean.class})
@ConditionalOnBean(ChatEngine.class)
@ConditionalOnProperty(prefix = "parley", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ParleyWebAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ChatEndpoint parleyChatEndpoint(ChatEngine engine, ObjectProvider<Authenticator> authenticators,
                                           ObjectProvider<AccountService> accounts, ObjectProvider<ChatMetrics> metrics,
                                           ParleyProperties properties) {
        ChatEndpoint.Builder b = ChatEndpoint.builder().engine(engine).authenticator(authenticator(authenticators))
                .config(properties.serverConfig());
        metrics.ifUnique(b::metrics);
        ChatEndpoint endpoint = b.build();
        // Logout, revocation and disabled accounts close the sockets of those sessions (4401).
        accounts.ifUnique(a -> a.onSessionsRevoked(r -> endpoint.closeSessions(r.userId(), r.sessionIds())));
        return endpoint;
    }

    @Bean
    public ChatEndpointRegistrar parleyChatEndpointRegistrar(ChatEndpoint endpoint) {
        return new ChatEndpointRegistrar(endpoint);
    }

    @Bean
    public FilterRegistrationBean<HandshakeFilter> parleyHandshakeFilter(ChatEndpoint endpoint) {
        FilterRegistrationBean<HandshakeFilter> registration = new FilterRegistrationBean<>(endpoint.handshakeFilter());
        registration.setName("parley-handshake");
        registration.setUrlPatterns(List.of(endpoint.config().wsPath()));
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(true);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "parley.http", name = "enabled", havingValue = "true", matchIfMissing = true)
    public ChatHttpApi parleyHttpApi(ChatEngine engine, ObjectProvider<Authenticator> authenticators,
                                     ObjectProvider<AccountService> accounts, ObjectProvider<BlobStore> blobs,
                                     ParleyProperties properties) {
        ChatHttpApi.Builder b = ChatHttpApi.builder().engine(engine).authenticator(authenticator(authenticators))
                .maxBodyBytes(properties.serverConfig().maxFrameBytes());
        accounts.ifUnique(b::accounts);
        blobs.ifUnique(b::blobStore);
        return b.build();
    }

    @Bean
    @ConditionalOnBean(ChatHttpApi.class)
    public ServletContextInitializer parleyHttpApiServlets(ChatHttpApi api, ParleyProperties properties) {
        String prefix = properties.httpPath();
        return servletContext -> api.install(servletContext, prefix);
    }

    /**
     * Makes sure Tomcat creates its {@code ServerContainer}. Spring Boot registers Tomcat's
     * WebSocket listener only through a customizer bean whose name its Jetty variant shares: with
     * Jetty's {@code JakartaWebSocketServletContainerInitializer} also on the classpath (e.g.
     * from {@code chat-server-embedded} with its Jetty), Jetty's customizer takes the name, Tomcat
     * still serves, and no {@code ServerContainer} is ever made. Tomcat's listener does nothing
     * when the container already exists, so adding it again is harmless.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.apache.catalina.startup.Tomcat",
            "org.apache.tomcat.websocket.server.WsContextListener"})
    static class TomcatWebSocketSupport {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> parleyTomcatWebSocketCustomizer() {
            return factory -> factory.addContextCustomizers(
                    context -> context.addApplicationListener(WsContextListener.class.getName()));
        }
    }

    private static Authenticator authenticator(ObjectProvider<Authenticator> authenticators) {
        Authenticator authenticator = authenticators.getIfUnique();
        if (authenticator == null) {
            long count = authenticators.stream().count();
            throw new IllegalStateException(count > 1
                    ? "Parley found " + count + " Authenticator beans; keep one (or mark one @Primary)"
                    : "Parley has no Authenticator: declare an Authenticator bean, use a store that keeps accounts"
                            + " (the default JdbcChatStore does), or set parley.auth.development=true for a demo");
        }
        return authenticator;
    }
}
