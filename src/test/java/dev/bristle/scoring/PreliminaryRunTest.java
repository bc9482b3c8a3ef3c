package dev.bristle.scoring;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.datasetpool.DatasetPoolService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10's first acceptance: the run that once topped a board (DC's CIFAR-10 IPC-1 set, 20 epochs, one student,
 * the first 200 JPEG-decoded test images, sound protocol, cheap attacks), reproduced through the API, is preliminary
 * on the sound-protocol CIFAR-10 IPC-1 board, unranked, with what differs from the official settings; the
 * beard-protocol board is unchanged; its entry page shows what was measured and no BEARD-only notes.
 */
@QuarkusTest
@Tag("database")
class PreliminaryRunTest {

    @Inject
    JobService jobs;

    @Inject
    ManualEngine engine;

    @Inject
    DatasetPoolService pool;

    @BeforeEach
    void emptyQueue() {
        ScoringTestState.cancelQueuedJobs(jobs);
    }

    @AfterEach
    void removeTrainedStudents() {
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void aShortRunIsPreliminaryOnTheSoundBoardAndLeavesTheBeardBoardAlone() throws java.io.IOException {
        long set = ScoringTestState.dcSet(pool, 1);
        List<Map<String, Object>> beardBefore = given().get("/api/boards/cifar-10/1").then().statusCode(200)
                .extract().jsonPath().getList("rows");

        int job = asMaintainer().contentType("application/json").body("{\"datasetId\": " + set + ", \"epochs\": 20,"
                        + " \"students\": 1, \"testLimit\": 200, \"protocol\": \"sound\", \"attacks\": [\"FGSM\","
                        + " \"PGD\"], \"modes\": [\"untargeted\"]}")
                .post("/api/jobs").then().statusCode(201).extract().path("id");
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        JsonPath done = given().get("/api/jobs/" + job).then().statusCode(200).extract().jsonPath();
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertEquals("preliminary", done.getString("results.ranking.status"));

        JsonPath sound = given().get("/api/boards/cifar-10/1?protocol=sound").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("sound", sound.getString("protocol"));
        List<Map<String, Object>> rows = sound.getList("rows");
        int at = -1;
        for (int i = 0; i < rows.size(); i++) if (Integer.valueOf(job).equals(jobOf(rows.get(i)))) at = i;
        assertTrue(at >= 0, "the entry is on the sound board: " + rows);
        Map<String, Object> row = rows.get(at);
        assertEquals("preliminary", row.get("status"));
        assertNull(row.get("rank"), "a preliminary row is unranked");
        assertEquals(List.of("1 of 5 students", "20 of 1,000 epochs", "200 of 10,000 images", "JPEG-decoded test set",
                "2 of 9 attacks (without PGD_L2, CW, DeepFool, AutoAttack, Square, SPSA, Noise)", "untargeted only"),
                row.get("differences"));
        for (int i = at + 1; i < rows.size(); i++) {
            assertEquals("preliminary", rows.get(i).get("status"), "only preliminary rows follow it");
        }
        // Bristle's recorded entries of this board are preliminary too: ranked rows come first, then all of them.
        int firstPreliminary = rows.indexOf(rows.stream().filter(r -> "preliminary".equals(r.get("status")))
                .findFirst().orElseThrow());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i < firstPreliminary ? "ranked" : "preliminary", rows.get(i).get("status"), rows.toString());
        }
        assertEquals(beardBefore, given().get("/api/boards/cifar-10/1").then().statusCode(200)
                .extract().jsonPath().getList("rows"), "the beard-protocol board is unchanged");

        String board = given().get("/boards/cifar-10/1?protocol=sound").then().statusCode(200).extract().asString();
        assertTrue(board.contains("class=\"preliminary-divider\"") && board.contains("200 of 10,000 images"), board);
        String entry = given().get("/entries/cifar-10/DC").then().statusCode(200).extract().asString();
        int from = entry.indexOf("id=\"job-" + job + "\"");
        assertTrue(from > 0, "the entry page shows the job's evidence");
        String evidence = entry.substring(from, entry.indexOf("</article>", from));
        assertTrue(evidence.contains("data-attack=\"PGD\"") && evidence.contains("/api/jobs/" + job + "/record")
                && evidence.contains("1 of 5 students"), evidence);
        assertTrue(evidence.contains("data-attack=\"worst-case\"") && evidence.contains("class=\"per-class\"")
                && evidence.contains("Sanity checks") && evidence.contains("model passes"), evidence);
        assertFalse(evidence.contains("BEARD published") || evidence.contains("defect"), evidence);
        // DC's published (beard-protocol) rows have no logs: said once, about them, not about the sound run.
        assertEquals(1, entry.split("BEARD published no evaluation logs", -1).length - 1);
        JsonPath record = given().get("/api/jobs/" + job + "/record").then().statusCode(200)
                .header("Content-Disposition", containsString("attachment")).extract().jsonPath();
        assertEquals("bristle-evaluation-record", record.getString("schema"));
        assertEquals(1, record.getInt("settings.protocolVersion"));
        assertTrue(record.getDouble("students[0].attacks[1].accuracy") >= 0);
        assertEquals("PGD", record.getString("students[0].attacks[1].attack"));
        assertEquals("JPEG-decoded test set", record.getString("testSet.copy"));
        assertEquals(200, record.getInt("testSet.images"));
        assertEquals(10_000, record.getInt("testSet.splitSize"));
        assertEquals(200, record.getString("students[0].attacks[1].perImage.correct").length(),
                "per-image results in the record");
        assertEquals(200, record.getList("students[0].attacks[1].perImage.prediction").size());
        assertEquals(200, record.getList("students[0].attacks[1].perImage.passes").size());
        assertEquals(200, record.getList("students[0].cleanPredictions").size());
        assertTrue(record.getDouble("metrics.untargeted.robustAccuracy")
                <= record.getDouble("students[0].attacks[1].accuracy"));
        assertEquals(record.getList("settings.differences"), row.get("differences"));
        byte[] body = given().get("/api/jobs/" + job + "/record").then().extract().asByteArray();
        EvaluationRecord read = EvaluationRecords.read(new java.io.ByteArrayInputStream(body));
        assertFalse(EvaluationRecords.isCompact(read), "the job's record reads back with its per-image data");
    }

    private static Integer jobOf(Map<String, Object> row) {
        Object url = row.get("sourceUrl");
        return url == null ? null : Integer.valueOf(url.toString().substring("/jobs/".length()));
    }
}
