package dev.parley.web3.chain;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link LocalChain}: one ganache per test run (started on first use, stopped when
 * the run ends), with the chain's state reverted after each test ({@code evm_snapshot} /
 * {@code evm_revert}) so tests do not see each other's transactions.
 *
 * <p>When node or npm is missing, each test is skipped with a message saying so, or fails when
 * the environment variable {@code CI} is set.
 *
 * <pre>{@code
 * @ExtendWith(LocalChainExtension.class)
 * class SomeTest {
 *     @Test void x(LocalChain chain) { ... }
 * }
 * }</pre>
 */
public final class LocalChainExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalChainExtension.class);

    /** What the root store holds: the chain, or why there is none. */
    private record Holder(LocalChain chain, String skipReason) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() throws Throwable {
            if (chain != null) {
                chain.close();
            }
        }
    }

    private static Holder holder(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(Holder.class, k -> start(), Holder.class);
    }

    private static Holder start() {
        String missing = NodeTooling.missing();
        if (missing != null) {
            String message = "the chain tests need Node.js and npm: " + missing;
            String ci = System.getenv("CI");
            if (ci != null && !ci.isBlank()) {
                throw new IllegalStateException(message + "; CI is set, so this is a failure");
            }
            return new Holder(null, message + "; skipped (set CI to make this a failure)");
        }
        try {
            NodeTooling tooling = NodeTooling.install(NodeTooling.source());
            Path target = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target");
            Files.createDirectories(target);
            long t0 = System.nanoTime();
            LocalChain chain = LocalChain.start(tooling, target.resolve("ganache.log"));
            System.out.printf("[chain] ganache on %s, contracts deployed in %d ms%n", chain.endpoint(),
                    (System.nanoTime() - t0) / 1_000_000);
            return new Holder(chain, null);
        } catch (Exception e) {
            throw new IllegalStateException("could not start the local chain: " + e.getMessage(), e);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Holder h = holder(context);
        Assumptions.assumeTrue(h.skipReason() == null, h.skipReason());
        context.getStore(NS).put("snapshot", h.chain().snapshot());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Holder h = holder(context);
        String snapshot = context.getStore(NS).remove("snapshot", String.class);
        if (h.chain() != null && snapshot != null) {
            h.chain().startMining(); // a test may have stopped it
            h.chain().revert(snapshot);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == LocalChain.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        Holder h = holder(c);
        Assumptions.assumeTrue(h.skipReason() == null, h.skipReason());
        return h.chain();
    }
}
