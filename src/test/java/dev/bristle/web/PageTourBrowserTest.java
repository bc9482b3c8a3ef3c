package dev.bristle.web;

import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.ml.SharedData;
import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of page in a real browser: a screenshot of each under target/screenshots, and axe-core's check of
 * each with no serious or critical violation. The submitter's pages with a job are in SubmitterBrowserTest.
 */
@QuarkusTest
@Tag("browser")
@Tag("database")
class PageTourBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    DatasetPoolService datasets;

    @Inject
    ModelPoolService models;

    @Test
    void everyPageLooksRightAndPassesAxe() throws IOException {
        DatasetView dc = datasets.list().stream().filter(d -> d.method().equals("DC") && d.ipc() == 10)
                .findFirst().orElseThrow();
        ModelView bacon = models.list().stream().filter(m -> m.method().equals("BACON")).findFirst().orElseThrow();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("home.png", "");
        pages.put("board-cifar-10-ipc-10.png", "boards/cifar-10/10?mode=untargeted");
        pages.put("board-unified.png", "boards/cifar-100/all?mode=targeted");
        pages.put("entry-bacon.png", "entries/cifar-10/BACON");
        pages.put("dataset-pool.png", "datasets");
        pages.put("dataset.png", "datasets/" + dc.id());
        pages.put("upload-form.png", "datasets/new");
        pages.put("model-pool.png", "models");
        pages.put("model-card.png", "models/" + bacon.id());
        pages.put("jobs.png", "jobs");
        pages.put("not-found.png", "boards/mnist/50");
        List<String> violations = new ArrayList<>();
        try (BrowserSession browser = BrowserSession.open()) {
            browser.signIn(root);
            for (Map.Entry<String, String> page : pages.entrySet()) {
                browser.driver.get(root + page.getValue());
                browser.fullPageScreenshot(page.getKey());
                browser.seriousAccessibilityViolations().forEach(v -> violations.add("/" + page.getValue() + ": " + v));
            }

            // A class's picture, larger, in a dialog.
            browser.driver.get(root + "datasets/" + dc.id());
            browser.driver.findElement(By.cssSelector("a[data-enlarge][href$='/classes/3.png']")).click();
            WebElement viewer = browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("image-viewer")));
            assertTrue(viewer.getText().contains("cat: 10 images of DC"), viewer.getText());
            assertTrue(viewer.findElement(By.tagName("img")).getSize().getWidth() > 1000, "shown large");
            assertEquals("pixelated", viewer.findElement(By.tagName("img")).getCssValue("image-rendering"));
            browser.screenshot("dataset-class-enlarged.png");
            browser.seriousAccessibilityViolations().forEach(v -> violations.add("enlarged picture: " + v));

            // A refusal, shown beside the field it concerns.
            browser.driver.get(root + "datasets/new");
            browser.driver.findElement(By.id("upload-method")).sendKeys("My method");
            browser.driver.findElement(By.id("upload-ipc")).clear();
            browser.driver.findElement(By.id("upload-ipc")).sendKeys("1");
            browser.driver.findElement(By.id("upload-file")).sendKeys(SharedData.dcCifar10(10).toRealPath().toString());
            browser.driver.findElement(By.cssSelector("#upload-form button[type=submit]")).click();
            WebElement error = browser.wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("upload-file-error")));
            assertTrue(error.getText().contains("the stated IPC is 1"), error.getText());
            assertEquals("My method", browser.driver.findElement(By.id("upload-method")).getAttribute("value"),
                    "the form keeps what was typed");
            assertTrue(browser.driver.getCurrentUrl().endsWith("/datasets/new"), "swapped in place by htmx");
            browser.fullPageScreenshot("upload-refused.png");
            browser.seriousAccessibilityViolations().forEach(v -> violations.add("upload refused: " + v));
        }
        assertEquals(List.of(), violations);
    }

    /**
     * Signed in as a maintainer (the most links), the header is one line at the common desktop widths: every part of
     * it (brand, links, account and its sign-out button) overlaps the others' line. Narrower, it may wrap.
     */
    @Test
    void theSignedInHeaderIsOneLineAtDesktopWidths() throws IOException {
        List<String> wrapped = new ArrayList<>();
        try (BrowserSession browser = BrowserSession.open()) {
            browser.signIn(root);
            for (int width : new int[]{1024, 1280, 1440, 1920}) {
                browser.driver.manage().window().setSize(new Dimension(width, 700));
                browser.driver.get(root + "jobs");
                browser.screenshot("header-signed-in-" + width + ".png");
                Object oneLine = browser.js().executeScript("const parts = [...document.querySelectorAll("
                        + "'header.site > *, header.site .account button')].filter(e => e.offsetWidth > 0)"
                        + ".map(e => e.getBoundingClientRect());"
                        + " return Math.max(...parts.map(r => r.top)) < Math.min(...parts.map(r => r.bottom));");
                if (!Boolean.TRUE.equals(oneLine)) wrapped.add(width + " px");
            }
        }
        assertEquals(List.of(), wrapped, "the header wraps at these widths");
    }
}
