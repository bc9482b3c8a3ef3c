package dev.bristle.scoring;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.ml.SharedData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 10's second acceptance: a run with the official settings is ranked, and a run with other settings on the
 * same board is listed below it, unranked. The official settings are scaled down by test-only configuration (one
 * student, 10 epochs, the first 100 test images, FGSM and PGD untargeted) and the test data is the exact official
 * CIFAR-10 test file's first 932 images, so the official run takes seconds through the same code path.
 */
@QuarkusTest
@TestProfile(OfficialRunTest.ScaledOfficialSettings.class)
@Tag("database")
class OfficialRunTest {

    /** The official settings scaled down, and a data folder whose CIFAR-10 test file is exact official images. */
    public static class ScaledOfficialSettings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bristle.data-dir", exactDataDir().toString(),
                    "bristle.official.students", "1",
                    "bristle.official.epochs", "10",
                    "bristle.official.test-images", "100",
                    "bristle.official.attacks", "FGSM,PGD",
                    "bristle.official.modes", "untargeted");
        }

        /** The shared data, with the exact first 932 official test images where the official test file goes. */
        private static Path exactDataDir() {
            Path shared = SharedData.folder().toAbsolutePath().normalize();
            Path dir = Path.of("target", "official-test-data").toAbsolutePath();
            try {
                Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
                link(dir.resolve("cifar-10-batches-bin/test_batch.bin"),
                        shared.resolve("data/cifar-10-partial-official/test_first932.bin"));
                link(dir.resolve("distilled"), shared.resolve("data/distilled"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return dir;
        }

        private static void link(Path link, Path target) throws IOException {
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, target);
        }
    }

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
    void anOfficialRunIsRankedAndAnotherRunListedBelowIt() {
        long set = ScoringTestState.dcSet(pool, 1);
        int official = run("{\"datasetId\": " + set + ", \"epochs\": 10, \"students\": 1, \"testLimit\": 100,"
                + " \"protocol\": \"sound\", \"attacks\": [\"FGSM\", \"PGD\"], \"modes\": [\"untargeted\"]}");
        JsonPath done = given().get("/api/jobs/" + official).then().statusCode(200).extract().jsonPath();
        assertEquals("ranked", done.getString("results.ranking.status"), done.getString("results.ranking"));
        assertNull(done.getString("results.provenance.testSetCopy"), "the official files");

        int shorter = run("{\"datasetId\": " + set + ", \"epochs\": 5, \"students\": 1, \"testLimit\": 100,"
                + " \"protocol\": \"sound\", \"attacks\": [\"FGSM\", \"PGD\"], \"modes\": [\"untargeted\"]}");

        // The jobs' rows; Bristle's recorded entries of this board (preliminary) rank below any ranked row.
        List<Map<String, Object>> all = given().get("/api/boards/cifar-10/1?protocol=sound").then().statusCode(200)
                .extract().jsonPath().getList("rows");
        List<Map<String, Object>> rows = all.stream()
                .filter(r -> String.valueOf(r.get("sourceUrl")).startsWith("/jobs/")).toList();
        assertEquals(2, rows.size(), all.toString());
        assertEquals(rows.get(0), all.get(0), "the official run heads the board");
        assertEquals("/jobs/" + official, rows.get(0).get("sourceUrl"));
        assertEquals("ranked", rows.get(0).get("status"));
        assertEquals(1, rows.get(0).get("rank"));
        assertEquals("/jobs/" + shorter, rows.get(1).get("sourceUrl"));
        assertEquals("preliminary", rows.get(1).get("status"));
        assertNull(rows.get(1).get("rank"));
        assertEquals(List.of("5 of 10 epochs"), rows.get(1).get("differences"));
        assertTrue(given().get("/api/boards/cifar-10/1").then().statusCode(200).extract().jsonPath()
                .getList("rows.findAll { it.source == 'measured' }").isEmpty(), "nothing on the beard board");
    }

    private int run(String request) {
        int job = asMaintainer().contentType("application/json").body(request).post("/api/jobs").then().statusCode(201)
                .extract().path("id");
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        assertEquals("succeeded", given().get("/api/jobs/" + job).then().extract().path("state"));
        return job;
    }
}
