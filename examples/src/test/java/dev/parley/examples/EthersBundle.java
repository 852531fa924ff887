package dev.parley.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The UMD bundle of the npm package {@code ethers} (version pinned in
 * {@code src/test/ethers/package.json} and its lock file), installed on first use with
 * {@code npm ci} into {@code target/ethers}. Without Node.js and npm the calling test is skipped
 * with a message, or fails when the environment variable {@code CI} is set.
 */
final class EthersBundle {
    private static final Path BASE = Path.of(System.getProperty("basedir", "."));
    private static final Path SOURCE = BASE.resolve("src/test/ethers");
    private static final Path WORK = BASE.resolve("target/ethers");
    private static final Path BUNDLE = WORK.resolve("node_modules/ethers/dist/ethers.umd.min.js");

    private EthersBundle() {
    }

    /** The bundle's source; it defines the global {@code ethers}. */
    static synchronized String umd() {
        if (!Files.isRegularFile(BUNDLE)) {
            install();
        }
        try {
            return Files.readString(BUNDLE, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void install() {
        String npm = findOnPath("npm");
        if (npm == null || findOnPath("node") == null) {
            unavailable("Node.js and npm are needed to install ethers for the Sign-In with Ethereum browser test,"
                    + " and are not on the PATH");
        }
        try {
            Files.createDirectories(WORK);
            for (String file : List.of("package.json", "package-lock.json")) {
                Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
            Path log = WORK.resolve("npm-ci.log");
            Process p = new ProcessBuilder(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                    .directory(WORK.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                unavailable("npm ci in " + WORK + " did not finish in 5 minutes (see " + log + ")");
            }
            if (p.exitValue() != 0 || !Files.isRegularFile(BUNDLE)) {
                unavailable("npm ci in " + WORK + " failed with " + p.exitValue() + ": " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void unavailable(String message) {
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            Assertions.fail(message);
        }
        System.err.println("[WARNING] Sign-In with Ethereum browser test SKIPPED: " + message);
        Assumptions.abort(message);
    }

    private static String findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }
}
