package dev.parley.spring.boot.autoconfigure;

import dev.parley.core.ChatEngine;
import dev.parley.server.ChatEndpoint;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code parley} health component ({@link ParleyHealthIndicator}) when Spring Boot
 * Actuator is present; off with {@code management.health.parley.enabled=false}.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ParleyWebAutoConfiguration.class,
        beforeName = "org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration")
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean(ChatEngine.class)
@ConditionalOnEnabledHealthIndicator("parley")
public class ParleyHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "parleyHealthIndicator")
    public ParleyHealthIndicator parleyHealthIndicator(ChatEngine engine, ObjectProvider<ChatEndpoint> endpoint) {
        return new ParleyHealthIndicator(engine, endpoint.getIfUnique());
    }
}
