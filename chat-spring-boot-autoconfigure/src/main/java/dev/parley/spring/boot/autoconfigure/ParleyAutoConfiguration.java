package dev.parley.spring.boot.autoconfigure;

import dev.parley.core.ChatEngine;
import dev.parley.core.spi.BlobStore;
import dev.parley.core.spi.Broker;
import dev.parley.core.spi.ChatListener;
import dev.parley.core.spi.ChatMetrics;
import dev.parley.core.spi.ChatStore;
import dev.parley.core.spi.MessageFilter;
import dev.parley.media.FileSystemBlobStore;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The chat core in a Spring Boot application: a {@link ChatStore} (a {@link JdbcChatStore} on
 * SQLite or PostgreSQL from {@code parley.store.*}), a {@link ChatEngine} with the
 * application's {@link Broker}, {@link MessageFilter}, {@link ChatListener} and
 * {@link ChatMetrics} beans, and a {@link BlobStore} for uploads. Each bean backs off when the
 * application declares one of the same type. Off with {@code parley.enabled=false}.
 *
 * <p>A store bean of the application's is not closed by Parley (Spring closes it if it is
 * {@code AutoCloseable}); to keep password accounts with it, declare it with a type that
 * implements {@code AccountStore} (as {@code JdbcChatStore} does).
 *
 * @since 0.1.0
 */
@AutoConfiguration(after = ParleyMetricsAutoConfiguration.class)
@ConditionalOnClass({ChatEngine.class, JdbcChatStore.class})
@ConditionalOnProperty(prefix = "parley", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(ParleyProperties.class)
public class ParleyAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(ChatStore.class)
    public JdbcChatStore parleyChatStore(ParleyProperties properties, ObjectProvider<ChatMetrics> metrics) {
        ParleyProperties.Store store = properties.store();
        JdbcChatStore.Builder b = JdbcChatStore.builder()
                .metrics(metrics.getIfUnique(ChatMetrics::none));
        switch (store.type()) {
            case SQLITE -> b.sqlite(store.sqliteFile());
            case POSTGRES -> {
                if (store.postgresUrl() == null || store.postgresUrl().isBlank()) {
                    throw new IllegalStateException("parley.store.type=postgres needs parley.store.postgres-url");
                }
                b.postgres(store.postgresUrl());
                if (store.postgresUser() != null) {
                    b.postgresUser(store.postgresUser());
                }
                if (store.postgresPassword() != null) {
                    b.postgresPassword(store.postgresPassword());
                }
                if (store.schema() != null) {
                    b.schema(store.schema());
                }
            }
        }
        return b.build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public ChatEngine parleyChatEngine(ChatStore store, ParleyProperties properties, ObjectProvider<Broker> broker,
                                       ObjectProvider<MessageFilter> filters, ObjectProvider<ChatListener> listeners,
                                       ObjectProvider<ChatMetrics> metrics) {
        ChatEngine.Builder b = ChatEngine.builder().store(store).limits(properties.chatLimits())
                .metrics(metrics.getIfUnique(ChatMetrics::none));
        broker.ifUnique(b::broker);
        filters.orderedStream().forEach(b::filter);
        listeners.orderedStream().forEach(b::listener);
        return b.build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(BlobStore.class)
    @ConditionalOnProperty(prefix = "parley.files", name = "enabled", havingValue = "true", matchIfMissing = true)
    public FileSystemBlobStore parleyBlobStore(ParleyProperties properties) {
        Path dir = properties.files().dir();
        try {
            Files.createDirectories(dir);
            return FileSystemBlobStore.open(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the blob store in " + dir + " (parley.files.dir)", e);
        }
    }
}
