package dev.parley.examples;

import dev.parley.server.ChatServer;
import dev.parley.server.ChatServerConfig;
import dev.parley.web3.EnsLookup;
import dev.parley.web3.SiweHttpApi;
import dev.parley.web3.chain.ChainHttpApi;
import dev.parley.web3.chain.Chains;
import dev.parley.web3.SiweSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The demo: a chat server with its web UI and embedded defaults (SQLite under
 * {@code ./parley-data}, password accounts, port 8080), and Sign-In with Ethereum for the page
 * at {@code http://localhost:<port>} (the "Sign in with Ethereum" button shows when the browser
 * has a wallet).
 *
 * <pre>
 * mvn -B -q install -DskipTests && mvn -B -q -pl examples exec:java
 * </pre>
 *
 * System properties: {@code parley.port} (8080), {@code parley.host} (127.0.0.1),
 * {@code parley.data} (parley-data), {@code parley.origins} (extra page origins allowed to open
 * a socket, comma separated, e.g. {@code http://192.168.1.20:8080} when listening on
 * {@code 0.0.0.0}), {@code parley.siwe.origin} (the page origin wallets sign in for, default
 * {@code http://localhost:<port>}: a SIWE message names one domain, so open the page there),
 * {@code parley.web3.rpc} (JSON-RPC endpoints for NFT avatars, tips and contract-wallet sign-in,
 * {@code <chainId>=<url>} comma separated, e.g. {@code 1337=http://127.0.0.1:8545}; none by default).
 *
 * <p>Tests build the same server with {@link #builder(String, int, Path)} and add their own
 * options (a cheap password hasher, for one):
 *
 * <pre>{@code
 * try (ChatServer server = DemoServer.builder("127.0.0.1", port, dataDir)
 *         .accountSettings(AccountSettings.builder().hasher(new PasswordHasher(64, 1, 1)).build())
 *         .start()) { ... }
 * }</pre>
 */
public final class DemoServer {
    /** Classpath directory of the web UI. */
    public static final String WEB_ROOT = "dev/parley/examples/demo";

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.getInteger("parley.port", 8080);
        String host = System.getProperty("parley.host", "127.0.0.1");
        Path data = Path.of(System.getProperty("parley.data", "parley-data"));
        List<String> extraOrigins = Arrays.stream(System.getProperty("parley.origins", "").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        String siweOrigin = System.getProperty("parley.siwe.origin", "http://localhost:" + port);
        ChatServer server = builder(host, port, data, extraOrigins, siweOrigin).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "parley-demo-shutdown"));
        System.out.println();
        System.out.println("Parley demo is running: open http://localhost:" + server.port() + "/ in a browser");
        System.out.println("(data in " + data.toAbsolutePath() + "; Sign-In with Ethereum for " + siweOrigin
                + "; Ctrl+C stops)");
        stopped.await();
    }

    /**
     * The demo server, not started: web UI at {@code /}, SQLite in {@code dataDir}, the page
     * origins of this host and port allowed to open a socket, and Sign-In with Ethereum for
     * {@code http://localhost:<port>}.
     *
     * @param port a real port, not 0: the allowed page origins include it
     */
    public static ChatServer.Builder builder(String host, int port, Path dataDir) {
        return builder(host, port, dataDir, List.of(), "http://localhost:" + port);
    }

    /**
     * As {@link #builder(String, int, Path)}, allowing {@code extraOrigins} as well, with
     * Sign-In with Ethereum for the page at {@code siweOrigin} ({@code http://localhost:8080}):
     * its host and port are the message's domain, its scheme the message's scheme, the origin
     * itself the message's URI. Every common chain id is accepted (an account's signature does
     * not depend on the chain).
     */
    public static ChatServer.Builder builder(String host, int port, Path dataDir, List<String> extraOrigins,
                                             String siweOrigin) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        if (port < 1 || port > 65_535) {
            // The browser's Origin carries the port, so the allow-list needs the real one.
            throw new IllegalArgumentException("port must be 1 to 65535 (pick a free one first): " + port);
        }
        Chains chains = chains(System.getProperty("parley.web3.rpc"));
        Set<String> origins = new LinkedHashSet<>(allowedOrigins(host, port));
        origins.addAll(extraOrigins);
        return ChatServer.builder()
                .host(host)
                .port(port)
                .dataDir(dataDir)
                .staticResources(WEB_ROOT)
                .config(ChatServerConfig.builder().allowedOrigins(origins).build())
                .addApiExtension(SiweHttpApi.extension(siweSettings(siweOrigin), chains, EnsLookup.none()))
                .addApiExtension(ChainHttpApi.extension(chains, b -> b.avatarRechecks(Duration.ofMinutes(10))));
    }

    /**
     * The JSON-RPC endpoints of {@code -Dparley.web3.rpc=<chainId>=<url>,…} (e.g.
     * {@code 1337=http://127.0.0.1:8545}); none by default, so NFT avatars and tips answer
     * {@code chain_not_configured} and contract wallets cannot sign in.
     */
    static Chains chains(String spec) {
        Chains.Builder b = Chains.builder();
        if (spec != null && !spec.isBlank()) {
            for (String part : spec.split(",")) {
                int eq = part.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("parley.web3.rpc: expected <chainId>=<url>, got " + part);
                }
                b.endpoint(Long.parseLong(part.substring(0, eq).trim()), URI.create(part.substring(eq + 1).trim()));
            }
        }
        return b.build();
    }

    /** SIWE settings for a page at {@code origin} ({@code scheme://host[:port]}, no path). */
    static SiweSettings siweSettings(String origin) {
        URI u = URI.create(Objects.requireNonNull(origin, "siweOrigin"));
        if (u.getScheme() == null || u.getRawAuthority() == null || !(u.getRawPath() == null || u.getRawPath().isEmpty())) {
            throw new IllegalArgumentException("siweOrigin must be scheme://host[:port] without a path: " + origin);
        }
        // Mainnet, Optimism, Polygon, Base, Arbitrum, Sepolia and the local chains of ganache and hardhat.
        return SiweSettings.builder().scheme(u.getScheme()).domain(u.getRawAuthority()).uri(origin)
                .chainIds(Set.of(1L, 10L, 137L, 8453L, 42161L, 11155111L, 1337L, 31337L)).build();
    }

    /** The origins a browser on this machine shows for the demo page at {@code host:port}. */
    public static List<String> allowedOrigins(String host, int port) {
        Set<String> origins = new LinkedHashSet<>();
        origins.add("http://localhost:" + port);
        origins.add("http://127.0.0.1:" + port);
        origins.add("http://[::1]:" + port);
        if (!host.equals("0.0.0.0") && !host.equals("::")) {
            origins.add("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        }
        return List.copyOf(origins);
    }

    private DemoServer() {
    }
}
