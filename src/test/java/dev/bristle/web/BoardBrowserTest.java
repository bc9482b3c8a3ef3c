package dev.bristle.web;

import dev.bristle.scoring.JobTasks;
import dev.bristle.jobs.ManualEngine;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobSettings;
import dev.bristle.scoring.ScoringTestState;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real browser ({@link BrowserSession}) against the test server: sorting and switching mode swap the table and
 * its charts through htmx without reloading the page, and the URL follows; on a phone the board fits the screen; a
 * short measured run shows as a preliminary row on its sound-protocol board, and its entry page shows its evidence.
 */
@QuarkusTest
@Tag("browser")
@Tag("database")
class BoardBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    JobService jobs;

    @Inject
    ManualEngine engine;

    @Inject
    DatasetPoolService pool;

    @AfterEach
    void removeMeasuredEntries() {
        ScoringTestState.removeWhatJobsMade();
    }

    /** A short sound-protocol run of DC's IPC-1 set with a budget grid: a preliminary row, curves and classes. */
    @Test
    void aPreliminaryRowAndAMeasuredEntryPage() throws IOException {
        try (BrowserSession browser = BrowserSession.open()) {
            WebDriver driver = browser.driver;
            long set = ScoringTestState.dcSet(pool, 1);
            ScoringTestState.cancelQueuedJobs(jobs);
            long job = jobs.enqueue(set, new JobSettings(20, 1, 100, 0, List.of("FGSM", "PGD"),
                    List.of("untargeted"), "sound", true), dev.bristle.accounts.TestAccounts.MAINTAINER).id();
            assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
            driver.get(root + "boards/cifar-10/1?protocol=sound");
            // The job's row: Bristle's recorded entries of this board are preliminary rows too.
            WebElement row = driver.findElement(By.xpath("//table[contains(@class, 'leaderboard')]/tbody"
                    + "/tr[contains(@class, 'preliminary') and .//a[text()='DC']]"));
            assertTrue(driver.findElement(By.cssSelector("tr.preliminary-divider")).isDisplayed());
            assertEquals("—", row.findElement(By.cssSelector("td.rank")).getText(), "a preliminary row has no rank");
            assertTrue(row.getText().matches("(?s).*preliminary: \\d+ differences.*"), row.getText());
            assertFalse(row.getText().contains("1 of 5 students"), "folded until opened: " + row.getText());
            row.findElement(By.cssSelector("details.differences summary")).click();
            assertTrue(row.getText().contains("1 of 5 students"), row.getText());
            browser.screenshot("board-preliminary.png");
            row.findElement(By.linkText("DC")).click();
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.id("job-" + job)));
            WebElement evidence = driver.findElement(By.id("job-" + job));
            assertTrue(evidence.findElement(By.cssSelector("table.attack-evidence")).getText().contains("PGD"));
            assertTrue(evidence.findElement(By.cssSelector("figure.curves svg")).isDisplayed(), "the curves chart");
            assertTrue(evidence.findElement(By.cssSelector("figure.per-class svg")).isDisplayed(),
                    "the per-class chart");
            js(driver).executeScript("arguments[0].scrollIntoView()", evidence);
            browser.screenshot("entry-measured.png");
            Files.write(BrowserSession.SCREENSHOTS.resolve("entry-evidence.png"),
                    evidence.getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    void sortSwitchModeAndFollowAnEntry() throws IOException {
        try (BrowserSession browser = BrowserSession.open()) {
            WebDriver driver = browser.driver;
            WebDriverWait wait = browser.wait;
            driver.get(root.toString());
            browser.screenshot("home.png");
            driver.findElement(By.cssSelector("a[href='/boards/cifar-10/50?mode=untargeted']")).click();
            wait.until(ExpectedConditions.urlContains("/boards/cifar-10/50"));
            wait.until(d -> (Boolean) js(d).executeScript("return typeof htmx !== 'undefined'"));
            assertEquals("IDM", firstMethod(driver), "ranked by CREI: IDM leads with 29.59");
            // A marker on the window survives an htmx swap but not a page load.
            js(driver).executeScript("window.bristleMarker = 'same page';");

            driver.findElement(By.cssSelector("th.sortable a[href*='sort=rrm']")).click();
            wait.until(d -> "rrm".equals(tableState(d, "sort")));
            assertEquals("BACON", firstMethod(driver), "by RRM, BACON (32.87) leads IDM (32.00)");
            assertEquals("32.87", driver.findElement(
                    By.cssSelector("table.leaderboard tbody tr:first-child td:nth-child(4)")).getText());
            assertTrue(driver.getCurrentUrl().contains("sort=rrm&dir=desc"), driver.getCurrentUrl());
            assertEquals("same page", js(driver).executeScript("return window.bristleMarker"),
                    "the table was swapped in place, not reloaded");
            assertEquals(2, driver.findElements(By.cssSelector("figure.chart svg")).size(),
                    "CREI against IPC and RRM against AEM, swapped with the table");
            browser.fullPageScreenshot("board.png");

            driver.findElement(By.cssSelector("th.sortable a[href*='sort=rrm']")).click();
            wait.until(d -> "asc".equals(tableState(d, "dir")));
            assertEquals("DC", firstMethod(driver), "ascending RRM: DC (20.32) first");

            driver.findElement(By.xpath("//nav[@class='switch']/a[normalize-space()='Targeted']")).click();
            wait.until(d -> "targeted".equals(tableState(d, "mode")));
            assertTrue(driver.getCurrentUrl().contains("mode=targeted"), driver.getCurrentUrl());
            assertTrue(driver.findElement(By.cssSelector(".board")).getText()
                    .contains("no targeted RRM or AEM per IPC"));
            assertEquals("same page", js(driver).executeScript("return window.bristleMarker"));
            browser.screenshot("board-targeted.png");

            driver.findElement(By.linkText("BACON")).click();
            wait.until(ExpectedConditions.urlContains("/entries/cifar-10/BACON"));
            wait.until(ExpectedConditions.presenceOfElementLocated(By.id("metrics-untargeted-50")));
            assertTrue(driver.findElement(By.tagName("h1")).getText().startsWith("BACON"));
            assertTrue(driver.findElement(By.id("metrics-untargeted-50")).getText()
                    .contains("CREI = 0.5 × 32.87 + 0.5 × 24.10 = 28.48"));
            browser.screenshot("entry.png");
            Files.write(BrowserSession.SCREENSHOTS.resolve("entry-metrics.png"),
                    driver.findElement(By.id("metrics-untargeted-50")).getScreenshotAs(OutputType.BYTES));
            // The whole entry page, and the board on a phone-sized screen, for a person to look at.
            browser.fullPageScreenshot("entry-full.png");
            driver.manage().window().setSize(new Dimension(400, 900));
            driver.get(root + "boards/cifar-10/50");
            browser.fullPageScreenshot("board-narrow.png");
            long overflow = (Long) js(driver).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertEquals(0, overflow, "on a phone the page does not scroll sideways (the table scrolls in its box)");
        }
    }

    private static JavascriptExecutor js(WebDriver driver) {
        return (JavascriptExecutor) driver;
    }

    /** The table's data-mode, data-sort or data-dir, read in one script so an htmx swap cannot intervene. */
    private static Object tableState(WebDriver driver, String key) {
        return js(driver).executeScript("const t = document.querySelector('table.leaderboard');"
                + " return t ? t.dataset[arguments[0]] : null;", key);
    }

    private static String firstMethod(WebDriver driver) {
        return driver.findElement(By.cssSelector("table.leaderboard tbody tr:first-child td.method a")).getText();
    }
}
