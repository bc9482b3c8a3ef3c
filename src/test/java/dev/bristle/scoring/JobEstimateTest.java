package dev.bristle.scoring;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.jobs.WorkerInstance;
import dev.bristle.accounts.TestAccounts;
import dev.bristle.datasetpool.DatasetPoolService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job's cost before it is queued (POST /api/jobs/estimate and the "Score this set" form's fragment) on the real
 * database, H2 and PostgreSQL: the passes of the settings, the hours at the rates the live workers measured, the same
 * refusals as queueing, nothing queued; and the rates a worker records as it runs a real job.
 */
@QuarkusTest
@Tag("database")
class JobEstimateTest {

    @Inject
    JobService jobs;

    @Inject
    DatasetPoolService pool;

    @Inject
    ManualEngine engine;

    @Inject
    WorkerInstance instance;

    @BeforeEach
    void noWorkersYet() {
        ScoringTestState.cancelQueuedJobs(jobs);
        QuarkusTransaction.requiringNew().run(() -> {
            WorkerPassRate.deleteAll();
            WorkerSeen.deleteAll();
        });
    }

    @AfterEach
    void removeTrainedStudents() {
        ScoringTestState.removeWhatJobsMade();
    }

    private String body(long set, String settings) {
        return "{\"datasetId\": " + set + (settings.isEmpty() ? "" : ", " + settings) + "}";
    }

