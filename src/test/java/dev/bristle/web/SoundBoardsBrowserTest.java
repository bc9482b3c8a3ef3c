package dev.bristle.web;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22, as a visitor sees it in a real browser ({@link BrowserSession}): the sound protocol's home page shows
 * entries on every card whose board has any (which boards those are comes from the JSON twin), and the
 * Fashion-MNIST board's preliminary rows stay about three lines tall until their differences are opened; axe-core
 * finds no serious or critical violation on either page. Screenshots in target/screenshots.
 */
@QuarkusTest
@Tag("browser")
class SoundBoardsBrowserTest {

    /** "About three lines": three lines of the cell's text, with half a line to spare for the smaller type. */
    private static final double MAX_FOLDED_LINES = 3.5;

    @TestHTTPResource("/")
    URL root;

    @Test
    @SuppressWarnings("unchecked")
    void everyCardOfABoardWithEntriesShowsThem() throws IOException {
        List<Map<String, Object>> cards = given().get("/api/boards?protocol=sound").then().statusCode(200)
                .extract().jsonPath().getList("datasets.boards.flatten()");
        assertTrue(cards.stream().anyMatch(c -> ((Number) c.get("entries")).intValue() > 0),
                "some sound board has entries (Bristle's recorded Fashion-MNIST ones)");
        List<String> wrong = new ArrayList<>();
        try (BrowserSession browser = BrowserSession.open()) {
            browser.driver.get(root + "?protocol=sound");
            browser.fullPageScreenshot("home-sound.png");
            browser.seriousAccessibilityViolations().forEach(v -> wrong.add("axe: " + v));
            for (Map<String, Object> card : cards) {
                String url = (String) card.get("url");
                WebElement article = browser.driver.findElement(
                        By.xpath("//article[@class='card'][h3/a[@href='" + url + "']]"));
                List<WebElement> listed = article.findElements(By.cssSelector("ol.top li"));
                boolean shown = !listed.isEmpty() && listed.stream().allMatch(WebElement::isDisplayed);
                int entries = ((Number) card.get("entries")).intValue();
                if (entries > 0 && !shown) wrong.add(url + ": " + entries + " entries, none listed");
                if (entries == 0 && !article.findElement(By.cssSelector(".empty")).isDisplayed()) {
                    wrong.add(url + ": no entries, yet not said");
                }
                if (entries > 0 && !article.getText().contains(card.get("ranked") + " ranked · "
                        + card.get("preliminary") + " preliminary")) {
                    wrong.add(url + ": no counts in " + article.getText());
                }
            }
            WebElement fashionMnist = browser.driver.findElement(
                    By.xpath("//section[@class='dataset'][h2='Fashion-MNIST']"));
            browser.js().executeScript("arguments[0].scrollIntoView()", fashionMnist);
            Files.write(BrowserSession.SCREENSHOTS.resolve("home-sound-fashion-mnist.png"),
                    fashionMnist.getScreenshotAs(OutputType.BYTES));
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void preliminaryRowsAreAboutThreeLinesUntilOpened() throws IOException {
        try (BrowserSession browser = BrowserSession.open()) {
            browser.driver.get(root + "boards/fashion-mnist/1?protocol=sound");
            List<WebElement> rows = browser.driver.findElements(By.cssSelector("table.leaderboard tr.preliminary"));
            assertFalse(rows.isEmpty(), "Bristle's recorded Fashion-MNIST IPC 1 entries are preliminary rows");
            browser.fullPageScreenshot("board-fashion-mnist-sound.png");
            assertEquals(List.of(), browser.seriousAccessibilityViolations());
            List<String> tall = new ArrayList<>();
            for (WebElement row : rows) {
                double lines = lines(browser, row);
                if (lines > MAX_FOLDED_LINES) tall.add(String.format("%.1f lines: %s", lines, row.getText()));
                assertFalse(row.findElement(By.cssSelector("details.differences li")).isDisplayed(),
                        "the differences are folded");
            }
            assertEquals(List.of(), tall, "preliminary rows taller than about three lines");

            WebElement first = rows.get(0);
            first.findElement(By.cssSelector("details.differences summary")).click();
            browser.wait.until(d -> first.findElement(By.cssSelector("details.differences li")).isDisplayed());
            assertTrue(lines(browser, first) > MAX_FOLDED_LINES, "opened, the row lists its differences");
            List<WebElement> differences = first.findElements(By.cssSelector("details.differences li"));
            assertTrue(first.findElement(By.tagName("summary")).getText()
                    .matches("preliminary: " + differences.size() + " differences?"), first.getText());
            Files.write(BrowserSession.SCREENSHOTS.resolve("board-fashion-mnist-sound-opened.png"),
                    browser.driver.findElement(By.cssSelector("table.leaderboard")).getScreenshotAs(OutputType.BYTES));
        }
    }

    /** The row's height in lines of its method cell's text, less the cell's padding. */
    private static double lines(BrowserSession browser, WebElement row) {
        return ((Number) browser.js().executeScript("const row = arguments[0];"
                + " const cell = getComputedStyle(row.querySelector('td.method'));"
                + " const padding = parseFloat(cell.paddingTop) + parseFloat(cell.paddingBottom);"
                + " return (row.getBoundingClientRect().height - padding) / parseFloat(cell.lineHeight);", row))
                .doubleValue();
    }
}
