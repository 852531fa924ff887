package dev.parley.examples;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium (one user) driven through the local chromedriver: no Selenium
 * Manager, no download, a fresh profile directory per browser. {@link #close()} quits the
 * browser and deletes the profile.
 *
 * <p>Paths: system properties {@code parley.chromium} and {@code parley.chromedriver}
 * (defaults {@code /usr/bin/chromium}, {@code /usr/bin/chromedriver}).
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("parley.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("parley.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", "."), "target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Selenium logs through java.util.logging; keep its notes (e.g. no CDP for this Chromium) off the console. */
    private static final AtomicBoolean SKIP_NOTED = new AtomicBoolean();
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    static {
        SELENIUM_LOG.setLevel(Level.SEVERE);
    }

    final String name;
    final ChromeDriver driver;
    private final Path profile;
    private final WebDriverWait wait;
    private final List<String> console = new ArrayList<>();

    private Browser(String name, ChromeDriver driver, Path profile) {
        this.name = name;
        this.driver = driver;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        // the UI re-renders lists freely: an element found a moment ago may be replaced
        wait.ignoring(StaleElementReferenceException.class);
        wait.withMessage(() -> "browser " + name + "; console: " + console());
    }

    /**
     * Skips the calling tests when Chromium or chromedriver is missing, with a message naming
     * the paths; fails them instead on CI (environment variable {@code CI} set), where
     * {@code .ci/run} installs both.
     */
    static void requireInstalled() {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                missing.add(p.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "browser tests need Chromium and chromedriver; missing: " + String.join(", ", missing)
                + " (apt-get install -y chromium chromium-driver, or set -Dparley.chromium / -Dparley.chromedriver)";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
            Assertions.fail(message);
        }
        if (SKIP_NOTED.compareAndSet(false, true)) {
            System.err.println("[WARNING] Browser tests SKIPPED: " + message);
        }
        Assumptions.abort(message);
    }

    static Browser open(String name, int width, int height) {
        // Name the driver explicitly: Selenium Manager (which downloads drivers) is never asked.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        Path profile;
        try {
            profile = Files.createTempDirectory("parley-chrome-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-sync", "--disable-component-update",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "--lang=en-US",
                // a fake microphone (a beep) that needs no permission prompt, for voice messages
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(width, height));
        return new Browser(name, driver, profile);
    }

    void get(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the element is displayed, and returns it. */
    WebElement visible(String css) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    void hidden(String css) {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(css)));
    }

    /** Waits until the element's text contains {@code text}. */
    void text(String css, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
    }

    <T> T until(String what, ExpectedCondition<T> condition) {
        WebDriverWait w = new WebDriverWait(driver, WAIT, Duration.ofMillis(50));
        w.ignoring(StaleElementReferenceException.class);
        return w.withMessage(() -> what + " (browser " + name + "; console: " + console() + ")").until(condition);
    }

    /** The element's text now (empty when it is hidden). */
    String textOf(String css) {
        return wait.until(d -> d.findElement(By.cssSelector(css)).getText());
    }

    /** An HTML attribute of the element, once the element exists. */
    String attr(String css, String attribute) {
        return wait.until(d -> d.findElement(By.cssSelector(css)).getDomAttribute(attribute));
    }

    /** The current value of a form field. */
    String value(String css) {
        return wait.until(d -> d.findElement(By.cssSelector(css)).getDomProperty("value"));
    }

    /** Sends keys (e.g. {@code Keys.ENTER}) to the element. */
    void press(String css, CharSequence... keys) {
        wait.until(d -> {
            d.findElement(By.cssSelector(css)).sendKeys(keys);
            return true;
        });
    }

    /** Runs {@code source} in every document this browser loads from now on, before the page's own scripts. */
    void addInitScript(String source) {
        driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", source));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Replaces the field's value by typing {@code text}. */
    void type(String css, String text) {
        wait.until(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            if (!e.isDisplayed()) {
                return false;
            }
            e.clear();
            e.sendKeys(text);
            return true;
        });
    }

    void click(String css) {
        wait.until(d -> {
            WebElement e = ExpectedConditions.elementToBeClickable(By.cssSelector(css)).apply(d);
            if (e == null) {
                return false;
            }
            e.click();
            return true;
        });
    }

    /**
     * Takes the browser off the network (new connections fail, as with a lost Wi-Fi; sockets
     * already open stay open) or puts it back, which fires the page's {@code online} event.
     */
    void offline(boolean offline) {
        if (offline) {
            ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
            conditions.setOffline(true);
            driver.setNetworkConditions(conditions);
        } else {
            driver.deleteNetworkConditions();
        }
    }

    /** Saves a PNG under {@code target/screenshots/}. */
    Path screenshot(String file) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path target = SCREENSHOTS.resolve(file + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page's console so far (errors, warnings, logs), oldest first. */
    List<String> console() {
        try {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                console.add(e.getLevel() + " " + e.getMessage());
            }
        } catch (RuntimeException e) {
            console.add("(console unavailable: " + e.getMessage() + ")");
        }
        return List.copyOf(console);
    }

    /** Fails when the page threw: an uncaught exception or an unhandled promise rejection. */
    void assertNoScriptErrors() {
        List<String> errors = console().stream().filter(line -> line.contains("Uncaught")).toList();
        if (!errors.isEmpty()) {
            throw new AssertionError("script errors in browser " + name + ": " + errors);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException | UncheckedIOException e) {
            // a profile left in the temp directory is harmless
        }
    }
}
