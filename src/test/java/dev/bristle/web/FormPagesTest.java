package dev.bristle.web;

import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.ml.SharedData;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.JobSettings;
import dev.bristle.scoring.JobView;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The upload and "Score this set" forms: problems beside their fields, htmx answers, presets, checkboxes. */
@QuarkusTest
@Tag("database")
class FormPagesTest {

    @Inject
    DatasetPoolService pool;

    @Inject
    JobService jobs;

    @AfterEach
    void cancelQueuedJobs() {
        jobs.list().stream().filter(j -> j.state().equals("queued")).forEach(j -> jobs.cancel(j.id(), dev.bristle.accounts.TestAccounts.MAINTAINER));
    }

    @Test
    void aRefusedUploadShowsEachProblemBesideItsField() {
        String html = asMaintainer().multiPart("method", "").multiPart("dataset", "CIFAR-10").multiPart("ipc", "ten")
                .multiPart("normalization", "mean-std").multiPart("paperUrl", "ftp://x").multiPart("authors", "")
                .post("/datasets").then().statusCode(400).contentType("text/html").extract().asString();
        assertTrue(html.contains("<html"), "without htmx, the whole page");
        assertTrue(field(html, "upload-ipc").contains("&#39;ten&#39; is not a positive whole number"), field(html, "upload-ipc"));
        assertTrue(field(html, "upload-ipc").contains("aria-invalid=\"true\""));
        assertTrue(field(html, "upload-method").contains("give the distillation method&#39;s name"));
        assertTrue(field(html, "upload-paper").contains("is not an http(s) address"));
        assertTrue(field(html, "upload-file").contains("choose the distilled set&#39;s file"));
        assertFalse(field(html, "upload-authors").contains("class=\"error\""), "no problem, no error beside it");
    }

    @Test
    void htmxUploadsGetTheFormAloneOrARedirect() {
        String fragment = asMaintainer().header("HX-Request", "true").multiPart("method", "X").multiPart("ipc", "ten")
                .multiPart("dataset", "CIFAR-10").multiPart("normalization", "mean-std")
                .post("/datasets").then().statusCode(400).extract().asString();
        assertTrue(fragment.trim().startsWith("<form id=\"upload-form\""), fragment);
        assertFalse(fragment.contains("<html"));

        Path dc = SharedData.dcCifar10(1);
        asMaintainer().header("HX-Request", "true").multiPart("method", "DC").multiPart("ipc", "1")
                .multiPart("dataset", "CIFAR-10").multiPart("normalization", "mean-std")
                .multiPart("file", dc.toFile()).redirects().follow(false)
                .post("/datasets").then().statusCode(200)
                .header("HX-Redirect", org.hamcrest.Matchers.matchesPattern("/datasets/\\d+\\?(added|known)=1"));
    }

    @Test
    void theUploadFormGroupsItsFieldsAndReportsProgress() {
        String html = asMaintainer().get("/datasets/new").then().statusCode(200).extract().asString();
        assertEquals(2, count(html, "<fieldset>"));
        assertTrue(html.contains("data-upload-progress"));
        assertTrue(html.contains("hx-encoding=\"multipart/form-data\""));
        assertTrue(html.contains("<progress"));
        assertTrue(html.contains("<script src=\"/js/bristle.js\" defer></script>"));
        assertFalse(html.contains("<script>"), "no inline script");
        given().get("/js/bristle.js").then().statusCode(200).body(containsString("htmx:xhr:progress"));
    }

