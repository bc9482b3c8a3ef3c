package dev.bristle.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTML pages: home, boards, their htmx fragments, and the error pages. */
@QuarkusTest
@Tag("database")
class BoardPagesTest {

    /** How many entries a home-page card lists at most. */
    private static final int CARD_ROWS = 3;

    @Test
    void homeListsTwelveBoardsWithTheirLeaders() {
        String html = page("/", 200);
        assertTrue(html.contains("<html"), "a full page");
        assertEquals(12, count(html, "<article class=\"card\">"), "3 data sets × 4 boards");
        assertTrue(html.contains("href=\"/boards/tinyimagenet/all?mode=untargeted\""));
        // CIFAR-10 IPC 50's leader is IDM with CREI 29.59 (published leaderboard)
        assertTrue(html.contains(">IDM</a><span class=\"num\">29.59</span>"), html);
        assertTrue(html.contains("class=\"active\" aria-current=\"true\">Untargeted<"));
    }

    @Test
    void homeSwitchesModeAndAnswersHtmxWithTheGridOnly() {
        String targeted = page("/?mode=targeted", 200);
        assertTrue(targeted.contains("<html"));
        assertTrue(targeted.contains("class=\"active\" aria-current=\"true\">Targeted<"));
        assertTrue(targeted.contains("href=\"/boards/cifar-10/50?mode=targeted\""));

        String fragment = given().header("HX-Request", "true").get("/?mode=targeted")
                .then().statusCode(200).header("Vary", containsString("HX-Request")).extract().asString();
        assertFalse(fragment.contains("<html"), "htmx gets the fragment only");
        assertTrue(fragment.trim().startsWith("<div id=\"boards\""), fragment);
        assertEquals(12, count(fragment, "<article class=\"card\">"));
    }

    @Test
    void cifar10Ipc50UntargetedListsIdmFirstByCreiAndByAem() {
        String html = page("/boards/cifar-10/50", 200);
        assertTrue(html.contains("<html"));
        assertEquals("IDM", firstMethod(html));
        assertTrue(firstRow(html).contains("<td class=\"num crei\">29.59</td>"), firstRow(html));
        assertTrue(html.contains("Full-size"), "the Full-size reference row");
        assertTrue(html.contains("<td class=\"num\">25.12</td>"), "Full-size untargeted CREI, paper Table 3");

        String byAem = page("/boards/cifar-10/50?mode=untargeted&sort=aem&dir=desc", 200);
        assertEquals("IDM", firstMethod(byAem));
        assertTrue(firstRow(byAem).contains("<td class=\"num\">27.18</td>"), firstRow(byAem));
        assertTrue(byAem.contains("aria-sort=\"descending\""));
        // the AEM header now toggles to ascending; ascending puts DSA (22.06... no: MTT 21.75) first
        assertTrue(byAem.contains("/boards/cifar-10/50?mode=untargeted&amp;sort=aem&amp;dir=asc")
                || byAem.contains("/boards/cifar-10/50?mode=untargeted&sort=aem&dir=asc"));
        assertEquals("MTT", firstMethod(page("/boards/cifar-10/50?sort=aem&dir=asc", 200)));
    }

    @Test
    void cleanAccuracyIsShownWhereTheLogsKnowIt() {
        String html = page("/boards/cifar-10/50", 200);
        String bacon = row(html, "BACON");
        assertTrue(bacon.contains("title=\"clean pass of the published log\""), bacon);
        String unified = row(page("/boards/cifar-10/all", 200), "BACON");
        assertTrue(unified.contains("mean over IPC 1, 10 and 50"), unified);
        assertTrue(row(html, "IDM").contains("<td class=\"num\">—</td>"), "IDM has no log: no clean accuracy");
    }

