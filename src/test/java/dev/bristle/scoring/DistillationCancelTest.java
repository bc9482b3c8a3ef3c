package dev.bristle.scoring;

import dev.bristle.jobs.WorkerInstance;
import dev.bristle.distilling.DistillationJob;
import dev.bristle.distilling.DistillationJobService;
import dev.bristle.jobs.ManualEngine;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A distillation is cancelled at once, queued or running: a running one's worker finds it no longer running at its
 * next progress report and stops, and its end does not undo the cancel. Who may cancel is AccessControlTest's.
 */
@QuarkusTest
@Tag("database")
class DistillationCancelTest {

    @Inject
    DistillationJobService distillations;

    @Inject
    WorkerInstance instance;

    @Inject
    ManualEngine engine;

    @AfterEach
    void noDistillationLeftQueued() {
        ScoringTestState.cancelQueuedDistillations();
    }

    @Test
    void aQueuedDistillationIsCancelledFromItsPage() {
        long id = queue();
        assertTrue(engine.scheduled(DistillationJob.WORK, id), "queued in the engine with its row");
        given().get("/distillations/" + id).then().statusCode(200)
                .body(containsString("action=\"/distillations/" + id + "/cancel\""));
        asMaintainer().redirects().follow(false).post("/distillations/" + id + "/cancel").then().statusCode(303)
                .header("Location", endsWith("/distillations/" + id));
        asMaintainer().get("/api/distillations/" + id).then().body("state", equalTo("cancelled"));
        assertFalse(engine.scheduled(DistillationJob.WORK, id), "its queued execution is cancelled in the engine");
        given().get("/distillations/" + id).then().statusCode(200)
                .body(not(containsString("action=\"/distillations/" + id + "/cancel\"")));
        asMaintainer().post("/api/distillations/999999/cancel").then().statusCode(404);
    }

    @Test
    void aRunningDistillationStopsAndStaysCancelled() {
        ScoringTestState.cancelQueuedDistillations();
        long id = queue();
        int attempt = distillations.start(id, instance.id()).orElseThrow();
        asMaintainer().post("/api/distillations/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        assertFalse(distillations.progress(id, attempt, 1, 10, "step 1"), "the worker is told to stop");
        assertFalse(distillations.failed(id, "stopped", false), "a late failure neither ends nor re-queues it");
        assertTrue(distillations.start(id, instance.id()).isEmpty(), "another run of its execution does nothing");
        distillations.succeed(id, 1);
        asMaintainer().get("/api/distillations/" + id).then().body("state", equalTo("cancelled"))
                .body("resultDatasetId", equalTo(null)).body("errorMessage", equalTo(null));
    }

    private static long queue() {
        return asMaintainer().contentType("application/json").body("{\"method\": \"random\", \"dataset\":"
                + " \"Fashion-MNIST\", \"ipc\": 1}").post("/api/distillations").then().statusCode(201).extract()
                .<Integer>path("id");
    }
}
