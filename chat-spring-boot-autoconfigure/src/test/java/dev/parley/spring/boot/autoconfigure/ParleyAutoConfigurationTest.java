package dev.parley.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.accounts.AccountService;
import dev.parley.core.ChatEngine;
import dev.parley.core.local.InMemoryChatStore;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.Principal;
import dev.parley.micrometer.MicrometerChatMetrics;
import dev.parley.server.ChatEndpoint;
import dev.parley.server.ChatHttpApi;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.store.jdbc.JdbcChatStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration without a server: what it builds, from which properties, and what backs off. */
class ParleyAutoConfigurationTest {

    @TempDir
    Path dir;

    private WebApplicationContextRunner runner() {
        return new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ParleyMetricsAutoConfiguration.class,
                        ParleyAutoConfiguration.class, ParleyAccountsAutoConfiguration.class,
                        ParleyWebAutoConfiguration.class, ParleyHealthAutoConfiguration.class))
                .withPropertyValues("parley.store.sqlite-file=" + dir.resolve("parley.db"),
                        "parley.files.dir=" + dir.resolve("blobs"));
    }

    @Test
    void theDefaultsAreAnSqliteStoreAccountsAnEndpointAndTheHttpApi() {
        runner().run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(JdbcChatStore.class);
            assertThat(context).hasSingleBean(AccountService.class);
            assertThat(context.getBean(Authenticator.class)).isSameAs(context.getBean(AccountService.class));
            assertThat(context.getBean(ChatEndpoint.class).config().wsPath()).isEqualTo("/ws");
            assertThat(context.getBean(ChatHttpApi.class).servesFiles()).isTrue();
            assertThat(context.getBean(ChatEngine.class).metrics()).isSameAs(ChatMetrics.none());
            assertThat(context).hasSingleBean(ParleyHealthIndicator.class);
            assertThat(context.getBean(ParleyHealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void propertiesUnderParleyConfigureEndpointEngineAndAccounts() {
        runner().withPropertyValues("parley.websocket.path=/chat/ws",
                        "parley.websocket.allowed-origins=https://app.example,https://admin.example",
                        "parley.websocket.ping-interval=40s",
                        "parley.websocket.outbound-queue-max=128",
                        "parley.limits.max-body-chars=500",
                        "parley.limits.edit-window=1h",
                        "parley.files.enabled=false",
                        "parley.http.path=/chat")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    ChatEndpoint endpoint = context.getBean(ChatEndpoint.class);
                    assertThat(endpoint.config().wsPath()).isEqualTo("/chat/ws");
                    assertThat(endpoint.config().allowedOrigins())
                            .containsExactlyInAnyOrder("https://app.example", "https://admin.example");
                    assertThat(endpoint.config().pingInterval()).isEqualTo(Duration.ofSeconds(40));
                    assertThat(endpoint.config().outboundQueueMax()).isEqualTo(128);
                    ChatEngine engine = context.getBean(ChatEngine.class);
                    assertThat(engine.limits().maxBodyChars()).isEqualTo(500);
                    assertThat(engine.limits().editWindow()).isEqualTo(Duration.ofHours(1));
                    assertThat(context.getBean(ParleyProperties.class).httpPath()).isEqualTo("/chat");
                    assertThat(context.getBean(ChatHttpApi.class).servesFiles()).isFalse();
                });
    }

    @Test
    void aBadValueFailsTheStartupNamingTheProperty() {
        runner().withPropertyValues("parley.http.path=chat/").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("parley.http.path");
        });
        runner().withPropertyValues("parley.store.type=postgres").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("parley.store.postgres-url");
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStoreAndAuthenticator {
        @Bean
        InMemoryChatStore ownStore() {
            return new InMemoryChatStore();
        }

        @Bean
        Authenticator ownAuthenticator() {
            return token -> token.equals("let-me-in") ? Optional.of(new Principal("ann", "Ann")) : Optional.empty();
        }
    }

    @Test
    void theApplicationsStoreAndAuthenticatorReplaceTheDefaults() {
        runner().withUserConfiguration(OwnStoreAndAuthenticator.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(JdbcChatStore.class);
            assertThat(context).doesNotHaveBean(AccountService.class);
            assertThat(context.getBean(ChatEngine.class).store()).isSameAs(context.getBean(InMemoryChatStore.class));
            assertThat(context.getBean(Authenticator.class)).isSameAs(context.getBean("ownAuthenticator"));
            assertThat(context).hasSingleBean(ChatEndpoint.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class StoreWithoutAccounts {
        @Bean
        ChatStore ownStore() {
            return new InMemoryChatStore();
        }
    }

    @Test
    void withoutAnyWayToSignInTheStartupFailsWithAdvice() {
        runner().withUserConfiguration(StoreWithoutAccounts.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("no Authenticator")
                    .hasMessageContaining("parley.auth.development=true");
        });
        runner().withUserConfiguration(StoreWithoutAccounts.class).withPropertyValues("parley.auth.development=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(Authenticator.class)).isInstanceOf(DevelopmentAuthenticator.class);
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class Registry {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void aMeterRegistryBringsMicrometerMetricsToEngineAndStore() {
        runner().withUserConfiguration(Registry.class).run(context -> {
            assertThat(context).hasNotFailed();
            MicrometerChatMetrics metrics = context.getBean(MicrometerChatMetrics.class);
            ChatEngine engine = context.getBean(ChatEngine.class);
            assertThat(engine.metrics()).isSameAs(metrics);
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            engine.putUser("ann", "Ann");
            engine.putUser("ben", "Ben");
            var dm = engine.createDirect("ann", "ben");
            engine.sendAndWait("ann", dm.id(), "m1", new dev.parley.core.MessageBody("hi"), null);

            assertThat(registry.get("parley.messages.sent").counter().count()).isEqualTo(1);
            assertThat(registry.get("parley.store.commit.duration").timer().count()).isPositive();
        });
    }

    @Test
    void parleyEnabledFalseConfiguresNothing() {
        runner().withPropertyValues("parley.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(ChatEngine.class);
            assertThat(context).doesNotHaveBean(ChatStore.class);
            assertThat(context).doesNotHaveBean(ChatEndpoint.class);
        });
    }
}
