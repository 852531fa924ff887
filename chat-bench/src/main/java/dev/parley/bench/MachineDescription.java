package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What a benchmark result file says about the machine it was measured on, read from /proc and the tools. */
final class MachineDescription {
    private MachineDescription() {
    }

    /** Several lines: date, CPUs and model, memory, kernel, Java and Node versions, load average now. */
    static String describe(String startedAt) {
        StringBuilder b = new StringBuilder();
        b.append("Parley comparison run ").append(startedAt).append(" UTC\n");
        b.append("machine: ").append(onlineCpus()).append(" CPUs (nproc), ").append(cpuModel()).append(", ")
                .append(memTotal()).append(" memory, Linux ").append(System.getProperty("os.version")).append('\n');
        b.append("java: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
                .append(" (generator and Parley server); node: ").append(command("node", "--version")).append('\n');
        b.append("load average at start (1/5/15 min): ").append(loadAverage()).append('\n');
        String commit = command("git", "rev-parse", "--short", "HEAD");
        if (!commit.equals("n/a")) {
            b.append("commit: ").append(commit).append('\n');
        }
        return b.toString();
    }

    static int onlineCpus() {
        try {
            return (int) Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("processor")).count();
        } catch (IOException e) {
            return Runtime.getRuntime().availableProcessors();
        }
    }

    /** The CPUs this process may run on ({@code Cpus_allowed_list}, e.g. {@code 0-1}). */
    static String ownCpus() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Cpus_allowed_list:")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "0-" + (Runtime.getRuntime().availableProcessors() - 1);
    }

    /** {@code 0-2,5} → [0, 1, 2, 5]. */
    static List<Integer> cpuList(String list) {
        List<Integer> cpus = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return cpus;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return System.getProperty("os.arch");
    }

    private static String memTotal() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "n/a";
    }

    private static String command(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !text.isEmpty() ? text.lines().findFirst().orElse("n/a") : "n/a";
        } catch (IOException e) {
            return "n/a";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }
}
