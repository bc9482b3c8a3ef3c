package dev.bristle.scoring;

import dev.bristle.distilling.DistillationJobService;
import dev.bristle.distilling.DistillationJob;
import dev.bristle.jobs.ManualEngine;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.distill.Distillation;
import dev.bristle.ml.distill.DistillationMethod;
import dev.bristle.ml.distill.DistillationProgress;
import dev.bristle.ml.distill.DistillationSettings;
import dev.bristle.ml.distill.SourceImages;
import dev.bristle.ml.distill.TrainingSources;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14: Bristle's own data set end to end. The random subset of Fashion-MNIST (IPC 1, from Debian's official
 * files) is distilled by a distillation job of the API (interrupted by a restart and re-run), a tiny DM set by the ml
 * core and uploaded; both are scored through the API (one student, 1
 * epoch, the first 50 test images, FGSM and PGD untargeted in the sound protocol); the DM entry is on the
 * Fashion-MNIST board beside the random baseline, with its clean and robust gain over it, in the JSON, the CSV and
 * the page; an adversarially trained run goes on a board of its own.
 */
@QuarkusTest
@TestProfile(FashionMnistBoardTest.DebianDatasets.class)
@Tag("database")
class FashionMnistBoardTest {

    /** Jobs read Fashion-MNIST's test split from Debian's data directory. */
    public static class DebianDatasets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bristle.data-dir", SharedData.datasets().toString());
        }
    }

    private static final String SETTINGS = "\"epochs\": 1, \"students\": 1, \"testLimit\": 50, \"protocol\":"
            + " \"sound\", \"attacks\": [\"FGSM\", \"PGD\"], \"modes\": [\"untargeted\"]";

    @Inject
    JobService jobs;

    @Inject
    DistillationJobService distillations;

    @Inject
    ManualEngine engine;

    @BeforeEach
    void emptyQueue() {
        ScoringTestState.cancelQueuedJobs(jobs);
    }

    @AfterEach
    void removeTrainedStudents() {
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void aDistilledSetIsRankedBesideTheRandomBaselineWithItsGain(@TempDir Path tmp) throws Exception {
        // The random baseline through a distillation job of the API, which a restart interrupts and re-queues.
        int distillation = asMaintainer().contentType("application/json").body("{\"method\": \"random\","
                + " \"dataset\": \"Fashion-MNIST\", \"ipc\": 1, \"seed\": 0}").post("/api/distillations").then()
                .log().ifValidationFails().statusCode(201).extract().path("id");
        // An instance started it and died: the engine revives its execution once its heartbeat is old.
        distillations.start(distillation, "crashed-instance").orElseThrow();
        engine.crash(DistillationJob.WORK, distillation, "crashed-instance");
        assertFalse(engine.runDue(DistillationJob.WORK).contains((long) distillation), "picked: not run twice");
        engine.detectDeadExecutions();
        assertTrue(engine.runDue(DistillationJob.WORK).contains((long) distillation));
        JsonPath distilled = given().get("/api/distillations/" + distillation).then().statusCode(200).extract()
                .jsonPath();
        assertEquals("succeeded", distilled.getString("state"), distilled.getString("errorMessage"));
        assertEquals(2, distilled.getInt("attempts"));
        int randomSet = distilled.getInt("resultDatasetId");
        JsonPath pooled = given().get("/api/datasets/" + randomSet).then().statusCode(200).extract().jsonPath();
        assertEquals("Random", pooled.getString("method"));
        assertTrue(pooled.getString("provenance").contains("\"method\":\"random\""), pooled.getString("provenance"));
        given().contentType("application/json").body("{\"method\": \"dm\", \"dataset\": \"Fashion-MNIST\","
                + " \"ipc\": 1}").post("/api/distillations").then().statusCode(401);

        // DM, distilled by the ml core as ./bristle distill does, uploaded as any set is.
        SourceImages source = TrainingSources.load(DatasetKind.FASHION_MNIST,
                DataDirectory.offline(SharedData.datasets()));
        Path dm = tmp.resolve("dm.npz");
        Distillation.run(source, DistillationSettings.defaults(DistillationMethod.DM, 1, 0).withIterations(2)
                .withRealPerClass(4), DistillationProgress.NONE).writeNpz(dm);

        // BEARD never measured Fashion-MNIST: a beard-protocol job would be measured and then published nowhere.
        String refused = asMaintainer().contentType("application/json").body("{\"datasetId\": " + randomSet + ", "
                + SETTINGS.replace("\"sound\"", "\"beard\"") + "}").post("/api/jobs").then().statusCode(400)
                .extract().asString();
        assertTrue(refused.contains("sound protocol only"), refused);

        int randomJob = score(randomSet, "");
        int dmJob = score(upload("DM", dm), "");

        JsonPath board = given().get("/api/boards/fashion-mnist/1").then().statusCode(200).extract().jsonPath();
        assertEquals("sound", board.getString("protocol"), "Fashion-MNIST's boards are in the sound protocol");
        assertEquals("standard", board.getString("recipe"));
        assertEquals("Random", board.getString("baseline.method"));
        Map<String, Object> baseline = row(board, randomJob);
        Map<String, Object> dmRow = row(board, dmJob);
        assertEquals(true, baseline.get("baseline"));
        assertNull(baseline.get("cleanGain"));
        assertEquals(false, dmRow.get("baseline"));
        double clean = ((Number) dmRow.get("cleanAccuracy")).doubleValue();
        double robust = ((Number) dmRow.get("robustAccuracy")).doubleValue();
        assertTrue(robust <= clean, "robust " + robust + " vs clean " + clean);
        assertEquals(clean - board.getDouble("baseline.cleanAccuracy"),
                ((Number) dmRow.get("cleanGain")).doubleValue(), 1e-9);
        assertEquals(robust - board.getDouble("baseline.robustAccuracy"),
                ((Number) dmRow.get("robustGain")).doubleValue(), 1e-9);

        String csv = given().get("/api/boards/fashion-mnist/1?format=csv").then().statusCode(200).extract()
                .asString();
        assertTrue(csv.startsWith("rank,status,method,crei,rrm,aem,clean_accuracy,robust_accuracy,baseline,"
                + "clean_gain,robust_gain,"), csv);
        assertTrue(csv.contains(",Random,") && csv.contains(",true,") && csv.contains(",DM,"), csv);
        String page = given().get("/boards/fashion-mnist/1").then().statusCode(200).extract().asString();
        assertTrue(page.contains("data-baseline=\"true\"") && page.contains("Gain over random"), page);
        given().get("/api/boards/fashion-mnist/1?protocol=beard").then().statusCode(404);
        given().get("/api/boards/fashion-mnist/1?recipe=robust").then().statusCode(400);

        // Adversarial training: the same set's run goes on the pgd-at board, never on the standard one.
        int adversarial = score(upload("DM", dm), ", \"recipe\": \"pgd-at\"");
        JsonPath robustBoard = given().get("/api/boards/fashion-mnist/1?recipe=pgd-at").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("pgd-at", robustBoard.getString("recipe"));
        assertTrue(robustBoard.getList("rows.sourceUrl").contains("/jobs/" + adversarial));
        assertFalse(given().get("/api/boards/fashion-mnist/1").then().extract().jsonPath().getList("rows.sourceUrl")
                .contains("/jobs/" + adversarial));
        assertTrue(given().get("/api/jobs/" + adversarial).then().extract().asString().contains("pgd-at"));
    }

    /** The set's id in the dataset pool (the same file again is answered with the existing entry). */
    private static int upload(String method, Path file) {
        return asMaintainer().multiPart("method", method).multiPart("dataset", "Fashion-MNIST")
                .multiPart("ipc", "1").multiPart("normalization", "mean-std").multiPart("file", file.toFile())
                .post("/api/datasets").then().statusCode(either(is(201)).or(is(200))).extract().path("dataset.id");
    }

    private int score(int set, String extra) {
        int job = asMaintainer().contentType("application/json").body("{\"datasetId\": " + set + ", " + SETTINGS
                + extra + "}").post("/api/jobs").then().statusCode(201).extract().path("id");
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        JsonPath done = given().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        return job;
    }

    private static Map<String, Object> row(JsonPath board, int job) {
        List<Map<String, Object>> rows = board.getList("rows");
        return rows.stream().filter(r -> ("/jobs/" + job).equals(r.get("sourceUrl"))).findFirst()
                .orElseThrow(() -> new AssertionError("job " + job + " is not on the board: " + rows));
    }
}
