package dev.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in its own process (a Parley {@link BenchServer} JVM or a Node.js
 * baseline), optionally pinned to some CPUs with {@code taskset}. The process prints
 * {@code PORT <n>} when it listens, answers a {@code gc} line on its standard input with a full
 * GC and a {@code GC} line, and exits when its standard input closes. Its CPU time and resident
 * memory come from {@code /proc/<pid>}: user + system time of the process, so kernel work done
 * in softirq context (most of loopback TCP) is <em>not</em> charged to it.
 */
final class ServerProcess implements AutoCloseable {
    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    private static final long TICKS_PER_SECOND = 100;

    final int port;
    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.stdin = process.getOutputStream();
    }

    /**
     * Starts {@code command}, pinned to {@code cpus} (a {@code taskset -c} list) unless null, with
     * its standard error appended to {@code log}, and waits up to 60 s for its port.
     */
    static ServerProcess start(List<String> command, String cpus, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.addAll(command);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        BlockingQueue<String> first = new LinkedBlockingQueue<>();
        ServerProcess[] self = new ServerProcess[1];
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    ServerProcess s = self[0];
                    if (s == null) {
                        first.add(line);
                    } else {
                        s.lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            first.add("EOF");
        }, "server-stdout");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (true) {
                String line = first.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null || line.equals("EOF")) {
                    p.destroyForcibly();
                    throw new IOException("the server " + String.join(" ", command) + " did not print its port"
                            + " (exit " + (p.isAlive() ? "-" : p.exitValue()) + "; see " + log + ")");
                }
                if (line.startsWith("PORT ")) {
                    ServerProcess s = new ServerProcess(p, Integer.parseInt(line.substring(5).trim()));
                    self[0] = s;
                    return s;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while starting the server", e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** User + system CPU time of the process so far. */
    long cpuNanos() {
        return cpuNanos(process.pid());
    }

    /** User + system CPU time so far of the process {@code pid}, from {@code /proc/<pid>/stat}. */
    static long cpuNanos(long pid) {
        try {
            return parseCpuNanos(Files.readString(Path.of("/proc/" + pid + "/stat")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in nanoseconds. */
    static long parseCpuNanos(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (TimeUnit.SECONDS.toNanos(1) / TICKS_PER_SECOND);
    }

    /** VmRSS of the process, in KiB. */
    long rssKib() throws IOException {
        return rssKib(process.pid());
    }

    /** VmRSS of the process {@code pid}, in KiB, from {@code /proc/<pid>/status}. */
    static long rssKib(long pid) throws IOException {
        return parseVmRssKib(Files.readAllLines(Path.of("/proc/" + pid + "/status")));
    }

    static long parseVmRssKib(List<String> status) throws IOException {
        for (String l : status) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS line in /proc/<pid>/status");
    }

    /** Asks the server for a full GC and waits (up to 30 s) for its {@code GC} answer. */
    void gc() throws IOException {
        stdin.write("gc\n".getBytes(StandardCharsets.US_ASCII));
        stdin.flush();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String line;
            do {
                line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IOException("the server did not answer gc within 30 s");
                }
            } while (!line.equals("GC"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the server's GC", e);
        }
    }

    /** Ends the process at once (SIGTERM, then SIGKILL after 5 s), for when a graceful stop is not needed. */
    void kill() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() throws IOException {
        if (!process.isAlive()) {
            return;
        }
        try {
            stdin.close();
        } catch (IOException ignored) {
            // it may have gone already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
