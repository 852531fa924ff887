package dev.parley.web3.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The npm tooling of the chain tests (ganache, solc-js, OpenZeppelin, ethers, siwe), declared in
 * {@code src/test/node/package.json} and locked in its {@code package-lock.json}. Installed on
 * first use with {@code npm ci} into a cache directory named after the lock file's hash
 * ({@code $PARLEY_WEB3_NODE_CACHE}, or {@code ~/.cache/parley/web3-node/<hash>}), so a run after
 * the first (and after {@code mvn clean}) only copies the scripts. Installs from two builds
 * at once are serialised with a file lock.
 */
final class NodeTooling {
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "compile.js",
            "chain.js", "sign-siwe.js");

    private final Path dir;

    private NodeTooling(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** Why node or npm cannot be used here, or {@code null} when both run. */
    static String missing() {
        for (String tool : List.of("node", "npm")) {
            try {
                Process p = new ProcessBuilder(tool, "--version").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    return "'" + tool + " --version' failed";
                }
            } catch (IOException e) {
                return tool + " is not installed (" + e.getMessage() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return null;
    }

    /** Installs (once per lock file) and refreshes the scripts and contracts. */
    static NodeTooling install(Path source) throws IOException, InterruptedException {
        Path lockFile = source.resolve("package-lock.json");
        String hash = sha256(lockFile).substring(0, 16);
        String configured = System.getenv("PARLEY_WEB3_NODE_CACHE");
        Path dir = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "parley", "web3-node", hash);
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
            for (String f : FILES) {
                Files.copy(source.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            Path contracts = dir.resolve("contracts");
            Files.createDirectories(contracts);
            try (Stream<Path> sol = Files.list(source.resolve("contracts"))) {
                for (Path p : sol.toList()) {
                    Files.copy(p, contracts.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path marker = dir.resolve("node_modules").resolve(".parley-installed-" + hash);
            if (!Files.exists(marker)) {
                Path log = dir.resolve("npm-ci.log");
                // Install scripts are not needed (ganache falls back to pure JS) and are not run.
                Process p = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(10, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IOException("npm ci in " + dir + " took over 10 minutes; see " + log);
                }
                if (p.exitValue() != 0) {
                    throw new IOException("npm ci in " + dir + " failed (exit " + p.exitValue() + "): "
                            + Files.readString(log));
                }
                Files.writeString(marker, hash);
            }
        }
        return new NodeTooling(dir);
    }

    /** Where {@code src/test/node} is: under the module directory Surefire runs in. */
    static Path source() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path source = base.resolve("src/test/node");
        if (!Files.isDirectory(source)) {
            source = base.resolve("chat-web3-ext/src/test/node");
        }
        if (!Files.isRegularFile(source.resolve("package-lock.json"))) {
            throw new UncheckedIOException(new IOException("no src/test/node/package-lock.json under " + base));
        }
        return source;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