    @Test
    void htmxGetsTheTableFragmentOnly() {
        String fragment = given().header("HX-Request", "true")
                .get("/boards/cifar-10/50?mode=targeted&sort=crei&dir=asc")
                .then().statusCode(200).header("Vary", containsString("HX-Request")).extract().asString();
        assertFalse(fragment.contains("<html"));
        assertFalse(fragment.contains("<h1>"));
        assertTrue(fragment.trim().startsWith("<div id=\"board\""), fragment);
        assertTrue(fragment.contains("data-mode=\"targeted\" data-sort=\"crei\" data-dir=\"asc\""));
    }

    @Test
    void htmxHistoryRestoreGetsTheWholePage() {
        String html = given().header("HX-Request", "true").header("HX-History-Restore-Request", "true")
                .get("/boards/cifar-10/50?mode=targeted").then().statusCode(200).extract().asString();
        assertTrue(html.contains("<html"), "a history restore replaces the whole body: it needs the page");
        assertTrue(html.contains("data-mode=\"targeted\""));
    }

    @Test
    void targetedBoardsComeFromThePaperAndSayWhatIsMissing() {
        String perIpc = page("/boards/cifar-10/50?mode=targeted", 200);
        assertTrue(perIpc.contains("no targeted RRM or AEM per IPC"), "says the per-IPC RRM/AEM are unpublished");
        assertTrue(perIpc.contains("paper Table 2"));
        assertEquals(6, count(perIpc, "<td class=\"num rank\">"));

        String unified = page("/boards/cifar-10/all?mode=targeted", 200);
        assertTrue(unified.contains("paper Table 1"));
        assertFalse(unified.contains("no targeted RRM or AEM per IPC"));

        String tiny = page("/boards/tinyimagenet/50?mode=targeted", 200);
        assertTrue(tiny.contains("prints no value (\"/\") for BACON, IDM, MTT")
                || tiny.contains("prints no value (&quot;/&quot;) for BACON, IDM, MTT"), tiny);
    }

    @Test
    void unknownPathPartsAre404PagesWithAWayBack() {
        for (String url : new String[]{"/boards/mnist/50", "/boards/cifar-10/20", "/entries/cifar-10/NOPE",
                "/entries/svhn/BACON"}) {
            String html = page(url, 404);
            assertTrue(html.contains("<html"), url);
            assertTrue(html.contains("href=\"/\""), url + ": a way back");
            assertFalse(html.contains("Exception"), url + ": no stack trace");
        }
        assertTrue(page("/boards/mnist/50", 404).replace("&#39;", "'")
                .contains("Unknown dataset 'mnist' in the address"));
        given().get("/no/such/page").then().statusCode(404).contentType(containsString("text/html"))
                .body(containsString("There is no page at /no/such/page"), not(containsString("Exception")));
    }

    @Test
    void badQueryValuesAre400Pages() {
        assertTrue(page("/boards/cifar-10/50?mode=sideways", 400).contains("mode=untargeted or mode=targeted"));
        assertTrue(page("/boards/cifar-10/50?sort=speed", 400).replace("&#39;", "'").contains("Unknown sort 'speed'"));
        assertTrue(page("/boards/cifar-10/50?dir=up", 400).contains("dir=desc or dir=asc"));
        assertTrue(page("/?mode=both", 400).contains("Unknown mode"));
    }

    @Test
    void htmxAndStylesAreServedByTheApp() {
        given().get("/_static/htmx.org/dist/htmx.min.js").then().statusCode(200)
                .body(containsString("htmx"));
        given().get("/css/bristle.css").then().statusCode(200).body(containsString(".leaderboard"));
        String html = page("/", 200);
        assertTrue(html.contains("<script src=\"/_static/htmx.org/dist/htmx.min.js\""));
        assertFalse(html.contains("unpkg") || html.contains("cdn"), "no CDN");
    }

