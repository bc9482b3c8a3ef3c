package dev.bristle.scoring;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.jobs.WorkerInstance;
import dev.bristle.ml.SharedData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scoring issue's acceptance: DC's CIFAR-10 IPC-10 set uploaded through the API, scored with small settings (50
 * epochs, one student, 200 test images, FGSM and PGD untargeted) by the worker, and its measured entry on the CIFAR-10 IPC-10
 * leaderboard (API and page) below BEARD's published ones (preliminary: not the official settings), with its RRM,
 * AEM and CREI.
 */
@QuarkusTest
@Tag("database")
class ScoringAcceptanceTest {

    private static final String DC_IPC10 = "data/distilled/DC/res_DC_CIFAR10_ConvNet_10ipc.pt";
    private static final String DC_IPC10_SHA256 = "e55a7f832c1fb0594dc2710795f4b13984db3c74522517f38496470101006fd7";

    @Inject
    JobService jobs;

    @Inject
    ManualEngine engine;

    @Inject
    WorkerInstance instance;

    @BeforeEach
    void emptyQueue() {
        ScoringTestState.cancelQueuedJobs(jobs);
    }

    @AfterEach
    void removeTrainedStudents() {
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void anUploadedSetIsScoredAndRankedBesideThePublishedEntries() {
        long began = System.nanoTime();
        // The app imported the same file at start-up, so the upload is recognized (200) rather than added (201).
        int set = asMaintainer().multiPart("file", SharedData.path(DC_IPC10).toFile())
                .multiPart("method", "DC")
                .multiPart("paperUrl", "https://arxiv.org/abs/2006.05929")
                .multiPart("authors", "Zhao, Mopuri, Bilen")
                .multiPart("dataset", "CIFAR-10")
                .multiPart("ipc", "10")
                .multiPart("normalization", "mean-std")
                .post("/api/datasets").then().statusCode(oneOf(200, 201))
                .body("dataset.sha256", equalTo(DC_IPC10_SHA256))
                .body("dataset.method", equalTo("DC"))
                .body("dataset.ipc", equalTo(10))
                .extract().path("dataset.id");

        // Untargeted only: the boards' default view, at half the attack time of both modes.
        int job = asMaintainer().contentType("application/json").body("{\"datasetId\": " + set + ", \"epochs\": 50,"
                        + " \"students\": 1, \"testLimit\": 200, \"attacks\": [\"FGSM\", \"PGD\"],"
                        + " \"modes\": [\"untargeted\"]}")
                .post("/api/jobs").then().statusCode(201)
                .body("state", equalTo("queued"))
                .body("settings.modes", equalTo(List.of("untargeted")))
                .extract().path("id");
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());

        JsonPath done = given().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertEquals(200, done.getInt("results.testImages"));
        // One attempt per task (train, evaluate, each attack, assemble), every one by this instance and successful.
        assertEquals(done.getList("tasks").size(), done.getList("attemptHistory").size());
        assertEquals(List.of(instance.id()), done.getList("attemptHistory.instance").stream().distinct()
                .toList());
        assertEquals(List.of("succeeded"), done.getList("attemptHistory.outcome").stream().distinct().toList());
        double accuracy = done.getDouble("results.meanCleanAccuracy");
        // 51 epochs on DC's 100 images: far above chance (10 %).
        assertTrue(accuracy > 20 && accuracy < 70, "clean accuracy " + accuracy);

        String mode = "untargeted";
        Map<String, Object> measured = measuredRow(mode);
        assertEquals("DC", measured.get("method"));
        assertEquals("measured by Bristle", measured.get("venue"));
        // One student, 50 epochs, 200 JPEG-decoded images: not BEARD's official run, so preliminary and unranked.
        assertEquals("preliminary", measured.get("status"));
        assertEquals(null, measured.get("rank"));
        assertEquals(accuracy, ((Number) measured.get("cleanAccuracy")).doubleValue(), 1e-4);
        for (String metric : List.of("crei", "rrm", "aem")) {
            assertTrue(measured.get(metric) instanceof Number n && Double.isFinite(n.doubleValue()),
                    mode + " " + metric + " is a number: " + measured);
        }
        double crei = number(measured, "crei");
        assertEquals((number(measured, "rrm") + number(measured, "aem")) / 2, crei, 1e-6, "CREI = (RRM + AEM) / 2");
        String page = given().get("/boards/cifar-10/10?mode=" + mode).then().statusCode(200)
                .contentType("text/html").extract().asString();
        List<String> rows = tableRows(page);
        String row = rows.stream().filter(r -> r.contains("badge measured")).findFirst().orElseThrow(() ->
                new AssertionError("no measured row on the " + mode + " page"));
        assertTrue(row.contains(">DC</a>") && row.contains("measured by Bristle"), row);
        for (String metric : List.of("crei", "rrm", "aem")) {
            assertTrue(row.contains(String.format(Locale.ROOT, ">%.2f<", number(measured, metric))),
                    mode + " page shows the " + metric + ": " + row);
        }
        long entries = rows.stream().filter(r -> r.contains("class=\"badge ")).count();
        assertTrue(rows.stream().filter(r -> r.contains("badge published")).count() >= 2,
                "the published entries are on the " + mode + " page too");
        given().get("/jobs/" + job).then().statusCode(200)
                .body(containsString("untargeted: published on CIFAR-10 IPC 10"));
        System.out.printf(Locale.ROOT, "acceptance: DC CIFAR-10 IPC 10, 50 epochs, 1 student, 200 test images, FGSM"
                        + " and PGD untargeted: clean accuracy %.2f %%, RRM %.2f, AEM %.2f, CREI %.2f (rank %s of %d"
                        + " entries); %.1f s from upload to leaderboard%n", accuracy, number(measured, "rrm"),
                number(measured, "aem"), crei, measured.get("rank"), entries, (System.nanoTime() - began) / 1e9);
    }

    /** The measured row of the CIFAR-10 IPC-10 board in {@code mode}, beside at least two published ones. */
    private static Map<String, Object> measuredRow(String mode) {
        // Doubles, as the API writes them: JsonPath's default reads them as floats, 1e-6 off at CREI ~36.
        JsonPath board = given().get("/api/boards/cifar-10/10?mode=" + mode).then().statusCode(200)
                .extract().jsonPath(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        List<Map<String, Object>> measured = board.getList("rows.findAll { it.source == 'measured' }");
        List<String> statuses = board.getList("rows.status");
        assertEquals("preliminary", statuses.get(statuses.size() - 1), "the preliminary row comes last: " + statuses);
        assertEquals(1, measured.size(), mode + ": " + measured);
        assertTrue(board.getList("rows.findAll { it.source == 'published' }").size() >= 2,
                mode + ": the published entries stay on the board");
        return measured.get(0);
    }

    private static double number(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).doubleValue();
    }

    private static List<String> tableRows(String page) {
        Matcher rows = Pattern.compile("<tr(?: [^>]*)?>(.*?)</tr>", Pattern.DOTALL).matcher(page);
        List<String> found = new java.util.ArrayList<>();
        while (rows.find()) found.add(rows.group(1));
        return found;
    }
}
