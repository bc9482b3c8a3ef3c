package dev.bristle.web.boards;

import dev.bristle.accounts.TestAccounts;
import dev.bristle.leaderboard.BoardRevision;
import dev.bristle.leaderboard.EntrySource;
import dev.bristle.leaderboard.LeaderboardEntry;
import dev.bristle.leaderboard.MeasuredEntries;
import dev.bristle.leaderboard.MeasuredRun;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.train.TrainingRecipe;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Board downloads (CSV, JSON), the board's charts and column help, and the API explorer. */
@QuarkusTest
@Tag("database")
class BoardExportTest {

    /** Text a spreadsheet would run as a formula: OWASP's prefixes, each starting a method's name. */
    private static final List<String> FORMULAS = List.of("=HYPERLINK(\"http://x.test\",\"a\")", "+1+2", "-A1+B1",
            "@SUM(A1)", "\tTAB", "\rCR");

    @Inject
    MeasuredEntries entries;

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
    void textCellsThatASpreadsheetWouldRunAreNeutralisedAndNumbersStayNumbers() {
        try {
            for (String method : FORMULAS) entries.publish(measured(method));
            String csv = given().get("/api/boards/fashion-mnist/1?mode=untargeted&protocol=sound&format=csv").then()
                    .statusCode(200).extract().asString();
            for (String method : FORMULAS) {
                // OWASP: a quote before the text and the field quoted, so a spreadsheet shows the text as it is
                String cell = "\"'" + method.replace("\"", "\"\"") + "\"";
                assertTrue(csv.contains("," + cell + ","), "neutralised " + cell + " in\n" + csv);
                assertFalse(csv.contains("," + method + ","), "as it was: " + method);
            }
            // 10 % clean accuracy is far below the random baseline's: a negative gain, written as a plain number
            List<String> rows = java.util.Arrays.stream(csv.split("\r\n"))
                    .filter(l -> FORMULAS.stream().anyMatch(m -> l.contains("'" + m.replace("\"", "\"\"")))).toList();
            assertEquals(FORMULAS.size(), rows.size(), csv);
            for (String row : rows) assertTrue(row.matches("(?s).*,-\\d+\\.\\d\\d,.*"), "a negative gain: " + row);
            assertFalse(csv.matches("(?s).*'-\\d.*"), "no number is prefixed: " + csv);
        } finally {
            QuarkusTransaction.requiringNew().run(() -> {
                for (String method : FORMULAS) {
                    LeaderboardEntry.delete("source = ?1 and method = ?2", EntrySource.MEASURED, method);
                }
                BoardRevision.raise();
            });
        }
    }

    /** A ranked measured run on Fashion-MNIST's IPC 1 board (sound protocol) with a low clean accuracy. */
    private static MeasuredRun measured(String method) {
        MetricReport report = new MetricReport(AttackMode.UNTARGETED, 0.5, List.of(), List.of("FGSM"), List.of(), null,
                null, 5.0, 10.0, 7.5, List.of());
        return new MeasuredRun(null, "BoardExportTest", TestAccounts.MAINTAINER, "Fashion-MNIST", 1, method, null,
                null, AttackProtocol.SOUND, TrainingRecipe.Kind.STANDARD, List.of(), 10.0, "one student",
                Map.of(AttackMode.UNTARGETED, report), Map.of(), Map.of(AttackMode.UNTARGETED, 1.0));
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

    @Test
    void theDocumentsEnumerationsAreTheEnumsKeys() {
        var document = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        OpenApiEnumerations.SCHEMAS.forEach((name, type) -> assertEquals(OpenApiEnumerations.keys(type),
                document.getList("components.schemas." + name + ".enum"), name));
        // Fashion-MNIST, Bristle's own data set, is among the entry route's data sets (a hand-typed list forgot it).
        assertEquals(List.of("cifar-10", "cifar-100", "tinyimagenet", "fashion-mnist"),
                document.getList("components.schemas.DatasetSlug.enum"));
        assertEquals("#/components/schemas/DatasetSlug", document.getString(
                "paths.'/api/entries/{dataset}/{method}'.get.parameters.find { it.name == 'dataset' }.schema.$ref"));
        // A parameter with a @DefaultValue refers to its enumeration and gives the default beside it (allOf).
        var mode = "paths.'/api/boards/{dataset}/{ipc}'.get.parameters.find { it.name == 'mode' }.schema.allOf";
        assertEquals("#/components/schemas/AttackModeKey", document.getString(mode + "[0].$ref"));
        assertEquals("untargeted", document.getString(mode + "[1].default"));
    }
}
