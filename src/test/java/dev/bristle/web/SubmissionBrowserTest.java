package dev.bristle.web;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.leaderboard.LeaderboardEntry;
import dev.bristle.ml.verify.TestBundles;
import dev.bristle.submissions.HonestBundles;
import dev.bristle.submissions.ScaledOfficialFashionMnist;
import dev.bristle.submissions.VerificationCheckRow;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A submitter submits bundles through the page in a real browser and watches their checks fill in (htmx polling): an
 * honest bundle made by {@code ./bristle score --bundle} passes the five checks and becomes a verified entry waiting
 * for review; a bundle made without training fails the integrity check, whose figures the page shows, and the rest
 * are not run. Screenshots of each step, and axe-core's check of each page.
 */
@QuarkusTest
@TestProfile(ScaledOfficialFashionMnist.class)
@Tag("browser")
@Tag("database")
class SubmissionBrowserTest {

    private static final String METHOD = "BrowserSubmittedRandom";

    @TestHTTPResource("/")
    URL root;

    @Inject
    ManualEngine engine;

    @AfterEach
    void removeTheEntry() {
        QuarkusTransaction.requiringNew().run(() -> LeaderboardEntry.delete("method", METHOD));
    }

    @Test
    void submitBundlesAndWatchTheirChecks(@TempDir Path dir) throws Exception {
        Path honest = HonestBundles.make(dir, METHOD, 25);
        Path untrained = TestBundles.synthetic(dir, 2000);
        List<String> violations = new ArrayList<>();
        try (BrowserSession browser = BrowserSession.open()) {
            browser.signIn(root, "browser-submitter", "submitter");
            WebDriver driver = browser.driver;
            driver.get(root + "submissions/new");
            violations.addAll(browser.seriousAccessibilityViolations());

            submit(browser, honest);
            assertEquals(5, driver.findElements(By.cssSelector("table.checks tbody tr")).size());
            assertEquals("received", driver.findElement(By.cssSelector("#submission-checks .state")).getText());
            browser.fullPageScreenshot("submission-1-received.png");
            violations.addAll(browser.seriousAccessibilityViolations());
            verifyAll();
            browser.wait.until(ExpectedConditions.textToBe(By.cssSelector("#submission-checks .state"), "verified"));
            assertEquals(5, driver.findElements(By.cssSelector("table.checks tr[data-verdict='passed']")).size());
            browser.fullPageScreenshot("submission-2-verified.png");
            violations.addAll(browser.seriousAccessibilityViolations());

            submit(browser, untrained);
            verifyAll();
            browser.wait.until(ExpectedConditions.textToBe(By.cssSelector("#submission-checks .state"), "failed"));
            String alert = driver.findElement(By.cssSelector("#submission-checks .problems")).getText();
            assertTrue(alert.startsWith("The integrity check failed"), alert);
            assertEquals("failed", driver.findElement(By.cssSelector("tr[data-check=integrity] .state")).getText());
            assertEquals(4, driver.findElements(By.cssSelector("table.checks tr[data-verdict='not run']")).size());
            assertTrue(driver.findElements(By.cssSelector("form[action$='/cancel']")).isEmpty(), "nothing to cancel");
            browser.fullPageScreenshot("submission-3-failed.png");
            violations.addAll(browser.seriousAccessibilityViolations());

            driver.get(root + "submissions");
            assertEquals(2, driver.findElements(By.cssSelector("table.submissions tbody tr a")).size());
            violations.addAll(browser.seriousAccessibilityViolations());
        }
        assertEquals(List.of(), violations);
    }

    private void submit(BrowserSession browser, Path bundle) {
        browser.driver.get(root + "submissions/new");
        browser.driver.findElement(By.id("submission-file")).sendKeys(bundle.toString());
        browser.driver.findElement(By.cssSelector("#submission-form button[type=submit]")).click();
        browser.wait.until(ExpectedConditions.urlMatches("/submissions/\\d+$"));
    }

    private void verifyAll() {
        // Until no check is ready; the page polls meanwhile.
        assertFalse(engine.runDue(VerificationCheckRow.WORK).isEmpty());
    }
}
