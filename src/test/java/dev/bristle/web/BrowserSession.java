package dev.bristle.web;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real browser for the browser tests: Debian's chromium driven by its chromedriver (headless), screenshots under
 * target/screenshots, and axe-core's accessibility check of the page on display.
 */
final class BrowserSession implements AutoCloseable {

    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 1100;

    final WebDriver driver;
    final WebDriverWait wait;
    private final ChromeDriverService service;
    private final Path profile;
    private String axeSource;

    private BrowserSession(WebDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    }

    /** Starts the browser; skips the test where none is installed (fails in CI, where one must be). */
    static BrowserSession open() throws IOException {
        if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
            String message = "browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install -y chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) fail(message);
            Assumptions.abort("skipped: " + message);
        }
        Path profile = Files.createTempDirectory("bristle-chromium-");
        // A fixed driver and binary: Selenium Manager would otherwise try to download them.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.getPath());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=" + WIDTH + "," + HEIGHT,
                "--user-data-dir=" + profile);
        return new BrowserSession(new ChromeDriver(service, options), service, profile);
    }

    /**
     * Signs in through the sign-in page as a maintainer made for the browser tests (created through the API with
     * the test profile's admin token the first time).
     */
    void signIn(java.net.URL root) {
        signIn(root, "browser-maintainer", "maintainer");
    }

    /** Signs in through the sign-in page as USERNAME with ROLE, made through the API the first time. */
    void signIn(java.net.URL root, String username, String role) {
        String password = "correct horse battery staple";
        int status = dev.bristle.accounts.TestAccounts.asMaintainer().contentType("application/json")
                .body("{\"username\": \"" + username + "\", \"password\": \"" + password
                        + "\", \"role\": \"" + role + "\"}")
                .post("/api/users").statusCode();
        if (status != 201 && status != 409) throw new IllegalStateException("could not create " + username + ": " + status);
        driver.get(root + "login");
        driver.findElement(org.openqa.selenium.By.name("username")).sendKeys(username);
        driver.findElement(org.openqa.selenium.By.name("password")).sendKeys(password);
        driver.findElement(org.openqa.selenium.By.cssSelector("form.login-form button, form.login-form [type=submit]"))
                .click();
        wait.until(d -> !d.getCurrentUrl().endsWith("/login"));
        if (!driver.findElement(org.openqa.selenium.By.cssSelector("header .account")).getText().contains(username)) {
            throw new IllegalStateException("not signed in as " + username + ": " + driver.getCurrentUrl());
        }
    }

    /** Signs out with the header's button (a form that posts, with its CSRF token). */
    void signOut() {
        driver.findElement(org.openqa.selenium.By.cssSelector("header .account form button")).click();
        wait.until(d -> !d.findElements(org.openqa.selenium.By.linkText("Sign in")).isEmpty());
    }

    JavascriptExecutor js() {
        return (JavascriptExecutor) driver;
    }

    /** What is on the screen, as target/screenshots/NAME. */
    void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** The whole page, as tall as it is (at most 8,000 pixels), then the window as it was. */
    void fullPageScreenshot(String name) throws IOException {
        Dimension before = driver.manage().window().getSize();
        long height = (Long) js().executeScript("return document.documentElement.scrollHeight");
        driver.manage().window().setSize(new Dimension(before.getWidth(), (int) Math.min(height + 140, 8000)));
        try {
            screenshot(name);
        } finally {
            driver.manage().window().setSize(before);
        }
    }

    /**
     * axe-core's serious and critical violations on the page on display, one line each (rule, help, where);
     * empty when there are none.
     */
    @SuppressWarnings("unchecked")
    List<String> seriousAccessibilityViolations() throws IOException {
        if (axeSource == null) {
            String resource = "META-INF/resources/webjars/axe-core/" + System.getProperty("axe-core.version")
                    + "/axe.min.js";
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
                if (in == null) throw new IOException("axe-core is not on the test class path: " + resource);
                axeSource = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        js().executeScript(axeSource);
        Object found = js().executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                + " .filter(v => v.impact === 'serious' || v.impact === 'critical')"
                + " .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' at ' + v.nodes.slice(0, 3)"
                + " .map(n => n.target.join(' ')).join('; '))), e => done(['axe failed: ' + e]));");
        return new ArrayList<>((List<String>) found);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