    /**
     * Issue 22: a card lists the board's preliminary entries under its ranked ones (badged, CREI greyed), so a card is
     * empty only when its board is, and says how many are ranked and how many preliminary; counted from the JSON twin.
     */
    @Test
    @SuppressWarnings("unchecked")
    void soundHomeCardsListPreliminaryEntriesAndCountBothKinds() {
        String html = page("/?protocol=sound", 200);
        JsonPath api = given().get("/api/boards?protocol=sound").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> cards = api.getList("datasets.boards.flatten()");
        assertTrue(cards.stream().anyMatch(c -> ((Number) c.get("entries")).intValue() > 0),
                "Bristle's recorded Fashion-MNIST entries are on the sound boards");
        for (Map<String, Object> card : cards) {
            String url = (String) card.get("url");
            String article = card(html, url);
            int entries = ((Number) card.get("entries")).intValue();
            int ranked = ((Number) card.get("ranked")).intValue();
            int preliminary = ((Number) card.get("preliminary")).intValue();
            assertEquals(entries, ranked + preliminary, url);
            if (entries == 0) {
                assertTrue(article.contains("<p class=\"empty\">No entries.</p>"), article);
                continue;
            }
            assertFalse(article.contains("No entries."), url + ": a card with entries lists them\n" + article);
            assertTrue(article.contains(ranked + " ranked · " + preliminary + " preliminary"), article);
            List<Map<String, Object>> listed = new java.util.ArrayList<>();
            listed.addAll((List<Map<String, Object>>) card.get("top"));
            listed.addAll((List<Map<String, Object>>) card.get("topPreliminary"));
            assertEquals(Math.min(entries, CARD_ROWS), listed.size(), url);
            for (Map<String, Object> row : (List<Map<String, Object>>) card.get("topPreliminary")) {
                assertTrue(article.contains(">" + row.get("method") + "</a><span class=\"badge preliminary\""), article);
            }
            assertEquals(((List<?>) card.get("topPreliminary")).size(), count(article, "<li class=\"preliminary\">"));
        }
    }

    /** Issue 22: a preliminary row says "preliminary: N differences" and lists them in a details element. */
    @Test
    @SuppressWarnings("unchecked")
    void preliminaryRowsFoldTheirDifferencesIntoOneLine() {
        String html = page("/boards/fashion-mnist/1?protocol=sound", 200);
        List<Map<String, Object>> rows = given().get("/api/boards/fashion-mnist/1?protocol=sound").then()
                .statusCode(200).extract().jsonPath().getList("rows.findAll { it.status == 'preliminary' }");
        assertFalse(rows.isEmpty(), "Bristle's recorded Fashion-MNIST IPC 1 entries are preliminary");
        for (Map<String, Object> api : rows) {
            List<String> differences = (List<String>) api.get("differences");
            String row = html.substring(html.lastIndexOf("<tr", html.indexOf(">" + api.get("method") + "</a>",
                    html.indexOf("<tbody>"))), html.indexOf("</tr>", html.indexOf(">" + api.get("method") + "</a>",
                    html.indexOf("<tbody>"))));
            assertTrue(row.contains("<summary>preliminary: " + differences.size() + " difference"
                    + (differences.size() == 1 ? "" : "s") + "</summary>"), row);
            for (String difference : differences) assertTrue(row.contains("<li>" + difference + "</li>"), row);
            assertFalse(row.contains("Differs from the official settings"), row);
            assertEquals(1, count(row, "class=\"provenance\""), "provenance on one line: " + row);
        }
    }

