package dev.parley.server;

import dev.parley.accounts.AccountService;
import dev.parley.core.ChatEngine;
import dev.parley.core.protocol.ProtocolCodec;
import dev.parley.core.spi.AccountStore;
import dev.parley.core.spi.ApiExtension;
import dev.parley.core.spi.Authenticator;
import dev.parley.core.spi.BlobStore;
import dev.parley.media.MediaPolicy;
import dev.parley.media.MediaUploader;
import dev.parley.server.internal.BuilderOptions;
import dev.parley.server.internal.ClasspathResourceServlet;
import dev.parley.server.internal.FileCleanup;
import dev.parley.server.internal.api.ApiContext;
import dev.parley.server.internal.api.ApiServlet;
import dev.parley.server.internal.api.FileServlet;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Parley HTTP API as plain servlets, for any Servlet 6 container: the JSON API under
 * {@code /api/v1} (accounts, profiles, friends, users, admin, conversations, search; see
 * {@code docs/http-api.md}), file upload and download under {@code /api/v1/files} when a
 * {@link BlobStore} is given, and the browser client at {@code /client/parley.js}.
 * {@link ChatServer} mounts exactly these on its Jetty; a host application mounts them in the
 * container it runs, next to the {@link ChatEndpoint}:
 *
 * <pre>{@code
 * ChatHttpApi api = ChatHttpApi.builder()
 *         .engine(engine)
 *         .authenticator(accounts)
 *         .accounts(accounts)
 *         .build();
 * for (ChatHttpApi.Mount mount : api.mounts()) {   // or api.install(servletContext)
 *     servletContext.addServlet(mount.name(), mount.servlet()).addMapping(mount.urlPattern());
 * }
 * // at shutdown, after the container stopped:
 * api.close();
 * }</pre>
 *
 * <p>With a blob store, a background task releases uploads no message needs and deletes their
 * blobs; {@link #close()} stops it. The API never closes the engine, the authenticator, the
 * account service or the blob store.
 *
 * @since 0.1.0
 */
public final class ChatHttpApi implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChatHttpApi.class);
    /** The browser client, from the {@code dev.parley:chat-client-js} jar. */
    private static final String CLIENT_JS = "dev/parley/clientjs/parley.js";
    /** How often uploads no message needs are released and their blobs deleted. */
    private static final Duration FILE_CLEANUP_INTERVAL = Duration.ofMinutes(5);
    /** How often every blob is checked against the uploads that name it. */
    private static final Duration FILE_SWEEP_INTERVAL = Duration.ofHours(1);
    /** A blob stored more recently than this is never deleted (a new upload may be about to name it). */
    private static final Duration BLOB_GRACE = Duration.ofHours(1);
    /** How long {@code POST /api/v1/conversations/{id}/messages} waits for the commit before a 503. */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    /**
     * One servlet to register.
     *
     * @param name       a servlet name, unique in the context ({@code parley-…})
     * @param urlPattern where to map it, relative to the context path
     * @param servlet    the servlet (asynchronous support is not needed)
     */
    public record Mount(String name, String urlPattern, Servlet servlet) {
        public Mount {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(urlPattern, "urlPattern");
            Objects.requireNonNull(servlet, "servlet");
        }
    }

    private final List<Mount> mounts;
    private final FileCleanup cleanup;
    private volatile boolean closed;

    private ChatHttpApi(Builder b) {
        AccountStore accountStore = b.accounts != null && b.engine.store() instanceof AccountStore as ? as : null;
        ApiContext context = new ApiContext(b.engine, b.authenticator, b.accounts, accountStore, new ProtocolCodec(),
                SEND_TIMEOUT);
        List<Mount> list = new ArrayList<>();
        list.add(new Mount("parley-api", "/api/*", new ApiServlet(context, b.maxBodyBytes,
                List.copyOf(b.extensions))));
        if (b.blobStore != null) {
            list.add(new Mount("parley-files", "/api/v1/files/*", new FileServlet(context, b.blobStore,
                    new MediaUploader(b.blobStore, b.mediaPolicy), b.mediaPolicy.maxUploadBytes())));
        } else {
            log.info("no blob store: file uploads are off (give the HTTP API a BlobStore to serve files)");
        }
        ClassLoader own = ChatHttpApi.class.getClassLoader();
        if (own.getResource(CLIENT_JS) == null) {
            log.warn("{} is not on the classpath (dev.parley:chat-client-js): /client/parley.js answers 404", CLIENT_JS);
        }
        list.add(new Mount("parley-client-js", "/client/parley.js",
                ClasspathResourceServlet.file(own, CLIENT_JS, "text/javascript; charset=utf-8")));
        this.mounts = List.copyOf(list);
        this.cleanup = b.blobStore == null ? null
                : new FileCleanup(b.engine, b.blobStore, FILE_CLEANUP_INTERVAL, FILE_SWEEP_INTERVAL, BLOB_GRACE);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The servlets to register, each with its URL pattern: {@code /api/*},
     * {@code /api/v1/files/*} (only with a blob store) and {@code /client/parley.js}.
     */
    public List<Mount> mounts() {
        return mounts;
    }

    /**
     * Registers every {@link #mounts() mount} in {@code context} at its URL pattern. Call it
     * while the context initializes (a {@code ServletContainerInitializer}, Spring Boot's
     * {@code ServletContextInitializer}).
     *
     * @throws IllegalStateException when a servlet of the same name is already registered, or a
     *                               pattern is already mapped to another servlet
     */
    public void install(ServletContext context) {
        install(context, "");
    }

    /**
     * Registers every {@link #mounts() mount} under {@code pathPrefix}, e.g. {@code "/chat"} for
     * {@code /chat/api/v1/…} and {@code /chat/client/parley.js}, so that the API does not take
     * over paths the application uses itself. Browser clients then pass the prefix as their
     * base URL ({@code new ParleyAccounts("/chat")}).
     *
     * @param pathPrefix {@code ""}, or a path starting with {@code /} and not ending with one
     * @throws IllegalArgumentException for a malformed prefix
     * @throws IllegalStateException    when a servlet of the same name is already registered, or
     *                                  a pattern is already mapped to another servlet
     */
    public void install(ServletContext context, String pathPrefix) {
        Objects.requireNonNull(context, "context");
        checkPrefix(pathPrefix);
        for (Mount mount : mounts) {
            ServletRegistration.Dynamic registration = context.addServlet(mount.name(), mount.servlet());
            if (registration == null) {
                throw new IllegalStateException("a servlet named " + mount.name() + " is already registered");
            }
            String pattern = pathPrefix + mount.urlPattern();
            Set<String> conflicts = registration.addMapping(pattern);
            if (!conflicts.isEmpty()) {
                throw new IllegalStateException(pattern + " is already mapped to another servlet");
            }
        }
    }

    /**
     * Checks a path prefix for {@link #install(ServletContext, String)}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String checkPrefix(String pathPrefix) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        if (!pathPrefix.isEmpty() && (!pathPrefix.startsWith("/") || pathPrefix.endsWith("/")
                || pathPrefix.contains("*") || pathPrefix.contains("//"))) {
            throw new IllegalArgumentException("the path prefix must be empty or start with / and not end with /"
                    + " (no * or //): " + pathPrefix);
        }
        return pathPrefix;
    }

    /** Whether uploads and downloads are served (a blob store was given). */
    public boolean servesFiles() {
        return cleanup != null;
    }

    /** Stops the file cleanup task. Idempotent; the servlets keep answering until the container stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cleanup != null) {
            cleanup.close();
        }
    }

    /**
     * Builds a {@link ChatHttpApi}: engine and authenticator are required; setting an option
     * twice fails.
     */
    public static final class Builder {
        private ChatEngine engine;
        private Authenticator authenticator;
        private AccountService accounts;
        private BlobStore blobStore;
        private MediaPolicy mediaPolicy = MediaPolicy.defaults();
        private int maxBodyBytes = ChatServerConfig.defaults().maxFrameBytes();
        private final List<ApiExtension> extensions = new ArrayList<>();
        private final BuilderOptions options = new BuilderOptions("the HTTP API is already built", "build()");

        private Builder() {
        }

        /** The engine behind every endpoint (required). */
        public Builder engine(ChatEngine engine) {
            options.once("engine");
            this.engine = Objects.requireNonNull(engine, "engine");
            return this;
        }

        /** Checks bearer tokens (required); usually the {@link AccountService}. */
        public Builder authenticator(Authenticator authenticator) {
            options.once("authenticator");
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * The password accounts behind {@code /api/v1/auth/…}, sessions and admin; without them
         * those endpoints answer 404 {@code not_found}. Username look-ups use the engine's store
         * when it is an {@link AccountStore}.
         */
        public Builder accounts(AccountService accounts) {
            options.once("accounts");
            this.accounts = Objects.requireNonNull(accounts, "accounts");
            return this;
        }

        /** Where uploads are kept; without it {@code /api/v1/files} is not mounted (404). */
        public Builder blobStore(BlobStore blobStore) {
            options.once("blobStore");
            this.blobStore = Objects.requireNonNull(blobStore, "blobStore");
            return this;
        }

        /** Size limits, accepted types and image limits of uploads; default {@link MediaPolicy#defaults()}. */
        public Builder mediaPolicy(MediaPolicy policy) {
            options.once("mediaPolicy");
            this.mediaPolicy = Objects.requireNonNull(policy, "mediaPolicy");
            return this;
        }

        /**
         * Largest JSON request body; a larger one is answered 413 {@code too_large}. Default
         * {@link ChatServerConfig#maxFrameBytes()} of the defaults (a body holds what a frame does).
         */
        public Builder maxBodyBytes(int bytes) {
            options.once("maxBodyBytes");
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be positive: " + bytes);
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        /**
         * Adds extra routes under {@code /api/v1/…} (e.g. Sign-In with Ethereum from
         * {@code dev.parley:chat-web3-ext}). May be called for several extensions; they are
         * served after the built-in routes, and {@link #build()} fails when one routes a method
         * and path that is already routed.
         *
         * @since 0.1.0
         */
        public Builder addExtension(ApiExtension extension) {
            options.checkOpen("extensions cannot be added");
            extensions.add(Objects.requireNonNull(extension, "extension"));
            return this;
        }

        public ChatHttpApi build() {
            options.checkNotFinished();
            if (engine == null) {
                throw new IllegalStateException("engine is required");
            }
            if (authenticator == null) {
                throw new IllegalStateException("authenticator is required");
            }
            options.markFinished();
            return new ChatHttpApi(this);
        }
    }
}
