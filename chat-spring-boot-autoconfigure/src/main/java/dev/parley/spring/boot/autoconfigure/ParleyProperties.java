package dev.parley.spring.boot.autoconfigure;

import dev.parley.accounts.AccountSettings;
import dev.parley.core.ChatLimits;
import dev.parley.server.ChatHttpApi;
import dev.parley.server.ChatServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the Parley chat server in a Spring Boot application, under {@code parley.*}.
 * Every value has a default; invalid values fail at startup with the option's name.
 *
 * <pre>
 * parley.store.type=postgres
 * parley.store.postgres-url=jdbc:postgresql://db:5432/app
 * parley.store.schema=parley
 * parley.websocket.path=/chat/ws
 * parley.websocket.allowed-origins=https://app.example
 * parley.http.path=/chat
 * parley.limits.max-body-chars=4000
 * </pre>
 *
 * @param enabled   whether Parley is configured at all (default true)
 * @param store     the default store (used unless the application declares a {@code ChatStore} bean)
 * @param websocket the WebSocket endpoint
 * @param http      the HTTP API
 * @param limits    chat limits of the engine
 * @param auth      how clients sign in
 * @param files     uploads (the default blob store)
 * @since 0.1.0
 */
@ConfigurationProperties("parley")
public record ParleyProperties(@DefaultValue("true") boolean enabled,
                               @DefaultValue Store store,
                               @DefaultValue WebSocket websocket,
                               @DefaultValue Http http,
                               @DefaultValue Limits limits,
                               @DefaultValue Auth auth,
                               @DefaultValue Files files) {

    /** Which database the default store uses. */
    public enum StoreType {
        /** An SQLite file ({@code parley.store.sqlite-file}); zero set-up. */
        SQLITE,
        /** PostgreSQL ({@code parley.store.postgres-url}); several nodes may share it. */
        POSTGRES
    }

    /**
     * The default {@code JdbcChatStore}.
     *
     * @param type             {@code sqlite} (default) or {@code postgres}
     * @param sqliteFile       the SQLite file, created with its directory (default {@code parley-data/parley.db})
     * @param postgresUrl      {@code jdbc:postgresql://host:5432/db}, required for {@code postgres}
     * @param postgresUser     user for the PostgreSQL URL
     * @param postgresPassword password for the PostgreSQL URL (never logged)
     * @param schema           PostgreSQL schema for Parley's tables, created if missing
     */
    public record Store(@DefaultValue("sqlite") StoreType type,
                        @DefaultValue("parley-data/parley.db") Path sqliteFile,
                        String postgresUrl,
                        String postgresUser,
                        String postgresPassword,
                        String schema) {
    }

    /**
     * The WebSocket endpoint ({@link ChatServerConfig}).
     *
     * @param path             mount path inside the application's context path (default {@code /ws})
     * @param allowedOrigins   page origins allowed to open the socket besides requests without {@code Origin}
     * @param maxFrameBytes    largest text frame (default 65536)
     * @param pingInterval     application ping interval (default 25 s)
     * @param helloTimeout     time allowed for {@code hello} (default 10 s)
     * @param outboundQueueMax frames that may wait for one socket before it is closed as a slow consumer (default 1024)
     * @param workerThreads    threads that run commands (default max(8, 2 × cores))
     */
    public record WebSocket(@DefaultValue("/ws") String path,
                            @DefaultValue List<String> allowedOrigins,
                            Integer maxFrameBytes,
                            Duration pingInterval,
                            Duration helloTimeout,
                            Integer outboundQueueMax,
                            Integer workerThreads) {
    }

    /**
     * The HTTP API ({@link ChatHttpApi}): accounts, conversations, files, the browser client.
     *
     * @param enabled whether it is mounted (default true)
     * @param path    prefix for {@code /api/v1/…} and {@code /client/parley.js}, e.g. {@code /chat}
     *                when the application uses {@code /api} itself (default none)
     */
    public record Http(@DefaultValue("true") boolean enabled, @DefaultValue("") String path) {
    }

    /**
     * Chat limits ({@link ChatLimits}); unset values keep the library's defaults.
     *
     * @param maxBodyChars    longest message text
     * @param maxGroupMembers largest group
     * @param maxPageSize     largest history page
     * @param editWindow      how long a message may be edited
     */
    public record Limits(Integer maxBodyChars, Integer maxGroupMembers, Integer maxPageSize, Duration editWindow) {
    }

    /**
     * Sign-in.
     *
     * @param development      sign in anyone with the token {@code dev:<userId>} (the
     *                         {@code DevelopmentAuthenticator}); for demos and tests only (default false)
     * @param sessionTtl       lifetime of a login session of the default accounts
     * @param minPasswordChars shortest password the default accounts accept
     */
    public record Auth(@DefaultValue("false") boolean development, Duration sessionTtl, Integer minPasswordChars) {
    }

    /**
     * Uploads.
     *
     * @param enabled whether the default blob store is created (default true); without a blob
     *                store {@code /api/v1/files} is not mounted
     * @param dir     directory of the default blob store (default {@code parley-data/blobs})
     */
    public record Files(@DefaultValue("true") boolean enabled, @DefaultValue("parley-data/blobs") Path dir) {
    }

    /** The transport settings these properties describe. */
    public ChatServerConfig serverConfig() {
        ChatServerConfig.Builder b = ChatServerConfig.builder().wsPath(websocket.path())
                .allowedOrigins(websocket.allowedOrigins());
        if (websocket.maxFrameBytes() != null) {
            b.maxFrameBytes(websocket.maxFrameBytes());
        }
        if (websocket.pingInterval() != null) {
            b.pingInterval(websocket.pingInterval());
        }
        if (websocket.helloTimeout() != null) {
            b.helloTimeout(websocket.helloTimeout());
        }
        if (websocket.outboundQueueMax() != null) {
            b.outboundQueueMax(websocket.outboundQueueMax());
        }
        if (websocket.workerThreads() != null) {
            b.workerThreads(websocket.workerThreads());
        }
        return b.build();
    }

    /** The chat limits these properties describe. */
    public ChatLimits chatLimits() {
        ChatLimits.Builder b = ChatLimits.builder();
        if (limits.maxBodyChars() != null) {
            b.maxBodyChars(limits.maxBodyChars());
        }
        if (limits.maxGroupMembers() != null) {
            b.maxGroupMembers(limits.maxGroupMembers());
        }
        if (limits.maxPageSize() != null) {
            b.maxPageSize(limits.maxPageSize());
        }
        if (limits.editWindow() != null) {
            b.editWindow(limits.editWindow());
        }
        return b.build();
    }

    /** The settings of the default account service. */
    public AccountSettings accountSettings() {
        AccountSettings.Builder b = AccountSettings.builder();
        if (auth.sessionTtl() != null) {
            b.sessionTtl(auth.sessionTtl());
        }
        if (auth.minPasswordChars() != null) {
            b.minPasswordChars(auth.minPasswordChars());
        }
        return b.build();
    }

    /** The HTTP path prefix, checked. */
    public String httpPath() {
        try {
            return ChatHttpApi.checkPrefix(http.path());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("parley.http.path: " + e.getMessage()); // the message names the property
        }
    }
}