    private JsonPath estimate(String body) {
        return asMaintainer().contentType("application/json").body(body).post("/api/jobs/estimate").then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void anEstimateCountsTheSettingsPassesAndQueuesNothing() {
        long set = ScoringTestState.dcSet(pool, 1);
        int before = jobs.list().size();
        JsonPath estimate = estimate(body(set, "\"epochs\": 1, \"students\": 1, \"testLimit\": 50, \"attacks\":"
                + " [\"FGSM\"], \"modes\": [\"untargeted\"]"));
        assertEquals(before, jobs.list().size(), "an estimate queues nothing");
        // DC's IPC-1 set: 10 images, 2 epochs run, forward and backward.
        assertEquals(1 * 2 * 10 * 2, estimate.getLong("chosen.training"));
        // Clean accuracy, the attack session's clean pass, the gradient census: 4 passes of 50 images.
        assertEquals(50 * 4, estimate.getLong("chosen.evaluation"));
        // FGSM's three passes and its task's clean pass.
        assertEquals(50 * 4, estimate.getLong("chosen.attacks"));
        assertEquals(40 + 200 + 200, estimate.getLong("chosen.passes"));
        assertEquals(List.of("FGSM"), estimate.getList("chosen.runs.attack"));
        // The official run: five students, 1,001 epochs, every attack in both modes on all 10,000 test images.
        assertEquals(5L * 1001 * 10 * 2, estimate.getLong("official.training"));
        assertEquals(10_000, estimate.getInt("official.testImages"));
        assertTrue(estimate.getLong("official.attacksAtMost") > estimate.getLong("official.attacks"));
        assertEquals(0, estimate.getInt("fleet.workers"));
        assertNull(estimate.get("chosen.hours"), "no worker is live: no hours");
    }

    @Test
    void theHoursFollowTheLiveWorkersMeasuredRates() {
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            rate("fleet-a", PassKind.TRAINING, 3000, 2, now);
            rate("fleet-a", PassKind.ATTACKS, 1000, 2, now);
            rate("fleet-b", PassKind.ATTACKS, 3000, 2, now);
            rate("fleet-gone", PassKind.ATTACKS, 1, 1, now);
            seen("fleet-a", now);
            seen("fleet-b", now);
            seen("fleet-gone", now.minus(Duration.ofHours(2)));
        });
        JsonPath estimate = estimate(body(ScoringTestState.dcSet(pool, 10), "\"protocol\": \"sound\""));
        assertEquals(2, estimate.getInt("fleet.workers"), "the worker not seen for two hours is not live");
        // Attacks: each live worker's rate (500 and 1,500 per second); training: fleet-b measured none, so it counts
        // at the installation's mean (1,500, fleet-a's alone).
        assertEquals(1000.0, estimate.getDouble("fleet.attacksPerSecond"), 1e-9);
        assertEquals(1500.0, estimate.getDouble("fleet.trainingPerSecond"), 1e-9);
        for (String settings : List.of("chosen", "official")) {
            double training = estimate.getLong(settings + ".training") / 1500.0;
            double spread = (estimate.getLong(settings + ".evaluation") + estimate.getLong(settings + ".attacks"))
                    / (2 * 1000.0);
            double hours = (training + spread) / 3600;
            assertEquals(hours, estimate.getDouble(settings + ".hours"), hours * 1e-3, settings);
        }
        asMaintainer().contentType("application/x-www-form-urlencoded")
                .formParam("datasetId", ScoringTestState.dcSet(pool, 10)).formParam("preset", "official")
                .post("/jobs/estimate").then().statusCode(200)
                .body(containsString("Official settings: about "))
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*Official settings: about [0-9.,]+( [a-z]+)? passes in"
                        + " [0-9,]+ tasks, about .*"))
                .body(containsString(" with your 2 workers"));
    }

    private static void rate(String worker, PassKind kind, double passes, double seconds, Instant at) {
        WorkerPassRate rate = new WorkerPassRate();
        rate.instanceId = worker;
        rate.device = "cpu()";
        rate.kind = kind;
        rate.passes = passes;
        rate.seconds = seconds;
        rate.updatedAt = at;
        rate.persist();
    }

    private static void seen(String worker, Instant at) {
        WorkerSeen seen = new WorkerSeen();
        seen.instanceId = worker;
        seen.seenAt = at;
        seen.persist();
    }

    /** What queueing refuses, estimating refuses with the same status and problems; and only for submitters. */
    @Test
    void anEstimateRefusesWhatQueueingRefuses() {
        long set = ScoringTestState.dcSet(pool, 1);
        for (String bad : List.of(body(set, "\"attacks\": [\"Laser\"]"), body(set, "\"epochs\": 0"),
                body(set, "\"protocol\": \"beard\", \"budgetGrid\": true"), "{\"datasetId\": 987654}",
                "{\"epochs\": 1}", body(set, "\"modes\": [\"sideways\"]"))) {
            JsonPath queued = asMaintainer().contentType("application/json").body(bad).post("/api/jobs").then()
                    .statusCode(400).extract().jsonPath();
            asMaintainer().contentType("application/json").body(bad).post("/api/jobs/estimate").then()
                    .statusCode(400).body("problems", equalTo(queued.getList("problems")));
        }
        given().contentType("application/json").body(body(set, "")).post("/api/jobs/estimate").then()
                .statusCode(401);
        asMaintainer().contentType("application/x-www-form-urlencoded").formParam("datasetId", set)
                .formParam("preset", "custom").formParam("epochs", "0").post("/jobs/estimate").then().statusCode(200)
                .body(containsString("No estimate for these settings: epochs must be 1 to 10000"));
    }

    /** A worker records what it measured as it runs a real job, and counts itself live. */
    @Test
    void aWorkerRecordsThePassRatesItMeasured() {
        long id = jobs.enqueue(ScoringTestState.dcSet(pool, 1), new JobSettings(1, 1, 50, 3, List.of("FGSM"),
                List.of("untargeted"), "beard", false), TestAccounts.MAINTAINER).id();
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty(), "every task of the job");
        assertEquals("succeeded", jobs.find(id).orElseThrow().state());
        List<WorkerPassRate> rates = QuarkusTransaction.requiringNew().call(() -> WorkerPassRate.<WorkerPassRate>listAll());
        WorkerPassRate training = rates.stream().filter(r -> r.kind == PassKind.TRAINING).findFirst().orElseThrow();
        WorkerPassRate attacks = rates.stream().filter(r -> r.kind == PassKind.ATTACKS).findFirst().orElseThrow();
        assertEquals(instance.id(), attacks.instanceId);
        // Two epochs over ten images, forward and backward; FGSM's three passes of 50 images.
        assertEquals(40, training.passes, 1e-9);
        assertEquals(150, attacks.passes, 1e-9);
        assertTrue(training.seconds > 0 && attacks.seconds > 0);
        JsonPath estimate = estimate(body(ScoringTestState.dcSet(pool, 1), ""));
        assertEquals(1, estimate.getInt("fleet.workers"));
        double rate = 150 / attacks.seconds;
        assertEquals(rate, estimate.getDouble("fleet.attacksPerSecond"), rate * 1e-5, "JSON's float precision");
        assertTrue(estimate.getDouble("official.hours") > 0);
        given().get("/api/jobs/" + id).then().body("error", nullValue());
    }
}