    @Test
    void theScoreFormHasPresetsAndCheckboxes() {
        long set = dcSet();
        String html = given().get("/datasets/" + set).then().statusCode(200).extract().asString();
        assertEquals(9, count(html, "type=\"checkbox\" name=\"attacks\""), "one checkbox per attack");
        assertEquals(2, count(html, "type=\"checkbox\" name=\"modes\""));
        assertTrue(html.contains("value=\"official\" data-epochs=\"1000\""));
        assertTrue(html.contains("value=\"quick\" data-epochs=\"50\""));

        long quick = queued(asMaintainer().formParam("datasetId", set).formParam("preset", "quick"));
        JobSettings settings = jobs.find(quick).orElseThrow().settings();
        assertEquals(50, settings.epochs());
        assertEquals(1, settings.students());
        assertEquals(500, settings.testLimit());
        assertEquals(List.of("FGSM", "PGD"), settings.attacks());
        assertEquals(List.of("untargeted"), settings.modes());

        long official = queued(asMaintainer().formParam("datasetId", set).formParam("preset", "official")
                .formParam("epochs", "3"));
        assertEquals(1000, jobs.find(official).orElseThrow().settings().epochs(), "a preset ignores the fields");

        long custom = queued(asMaintainer().formParam("datasetId", set).formParam("preset", "custom")
                .formParam("epochs", "3").formParam("students", "2").formParam("attacks", "FGSM")
                .formParam("attacks", "Square").formParam("modes", "targeted").formParam("protocol", "sound"));
        JobView job = jobs.find(custom).orElseThrow();
        assertEquals(List.of("FGSM", "Square"), job.settings().attacks());
        assertEquals(List.of("targeted"), job.settings().modes());
        assertEquals("sound", job.settings().protocol());

        // Issue 22: the job list and the job's page read its queue time to the minute, the exact instant (as the
        // JSON has it) in the tooltip.
        String createdAt = given().get("/api/jobs/" + custom).then().statusCode(200).extract().path("createdAt");
        String time = "<time datetime=\"" + createdAt + "\" title=\"" + createdAt + "\">"
                + createdAt.substring(0, 10) + " " + createdAt.substring(11, 16) + " UTC</time>";
        assertTrue(given().get("/jobs").then().statusCode(200).extract().asString().contains(time), time);
        assertTrue(given().get("/jobs/" + custom).then().statusCode(200).extract().asString()
                .contains("Queued " + time), time);
    }

    @Test
    void aRefusedJobComesBackWithTheProblemBesideItsField() {
        long set = dcSet();
        String html = asMaintainer().formParam("datasetId", set).formParam("preset", "custom").formParam("epochs", "0")
                .formParam("students", "many").formParam("attacks", "FGSM").post("/jobs")
                .then().statusCode(400).contentType("text/html").extract().asString();
        assertTrue(field(html, "job-epochs").contains("epochs must be 1 to 10000"), field(html, "job-epochs"));
        assertTrue(field(html, "job-students").contains("students should be a whole number"));
        assertTrue(field(html, "job-modes-label").contains("choose at least one"), field(html, "job-modes-label"));
        assertTrue(html.contains("value=\"custom\" checked") || html.contains("value=\"custom\"  checked")
                || Pattern.compile("value=\"custom\"[^>]*checked").matcher(html).find(), "the user's choice kept");
        asMaintainer().formParam("datasetId", set).formParam("preset", "fastest").post("/jobs").then().statusCode(400)
                .body(containsString("Choose the official settings, the quick preview or custom settings"))
                .body(not(containsString("Exception")));
    }

    @Test
    void aSetsPageShowsOneNamedRowPerClassWithItsPicture() throws java.io.IOException {
        long set = dcSet();
        String html = given().get("/datasets/" + set).then().statusCode(200).extract().asString();
        assertEquals(10, count(html, "<th scope=\"row\"><span class=\"class-index\">"));
        assertTrue(html.contains("<span class=\"class-index\">0</span> airplane</th>"));
        assertTrue(html.contains("<span class=\"class-index\">9</span> truck</th>"));
        assertTrue(html.contains("src=\"/datasets/" + set + "/classes/3.png\" width=\"662\" height=\"68\""),
                "ten 32-pixel images with 1-pixel gaps (331 x 34), drawn twice as large");
        byte[] png = given().get("/datasets/" + set + "/classes/3.png").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertEquals(331, image.getWidth());
        assertEquals(34, image.getHeight());
        given().get("/datasets/" + set + "/classes/10.png").then().statusCode(404);
        given().get("/datasets/" + set + "/classes/cat.png").then().statusCode(404);
    }

    private long dcSet() {
        return pool.list().stream().filter(d -> d.method().equals("DC") && d.ipc() == 10)
                .map(DatasetView::id).findFirst().orElseThrow();
    }

    private static long queued(io.restassured.specification.RequestSpecification request) {
        String location = request.redirects().follow(false).post("/jobs").then().statusCode(303).extract()
                .header("Location");
        return Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
    }

    /** The markup of the field whose control has this id, from its opening div to the next field. */
    private static String field(String html, String id) {
        int at = html.indexOf("id=\"" + id + "\"");
        assertTrue(at > 0, "no control " + id);
        int start = html.lastIndexOf("<div class=\"field", at);
        int end = html.indexOf("<div class=\"field", at);
        return html.substring(start, end < 0 ? html.length() : end);
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
