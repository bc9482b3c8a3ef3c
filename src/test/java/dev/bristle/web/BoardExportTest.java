package dev.bristle.web;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Board downloads (CSV, JSON), the board's charts and column help, and the API explorer. */
@QuarkusTest
@Tag("database")
class BoardExportTest {

    @Test
    void csvHasAHeaderRowAndTheBoardsRowsInOrder() {
        String csv = given().get("/api/boards/cifar-10/50?mode=untargeted&format=csv").then().statusCode(200)
                .contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("bristle-cifar-10-ipc50-untargeted.csv"))
                .extract().asString();
        List<String> lines = csv.lines().toList();
        assertEquals(String.join(",", BoardCsv.HEADER), lines.get(0));
        assertTrue(lines.get(1).startsWith("1,ranked,IDM,29.59,"), lines.get(1));
        int rows = given().get("/api/boards/cifar-10/50?mode=untargeted").then().statusCode(200).extract()
                .jsonPath().getList("rows").size();
        assertEquals(rows + 1, lines.size(), "one line per row after the header");
        // a field with a comma or a quote is quoted, so every line has as many fields as the header
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(BoardCsv.HEADER.size(), fields(line), line);
        }
    }

    @Test
    void jsonDownloadIsTheBoardsJson() {
        given().get("/api/boards/cifar-100/10?mode=targeted&format=json").then().statusCode(200)
                .contentType(containsString("application/json"))
                .header("Content-Disposition", containsString("bristle-cifar-100-ipc10-targeted.json"))
                .body("dataset", org.hamcrest.Matchers.equalTo("CIFAR-100"));
    }

    @Test
    void unknownFormatIsA400() {
        given().get("/api/boards/cifar-10/50?format=xlsx").then().statusCode(400)
                .body("error", containsString("format=csv"));
    }

    @Test
    void boardPageDrawsCreiAgainstIpcAndRrmAgainstAemAndLinksDownloads() {
        String html = given().get("/boards/cifar-10/50").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<svg"), "charts drawn on the server");
        assertTrue(html.contains("aria-label=\"CREI against images per class\""));
        assertTrue(html.contains("aria-label=\"RRM against AEM\""));
        // IDM is on the IPC 1, 10 and 50 boards: a line with three points
        assertTrue(html.contains("IDM: images per class IPC 50, CREI 29.59"), "IDM's IPC 50 point");
        assertTrue(html.contains("/api/boards/cifar-10/50?mode=untargeted&amp;sort=crei&amp;dir=desc&amp;format=csv"));
        assertTrue(html.contains("class=\"col-help\">½ RRM + ½ AEM"), "explanations on the column headers");

        String targeted = given().get("/boards/cifar-10/50?mode=targeted").then().statusCode(200).extract().asString();
        assertTrue(targeted.contains("aria-label=\"CREI against images per class\""), "targeted CREI per IPC exists");
        assertFalse(targeted.contains("aria-label=\"RRM against AEM\""), "no targeted RRM/AEM per IPC published");
        assertTrue(targeted.contains("No RRM-versus-AEM chart"));
    }

    @Test
    void swaggerUiIsServedAndLinkedFromTheFooter() {
        given().get("/q/swagger-ui").then().statusCode(200).body(containsString("swagger-ui"));
        assertTrue(given().get("/").then().extract().asString().contains("href=\"/q/swagger-ui\""));
    }

    private static int fields(String line) {
        int count = 1;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) count++;
        }
        return count;
    }
}
