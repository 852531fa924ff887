package dev.parley.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A server main class run in a separate JVM on the test's own classpath. The main prints a
 * line starting with {@value #READY} and its port once it accepts connections; its stderr (the
 * server log) is appended to a log file; {@link #kill()} is SIGKILL. The child exits by itself
 * when the test JVM dies: it is started through {@link ParentWatchdogMain}, which ends the JVM
 * when its stdin (held open by this class) reaches its end.
 *
 * <pre>{@code
 * try (ServerProcess node = ServerProcess.start(ClusterNode.class, List.of(), Map.of("parley.port", "8081"), log)) {
 *     URI ws = node.webSocketUri();
 * }
 * }</pre>
 */
public final class ServerProcess implements AutoCloseable {
    /** The line prefix that tells the parent the port. */
    public static final String READY = "PARLEY_READY port=";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts {@code mainClass} with {@code args} and {@code systemProperties} and waits until
     * it prints its port.
     */
    public static ServerProcess start(Class<?> mainClass, List<String> args, Map<String, String> systemProperties,
                                      Path logFile) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
        systemProperties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ParentWatchdogMain.class.getName(),
                mainClass.getName()));
        command.addAll(args);
        Process process;
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> readStdout(process, ready), "server-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        process.onExit().thenRun(() -> ready.completeExceptionally(
                new IllegalStateException("server exited with " + process.exitValue() + " before it was ready; see "
                        + logFile.toAbsolutePath())));
        try {
            return new ServerProcess(process, ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the server started", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("server did not start within " + START_TIMEOUT + "; see "
                    + logFile.toAbsolutePath(), e);
        }
    }

    private static void readStdout(Process process, CompletableFuture<Integer> ready) {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(READY)) {
                    String rest = line.substring(READY.length()).trim();
                    int end = rest.indexOf(' ');
                    ready.complete(Integer.parseInt(end < 0 ? rest : rest.substring(0, end)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            ready.completeExceptionally(e);
        }
    }

    public int port() {
        return port;
    }

    public URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    public URI httpUri() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL ({@link Process#destroyForcibly()} on Linux), and waits until the process is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("server " + process.pid() + " survived SIGKILL for 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing the server", e);
        }
        closeStreams();
    }

    private void closeStreams() {
        try {
            process.getOutputStream().close();
            process.getInputStream().close();
        } catch (IOException e) {
            // the process is gone; nothing left to release
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
