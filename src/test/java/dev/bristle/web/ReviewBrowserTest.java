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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Review before publication in a real browser: a submitter signs in, uploads a set through the form and queues a
 * small scoring job; its measured entry waits for review, on no public board; a maintainer signs in and approves it,
 * and it appears on the public board. Every form posts its CSRF token as a browser does. Screenshots of each step,
 * and axe-core's check of each page. On H2 only: AccessControlTest runs review before publication on PostgreSQL too.
 */
@QuarkusTest
@Tag("browser")
class ReviewBrowserTest {

    private static final String METHOD = "ReviewedDC";
    private static final String BOARD = "boards/cifar-10/10?mode=untargeted";

    @TestHTTPResource("/")
    URL root;

    @Inject
    ManualEngine engine;

    @Inject
    JobService jobs;

    @BeforeEach
    @AfterEach
    void cleanUp() {
        ScoringTestState.cancelQueuedJobs(jobs);
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void aSubmittersEntryIsPublishedOnceAMaintainerApprovesIt(@TempDir Path dir) throws Exception {
        Path file = newSet(dir);
        List<String> violations = new ArrayList<>();
        try (BrowserSession browser = BrowserSession.open()) {
            WebDriver driver = browser.driver;
            browser.signIn(root, "browser-submitter", "submitter");
            driver.get(root + "datasets/new");
            driver.findElement(By.id("upload-method")).sendKeys(METHOD);
            driver.findElement(By.id("upload-file")).sendKeys(file.toString());
            driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
            browser.wait.until(ExpectedConditions.urlMatches("/datasets/\\d+\\?added=1"));
            browser.fullPageScreenshot("review-1-uploaded-by-submitter.png");
            violations.addAll(browser.seriousAccessibilityViolations());

            // A job small enough for a test: one student, one epoch, 50 test images, FGSM untargeted.
            driver.findElement(By.cssSelector("input[name=preset][value=custom]")).click();
            type(driver.findElement(By.id("job-epochs")), "1");
            type(driver.findElement(By.id("job-students")), "1");
            type(driver.findElement(By.id("job-test-limit")), "50");
            for (WebElement box : driver.findElements(By.cssSelector("input[name=attacks], input[name=modes]"))) {
                String value = box.getAttribute("value");
                if (box.isSelected() != (value.equals("FGSM") || value.equals("untargeted"))) box.click();
            }
            driver.findElement(By.cssSelector("#job-form button[type=submit]")).click();
            browser.wait.until(ExpectedConditions.urlMatches("/jobs/\\d+$"));
            long job = Long.parseLong(driver.getCurrentUrl().replaceAll(".*/", ""));
            assertEquals("browser-submitter", jobs.find(job).orElseThrow().submittedBy());
            assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
            driver.navigate().refresh();
            browser.wait.until(d -> d.findElement(By.id("job-progress")).getAttribute("data-state").equals("succeeded"));

            // Measured, awaiting review: on the submitter's review list, on no public board.
            driver.get(root + "review");
            WebElement row = driver.findElement(By.xpath("//tr[td[1][normalize-space()='" + METHOD + "']]"));
            assertTrue(row.getText().contains("browser-submitter"), row.getText());
            assertTrue(row.findElement(By.cssSelector("td.num")).getText().matches("\\d+\\.\\d\\d"),
                    "CREI to two decimals, as on the boards: " + row.getText());
            assertTrue(driver.findElements(By.cssSelector("form.review-form")).isEmpty(), "a submitter cannot decide");
            browser.fullPageScreenshot("review-2-pending-for-submitter.png");
            violations.addAll(browser.seriousAccessibilityViolations());
            browser.signOut();
            driver.get(root + BOARD);
            assertFalse(driver.findElement(By.tagName("main")).getText().contains(METHOD), "not public before review");

            browser.signIn(root, "browser-maintainer", "maintainer");
            driver.get(root + "review");
            WebElement pending = driver.findElement(By.xpath("//tr[td[1][normalize-space()='" + METHOD + "']]"));
            browser.fullPageScreenshot("review-3-maintainer-reviews.png");
            violations.addAll(browser.seriousAccessibilityViolations());
            pending.findElement(By.cssSelector("button[value=approve]")).click();
            browser.wait.until(d -> d.findElements(By.xpath("//tr[td[1][normalize-space()='" + METHOD + "']]"))
                    .isEmpty());
            browser.signOut();

            driver.get(root + BOARD);
            WebElement published = driver.findElement(By.xpath("//tr[.//a[normalize-space()='" + METHOD + "']]"));
            assertTrue(published.isDisplayed());
            browser.fullPageScreenshot("review-4-public-board.png");
            violations.addAll(browser.seriousAccessibilityViolations());
        }
        assertEquals(List.of(), violations);
    }

    private static void type(WebElement field, String text) {
        field.clear();
        field.sendKeys(text);
    }

    /** DC's CIFAR-10 IPC-10 images a little brighter (content no other test uploads), as MTT's files in one zip. */
    private static Path newSet(Path dir) throws IOException {
        DistilledSet set = DistilledFile.read(SharedData.dcCifar10(10), DistilledFile.Format.RES_PT,
                Normalization.meanStd(DatasetKind.CIFAR10));
        float[] images = set.images().clone();
        for (int i = 0; i < images.length; i++) images[i] *= 1.01f;
        Path imagesFile = dir.resolve("images_best.pt");
        Path labelsFile = dir.resolve("labels_best.pt");
        TorchCheckpoint.writeTensor(HostTensor.ofFloats(images, new long[]{100, 3, 32, 32}), imagesFile);
        TorchCheckpoint.writeTensor(HostTensor.ofLongs(Arrays.stream(set.labels()).asLongStream().toArray(), 100),
                labelsFile);
        Path zip = dir.resolve("reviewed.zip");
        DistilledFile.writeMttZip(imagesFile, labelsFile, zip);
        return zip.toRealPath();
    }
}
