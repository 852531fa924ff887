package dev.parley.it.support;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class in a JVM that must not outlive the test that started it: the parent
 * ({@link ServerProcess}) holds this process's stdin open, and its end means the parent is
 * gone, so the JVM halts.
 *
 * <p>Arguments: {@code <main class> <its arguments…>}.
 */
public final class ParentWatchdogMain {
    private ParentWatchdogMain() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        exitWhenParentDies();
        Class<?> main = Class.forName(args[0]);
        try {
            main.getMethod("main", String[].class).invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            System.err.println(args[0] + " failed: " + e.getCause());
            e.getCause().printStackTrace();
            Runtime.getRuntime().halt(2);
        }
    }

    private static void exitWhenParentDies() {
        Thread watchdog = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is ever sent; just wait for the end
                }
            } catch (IOException e) {
                // treated like the end of input
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
