package dev.parley.testing;

import dev.parley.client.ChatClient;
import dev.parley.core.ChatEngine;
import dev.parley.core.ChatLimits;
import dev.parley.core.User;
import dev.parley.media.FileSystemBlobStore;
import dev.parley.media.MediaPolicy;
import dev.parley.server.ChatServer;
import dev.parley.server.DevelopmentAuthenticator;
import dev.parley.store.jdbc.JdbcChatStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs a real Parley server in the test's JVM, on 127.0.0.1 and a free port, over a temporary
 * SQLite database and blob directory that are deleted afterwards, and hands out connected
 * clients, like {@code MockWebServer} does for HTTP or {@code jdbi3-testing} for databases.
 *
 * <pre>{@code
 * class ChatFeatureTest {
 *     @RegisterExtension
 *     static final ParleyServerExtension parley = ParleyServerExtension.builder().build();
 *
 *     @Test
 *     void bobGetsAlicesMessage() {
 *         ChatClient alice = parley.client("alice");
 *         ChatClient bob = parley.client("bob", listener);
 *         Conversation dm = alice.createDirect("bob").join();
 *         alice.send(dm.id(), "hi").join();
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle.</b> Registered on a {@code static} field, one server serves the whole test
 * class; on an instance field (or with {@code @ExtendWith(ParleyServerExtension.class)}), each
 * test gets a fresh server. Clients from {@link #client} are closed after each test either way.
 * A test method may also take a {@code ParleyServerExtension} parameter.
 *
 * <p><b>Authentication.</b> Tokens are {@code dev:<userId>} ({@link DevelopmentAuthenticator}):
 * tests sign in as anyone, which is what tests want and what production must never allow. Users
 * are created on first use ({@link #user}).
 *
 * @since 0.1.0
 */
public final class ParleyServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final Duration JOIN = Duration.ofSeconds(10);

    private final ChatLimits limits;
    private final MediaPolicy mediaPolicy;
    private final Consumer<ChatServer.Builder> customizer;
    private final List<ChatClient> clients = new CopyOnWriteArrayList<>();
    private Running running;
    private boolean perClass;

    /** A server with default limits, for {@code @ExtendWith}. */
    public ParleyServerExtension() {
        this(new Builder());
    }

    private ParleyServerExtension(Builder b) {
        this.limits = b.limits;
        this.mediaPolicy = b.mediaPolicy;
        this.customizer = b.customizer;
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ what tests use

    /** The running server; {@link IllegalStateException} outside a test. */
    public ChatServer server() {
        return running().server;
    }

    /** The server's engine, to set up state directly (users, conversations) or to check it. */
    public ChatEngine engine() {
        return server().engine();
    }

    /** {@code ws://127.0.0.1:<port>/ws}. */
    public URI webSocketUri() {
        return server().webSocketUri();
    }

    /** {@code http://127.0.0.1:<port>/}, for the HTTP API. */
    public URI httpUri() {
        return server().httpUri();
    }

    /** The bearer token that signs in as {@code userId}, on the socket and the HTTP API. */
    public String token(String userId) {
        return DevelopmentAuthenticator.token(userId);
    }

    /** Creates the user (display name = id) unless it exists; returns it. */
    public User user(String userId) {
        return engine().store().findUser(userId).orElseGet(() -> engine().putUser(userId, userId));
    }

    /** A client signed in as {@code userId} (created if needed), connected, closed after the test. */
    public ChatClient client(String userId) {
        return client(userId, new ChatClient.Listener() {
        });
    }

    /** {@link #client(String)} with a listener, registered before the client connects. */
    public ChatClient client(String userId, ChatClient.Listener listener) {
        user(userId);
        ChatClient client = ChatClient.builder().uri(webSocketUri()).token(token(userId)).listener(listener).build();
        clients.add(client);
        client.connect().orTimeout(JOIN.toMillis(), TimeUnit.MILLISECONDS).join();
        return client;
    }

    // ------------------------------------------------------------------ JUnit callbacks

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        running = start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (running == null) {
            running = start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (ChatClient client : clients) {
            client.close();
        }
        clients.clear();
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ParleyServerExtension.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return this;
    }

    // ------------------------------------------------------------------ the server

    private record Running(ChatServer server, JdbcChatStore store, FileSystemBlobStore blobs, Path dir) {
    }

    private Running running() {
        if (running == null) {
            throw new IllegalStateException("the Parley test server runs only during a test");
        }
        return running;
    }

    private Running start() {
        Path dir = null;
        JdbcChatStore store = null;
        FileSystemBlobStore blobs = null;
        try {
            dir = Files.createTempDirectory("parley-test-");
            store = JdbcChatStore.sqlite(dir.resolve("parley.db"));
            blobs = FileSystemBlobStore.open(dir.resolve("blobs"));
            ChatEngine.Builder engine = ChatEngine.builder().store(store);
            if (limits != null) {
                engine.limits(limits);
            }
            ChatEngine built = engine.build();
            ChatServer.Builder server = ChatServer.builder().host("127.0.0.1").port(0).engine(built)
                    .authenticator(new DevelopmentAuthenticator(built)).blobStore(blobs).mediaPolicy(mediaPolicy);
            customizer.accept(server);
            return new Running(server.start(), store, blobs, dir);
        } catch (IOException e) {
            cleanUp(store, blobs, dir);
            throw new UncheckedIOException("cannot start the Parley test server", e);
        } catch (RuntimeException e) {
            cleanUp(store, blobs, dir);
            throw e;
        }
    }

    private void stop() {
        Running r = running;
        running = null;
        if (r != null) {
            r.server.close();
            r.server.engine().close();
            cleanUp(r.store, r.blobs, r.dir);
        }
    }

    private static void cleanUp(JdbcChatStore store, FileSystemBlobStore blobs, Path dir) {
        if (store != null) {
            store.close();
        }
        if (blobs != null) {
            try {
                blobs.close();
            } catch (IOException ignored) {
                // the directory goes next anyway
            }
        }
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                List<Path> paths = new ArrayList<>(all.sorted(Comparator.reverseOrder()).toList());
                for (Path p : paths) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // a leftover temporary directory is harmless
            }
        }
    }

    /** Options of the test server. */
    public static final class Builder {
        private ChatLimits limits;
        private MediaPolicy mediaPolicy = MediaPolicy.defaults();
        private Consumer<ChatServer.Builder> customizer = b -> { };

        private Builder() {
        }

        /** Chat limits of the engine (edit window, page sizes, typing timeout, …). */
        public Builder limits(ChatLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Upload limits and accepted types. */
        public Builder mediaPolicy(MediaPolicy policy) {
            this.mediaPolicy = Objects.requireNonNull(policy, "mediaPolicy");
            return this;
        }

        /**
         * Anything else on the server's builder ({@code config(...)}, {@code staticResources(...)}).
         * Host, port, engine, authenticator and blob store are the extension's.
         */
        public Builder configure(Consumer<ChatServer.Builder> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        public ParleyServerExtension build() {
            return new ParleyServerExtension(this);
        }
    }
}
