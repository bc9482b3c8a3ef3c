package dev.bristle.web;

import dev.bristle.scoring.JobTasks;
import dev.bristle.jobs.ManualEngine;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.ScoringTestState;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The submitter's whole path in a real browser: upload a set through the form, score it with the quick preset,
 * watch the job page fill in, open the resulting entry and the trained student's model card; cancelling asks first.
 * Screenshots of each step, and axe-core's check of each page.
 */
@QuarkusTest
@Tag("browser")
@Tag("database")
class SubmitterBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    ManualEngine engine;

    @Inject
    JobService jobs;

    @AfterEach
    void cleanUp() {
        ScoringTestState.cancelQueuedJobs(jobs);
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void uploadScoreWatchAndOpenTheEntry(@TempDir Path dir) throws Exception {
        Path[] files = newSet(dir);
        List<String> violations = new ArrayList<>();
        ExecutorService runner = Executors.newSingleThreadExecutor();
        try (BrowserSession browser = BrowserSession.open()) {
            browser.signIn(root);
            WebDriver driver = browser.driver;
            driver.get(root + "datasets/new");
            driver.findElement(By.id("upload-method")).sendKeys("BrowserDC");
            driver.findElement(By.id("upload-paper")).sendKeys("https://arxiv.org/abs/2006.05929");
            driver.findElement(By.id("upload-file")).sendKeys(files[0] + "\n" + files[1]);
            driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
            browser.wait.until(ExpectedConditions.urlMatches("/datasets/\\d+\\?added=1"));
            assertTrue(driver.findElement(By.cssSelector("h1")).getText().startsWith("BrowserDC"));
            browser.fullPageScreenshot("submit-1-uploaded.png");
            violations.addAll(browser.seriousAccessibilityViolations());

            driver.findElement(By.cssSelector("input[name=preset][value=quick]")).click();
            assertEquals("50", driver.findElement(By.id("job-epochs")).getAttribute("value"), "the preset's values");
            driver.findElement(By.cssSelector("#job-form button[type=submit]")).click();
            browser.wait.until(ExpectedConditions.urlMatches("/jobs/\\d+$"));
            long job = Long.parseLong(driver.getCurrentUrl().replaceAll(".*/", ""));
            assertTrue(driver.findElement(By.cssSelector("table.settings")).getText().contains("FGSM, PGD"));

            Future<List<Long>> run = runner.submit(() -> engine.runDue(JobTasks.WORK));
            // The page polls every 2 s: wait for a partial table while the job still runs.
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofMinutes(5), Duration.ofMillis(200))
                    .until(d -> "running".equals(state(browser)) && measured(browser) > 0);
            browser.fullPageScreenshot("submit-2-job-running.png");
            violations.addAll(browser.seriousAccessibilityViolations());
            assertFalse(run.get(10, TimeUnit.MINUTES).isEmpty());
            new org.openqa.selenium.support.ui.WebDriverWait(driver, Duration.ofMinutes(1))
                    .until(d -> "succeeded".equals(state(browser)));
            String table = driver.findElement(By.id("job-results")).getText();
            assertTrue(table.contains("student 1") && !table.contains("student 0"), table);
            assertEquals(3, measured(browser), "clean, FGSM and PGD of the one student");
            browser.fullPageScreenshot("submit-3-job-done.png");
            violations.addAll(browser.seriousAccessibilityViolations());

            driver.findElement(By.cssSelector("a.entry-link")).click();
            browser.wait.until(ExpectedConditions.urlContains("/entries/cifar-10/BrowserDC"));
            assertTrue(driver.findElement(By.tagName("h1")).getText().startsWith("BrowserDC"));
            browser.fullPageScreenshot("submit-4-entry.png");
            violations.addAll(browser.seriousAccessibilityViolations());

            driver.get(root + "jobs/" + job);
            driver.findElement(By.linkText("model pool")).click();
            driver.findElement(By.xpath("//td[@class='method']/a[normalize-space()='BrowserDC']")).click();
            browser.wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".model-card")));
            assertTrue(driver.findElement(By.cssSelector(".model-card")).getText().contains("SGD, learning rate"));
            assertEquals(1, driver.findElements(By.cssSelector("figure.chart svg")).size(), "the training curve");
            browser.fullPageScreenshot("model-card-trained.png");
            violations.addAll(browser.seriousAccessibilityViolations());

            // Cancelling asks first: dismissed, the job stays queued; accepted, it is cancelled.
            long other = jobs.enqueue(jobs.find(job).orElseThrow().datasetId(),
                    dev.bristle.scoring.JobSettings.quickPreview(), dev.bristle.accounts.TestAccounts.MAINTAINER).id();
            driver.get(root + "jobs/" + other);
            driver.findElement(By.cssSelector("form[data-confirm] button")).click();
            browser.wait.until(ExpectedConditions.alertIsPresent()).dismiss();
            assertEquals("queued", jobs.find(other).orElseThrow().state());
            driver.findElement(By.cssSelector("form[data-confirm] button")).click();
            browser.wait.until(ExpectedConditions.alertIsPresent()).accept();
            browser.wait.until(d -> "cancelled".equals(state(browser)));
        } finally {
            runner.shutdownNow();
        }
        assertEquals(List.of(), violations);
    }

    /** How many results the job page's table shows, read in one script so an htmx swap cannot intervene. */
    private static int measured(BrowserSession browser) {
        Object value = browser.js().executeScript(
                "const t = document.getElementById('job-results'); return t ? t.dataset.measured : '0';");
        return Integer.parseInt(String.valueOf(value));
    }

    private static String state(BrowserSession browser) {
        return (String) browser.js().executeScript(
                "const s = document.getElementById('job-progress'); return s ? s.dataset.state : null;");
    }

    /** DC's CIFAR-10 IPC-10 images, a little darker (new content), as MTT's two files. */
    private static Path[] newSet(Path dir) throws IOException {
        Path dc = SharedData.dcCifar10(10);
        DistilledSet set = DistilledFile.read(dc, DistilledFile.Format.RES_PT,
                Normalization.meanStd(DatasetKind.CIFAR10));
        float[] images = set.images().clone();
        for (int i = 0; i < images.length; i++) images[i] *= 0.98f;
        Path imagesFile = dir.resolve("images_best.pt");
        Path labelsFile = dir.resolve("labels_best.pt");
        TorchCheckpoint.writeTensor(HostTensor.ofFloats(images, new long[]{100, 3, 32, 32}), imagesFile);
        TorchCheckpoint.writeTensor(HostTensor.ofLongs(Arrays.stream(set.labels()).asLongStream().toArray(), 100),
                labelsFile);
        return new Path[]{imagesFile.toRealPath(), labelsFile.toRealPath()};
    }
}
