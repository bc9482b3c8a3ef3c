package dev.bristle.scoring;

import dev.bristle.distilling.DistillationJobService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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

    @AfterEach
    void noDistillationLeftQueued() {
        ScoringTestState.cancelQueuedDistillations();
    }

    @Test
    void aQueuedDistillationIsCancelledFromItsPage() {
        long id = queue();
        given().get("/distillations/" + id).then().statusCode(200)
                .body(containsString("action=\"/distillations/" + id + "/cancel\""));
        asMaintainer().redirects().follow(false).post("/distillations/" + id + "/cancel").then().statusCode(303)
                .header("Location", endsWith("/distillations/" + id));
        asMaintainer().get("/api/distillations/" + id).then().body("state", equalTo("cancelled"));
        given().get("/distillations/" + id).then().statusCode(200)
                .body(not(containsString("action=\"/distillations/" + id + "/cancel\"")));
        asMaintainer().post("/api/distillations/999999/cancel").then().statusCode(404);
    }

    @Test
    void aRunningDistillationStopsAndStaysCancelled() {
        ScoringTestState.cancelQueuedDistillations();
        long id = queue();
        assertEquals(Optional.of(id), distillations.claimNext(instance.id()));
        asMaintainer().post("/api/distillations/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"));
        assertFalse(distillations.progress(id, instance.id(), 1, 10, "step 1"), "the worker is told to stop");
        assertFalse(distillations.failed(id, "stopped", true), "a late failure neither ends nor re-queues it");
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
