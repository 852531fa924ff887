package dev.parley.spring.boot.autoconfigure;

import dev.parley.core.spi.ChatMetrics;
import dev.parley.micrometer.MicrometerChatMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Parley's meters ({@code parley.*}, see {@code docs/metrics.md}) in the application's
 * {@link MeterRegistry}, when it has one (Spring Boot Actuator makes one) and
 * {@code dev.parley:chat-micrometer} is on the classpath. A {@link ChatMetrics} bean of the
 * application's replaces it.
 *
 * @since 0.1.0
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, MicrometerChatMetrics.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = "parley", name = "enabled", havingValue = "true", matchIfMissing = true)
public class ParleyMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ChatMetrics.class)
    public MicrometerChatMetrics parleyChatMetrics(MeterRegistry registry) {
        return new MicrometerChatMetrics(registry);
    }
}