    /**
     * Issue 22: Bristle's recorded CIFAR-10 entries give each sound board at IPC 1, 10 and 50 its random baseline,
     * and every other row its clean and robust gain over it.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theCifar10SoundBoardsShowTheirRandomBaselineAndEachRowsGain() {
        for (int ipc : new int[]{1, 10, 50}) {
            JsonPath board = given().get("/api/boards/cifar-10/" + ipc + "?protocol=sound").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals("Random", board.getString("baseline.method"), "IPC " + ipc);
            assertFalse(board.getBoolean("rows[0].distilledDataAvailable"), "a command-line record's set is not served"
                    + " by Bristle, so its row claims no data");
            List<Map<String, Object>> rows = board.getList("rows");
            assertTrue(rows.size() >= 2, "IPC " + ipc + ": the baseline and a distilled set: " + rows);
            for (Map<String, Object> row : rows) {
                if (Boolean.TRUE.equals(row.get("baseline"))) continue;
                assertTrue(row.get("cleanGain") instanceof Number && row.get("robustGain") instanceof Number,
                        "IPC " + ipc + ": " + row);
            }
        }
    }

    /**
     * Issue 22: the RRM-versus-AEM chart is drawn when two entries of the board have both numbers, preliminary ones
     * as open circles; otherwise the page says why.
     */
    @Test
    void theRrmVersusAemChartIsDrawnFromTwoEntriesOrSaysWhyNot() {
        String sound = page("/boards/fashion-mnist/1?protocol=sound", 200);
        List<Map<String, Object>> rows = given().get("/api/boards/fashion-mnist/1?protocol=sound").then()
                .statusCode(200).extract().jsonPath().getList("rows");
        List<Map<String, Object>> both = rows.stream().filter(r -> r.get("rrm") != null && r.get("aem") != null)
                .toList();
        assertTrue(both.size() >= 2, "Bristle's Fashion-MNIST entries have RRM and AEM: " + rows);
        assertTrue(sound.contains("aria-label=\"RRM against AEM\""), "the chart is drawn");
        assertFalse(sound.contains("No RRM-versus-AEM chart"), sound);
        for (Map<String, Object> row : both) {
            assertTrue(sound.contains("fill=\"white\" stroke=\"") && sound.contains("stroke-width=\"2\"><title>"
                    + row.get("method") + ": AEM "), row.get("method") + " is an open circle");
        }
        assertTrue(sound.contains("Open circles: preliminary entries"));
        // and CREI against IPC, the preliminary entries' lines dashed
        assertTrue(sound.contains("aria-label=\"CREI against images per class\""), "the CREI-by-IPC chart");
        assertTrue(sound.contains("stroke-dasharray=\"6 4\""), "dashed: preliminary");
        assertTrue(sound.contains("Dashed: preliminary entries"));

        String targeted = page("/boards/cifar-10/10?mode=targeted", 200);
        int entries = given().get("/api/boards/cifar-10/10?mode=targeted").then().statusCode(200).extract()
                .jsonPath().getList("rows").size();
        assertFalse(targeted.contains("aria-label=\"RRM against AEM\""));
        assertTrue(targeted.contains("No RRM-versus-AEM chart: none of this board&#39;s " + entries
                + " entries has both RRM and AEM (BEARD published only the CREI here)"), targeted);

        assertTrue(page("/boards/fashion-mnist/50?protocol=sound", 200)
                .contains("No RRM-versus-AEM chart: this board has no entries."));
    }

    /** The card of the board at {@code url} on the home page. */
    private static String card(String html, String url) {
        int link = html.indexOf("<h3><a href=\"" + url.replace("&", "&amp;") + "\">");
        assertTrue(link > 0, url + " has a card");
        return html.substring(html.lastIndexOf("<article", link), html.indexOf("</article>", link));
    }

    static String page(String url, int status) {
        Response response = given().accept("text/html").get(url);
        assertEquals(status, response.statusCode(), url + "\n" + response.asString());
        assertTrue(response.contentType().startsWith("text/html"), url + ": " + response.contentType());
        return response.asString();
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    static String firstRow(String html) {
        int body = html.indexOf("<tbody>");
        return html.substring(html.indexOf("<tr>", body), html.indexOf("</tr>", body));
    }

    static String row(String html, String method) {
        int at = html.indexOf(">" + method + "</a>", html.indexOf("<tbody>"));
        assertTrue(at > 0, method + " not on the board");
        return html.substring(html.lastIndexOf("<tr>", at), html.indexOf("</tr>", at));
    }

    static String firstMethod(String html) {
        String row = firstRow(html);
        int link = row.indexOf("<a href=\"/entries/");
        return row.substring(row.indexOf('>', link) + 1, row.indexOf("</a>", link));
    }
}
