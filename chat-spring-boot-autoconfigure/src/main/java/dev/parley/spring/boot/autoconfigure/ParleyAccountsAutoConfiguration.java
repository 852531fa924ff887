package dev.parley.spring.boot.autoconfigure;

import dev.parley.accounts.AccountService;
import dev.parley.core.ChatEngine;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.Authenticator;
import dev.parley.server.DevelopmentAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Who may sign in. The default: password accounts, an {@link AccountService} over the store
 * when the store keeps accounts (an {@link AccountStore}, as the default JDBC store is); the
 * account service is the {@link Authenticator} too. An {@link Authenticator} bean of the
 * application's replaces it (the account endpoints then answer 404, as in {@code ChatServer});
 * an {@link AccountService} bean of its own is used as is. {@code parley.auth.development=true}
 * signs in anyone with the token {@code dev:<userId>} instead: for demos and tests only.
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ParleyAutoConfiguration.class)
@ConditionalOnClass({AccountService.class, DevelopmentAuthenticator.class})
@ConditionalOnBean(ChatEngine.class)
public class ParleyAccountsAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(ParleyAccountsAutoConfiguration.class);

    @Bean
    @ConditionalOnBean(AccountStore.class)
    @ConditionalOnMissingBean({AccountService.class, Authenticator.class})
    @ConditionalOnProperty(prefix = "parley.auth", name = "development", havingValue = "false", matchIfMissing = true)
    public AccountService parleyAccountService(ChatEngine engine, AccountStore store, ParleyProperties properties) {
        return new AccountService(engine, store, properties.accountSettings(), engine.clock());
    }

    @Bean
    @ConditionalOnMissingBean(Authenticator.class)
    @ConditionalOnProperty(prefix = "parley.auth", name = "development", havingValue = "true")
    public DevelopmentAuthenticator parleyDevelopmentAuthenticator(ChatEngine engine) {
        log.warn("parley.auth.development=true: the token dev:<userId> signs in as anyone. Do not use it in production.");
        return new DevelopmentAuthenticator(engine);
    }
}
