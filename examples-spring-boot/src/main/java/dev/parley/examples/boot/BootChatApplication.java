package dev.parley.examples.boot;

import dev.parley.core.Message;
import dev.parley.core.spi.ChatListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot web application with chat: {@code dev.parley:chat-spring-boot-starter} on the
 * classpath is all it takes. Tomcat serves the application, the WebSocket endpoint
 * ({@code ws://localhost:8080/ws}, subprotocol {@code parley.v1}), the HTTP API
 * ({@code /api/v1/…}: register, log in, conversations, files) and {@code /actuator/health}.
 * Settings are in {@code application.properties} ({@code parley.*}).
 *
 * <pre>
 * mvn -B -q install -DskipTests &amp;&amp; mvn -B -q -pl examples-spring-boot spring-boot:run
 * </pre>
 *
 * <p>Any Parley SPI is replaced by declaring a bean of its type; here a {@link ChatListener}
 * joins the engine the starter builds.
 */
@SpringBootApplication
public class BootChatApplication {
    private static final Logger log = LoggerFactory.getLogger(BootChatApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(BootChatApplication.class, args);
    }

    /** Host-application hook: every committed message (webhooks, bots and push notifications start here). */
    @Bean
    ChatListener messageLog() {
        return new ChatListener() {
            @Override
            public void onMessage(Message message) {
                log.info("message {} #{} in {} from {}", message.id(), message.seq(), message.conversationId(),
                        message.senderId());
            }
        };
    }
}
