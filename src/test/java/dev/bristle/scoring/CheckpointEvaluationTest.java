package dev.bristle.scoring;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10's third acceptance: BEARD's BACON student (CIFAR-10, IPC 50) evaluated through the API as a checkpoint,
 * without training, on a small test subset in BEARD's protocol; BACON's entry page then shows the re-measured clean
 * accuracy and RRM beside the published ones, with the difference and the test set used.
 */
@QuarkusTest
@Tag("database")
class CheckpointEvaluationTest {

    @Inject
    JobService jobs;

    @Inject
    ManualEngine engine;

    @Inject
    ModelPoolService models;

    @BeforeEach
    void emptyQueue() {
        ScoringTestState.cancelQueuedJobs(jobs);
    }

    @AfterEach
    void removeMeasuredEntries() {
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void baconsCheckpointIsReMeasuredBesideItsPublishedNumbers() {
        long bacon = models.list().stream().filter(m -> m.method().equals("BACON") && m.origin().equals("published"))
                .map(ModelView::id).findFirst().orElseThrow();
        int job = asMaintainer().contentType("application/json").body("{\"modelId\": " + bacon + ", \"testLimit\": 100,"
                        + " \"protocol\": \"beard\", \"attacks\": [\"FGSM\", \"PGD\"], \"modes\": [\"untargeted\"]}")
                .post("/api/jobs").then().statusCode(201).extract().path("id");
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        JsonPath done = given().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertEquals(0, done.getInt("settings.epochs"), "nothing was trained");
        assertTrue(done.getList("results.published").isEmpty(), "a checkpoint evaluation goes on no board");

        JsonPath entry = given().get("/api/entries/cifar-10/BACON").then().statusCode(200)
                .extract().jsonPath(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
        Map<String, Object> row = entry.getMap("remeasured.find { it.jobId == " + job + ".0 }");
        assertNotNull(row, "BACON's entry lists the re-measurement: " + entry.getList("remeasured"));
        assertEquals("50", row.get("ipc"));
        assertEquals("untargeted", row.get("mode"));
        double clean = (Double) row.get("clean");
        double cleanPublished = (Double) row.get("cleanPublished");
        double rrm = (Double) row.get("rrm");
        double rrmPublished = (Double) row.get("rrmPublished");
        assertEquals(clean - cleanPublished, (Double) row.get("cleanDifference"), 1e-9);
        assertEquals(rrm - rrmPublished, (Double) row.get("rrmDifference"), 1e-9);
        // The student's own log says 69.95 % on the whole test set; 100 JPEG-decoded images land near it.
        assertTrue(Math.abs(clean - cleanPublished) < 15, clean + " vs " + cleanPublished);
        assertTrue(row.get("testSet").toString().contains("first 100"), row.toString());
        given().get("/entries/cifar-10/BACON").then().statusCode(200)
                .body(containsString("Published checkpoints re-measured"))
                .body(containsString("id=\"job-" + job + "\""))
                .body(containsString(String.format(Locale.ROOT, "%.2f", clean)))
                .body(containsString(String.format(Locale.ROOT, "%.2f", cleanPublished)))
                .body(containsString(String.format(Locale.ROOT, "%.2f", rrmPublished)));
        System.out.printf(Locale.ROOT, "checkpoint evaluation: BACON CIFAR-10 IPC 50, 100 test images, FGSM and PGD"
                        + " untargeted (beard): clean %.2f %% (published %.2f), RRM %.2f (published %.2f)%n", clean,
                cleanPublished, rrm, rrmPublished);
    }
}
