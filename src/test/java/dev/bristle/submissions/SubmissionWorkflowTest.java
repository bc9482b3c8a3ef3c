package dev.bristle.submissions;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.accounts.TestAccounts;
import dev.bristle.ml.verify.TestBundles;
import dev.bristle.scoring.JobState;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A submission's checks as work on the workers, with bundles made without training (their 40 synthetic test images
 * are not the official split, so the integrity check refuses them): a failed check ends the submission with the rest
 * not run and its figures shown; the set cannot be submitted again; the owner cancels; a check left running by a dead
 * instance is run again with the same secret seed, which no page shows before verification ends.
 */
@QuarkusTest
@TestProfile(ScaledOfficialFashionMnist.class)
@Tag("database")
class SubmissionWorkflowTest {

    private static final String PASSWORD = "correct horse battery";
    private static String token;

    @Inject
    ManualEngine engine;

    @Inject
    VerificationQueue queue;

    @BeforeEach
    void submitter() {
        if (token != null) return;
        int id = asMaintainer().contentType("application/json").body("{\"username\": \"workflow\", \"password\": \""
                + PASSWORD + "\", \"role\": \"submitter\"}").post("/api/users").then().statusCode(201).extract()
                .path("id");
        token = asMaintainer().contentType("application/json").body("{\"name\": \"tests\"}")
                .post("/api/users/" + id + "/tokens").then().statusCode(201).extract().path("token");
    }

    @Test
    void aFailedCheckEndsTheSubmissionWithItsFiguresAndNoEntry(@TempDir Path dir) throws IOException {
        Path bundle = TestBundles.synthetic(dir, 1000);
        JsonPath stored = TestAccounts.as(token).multiPart("file", bundle.toFile()).post("/api/submissions").then()
                .statusCode(201).body("state", equalTo("received")).body("checks.size()", equalTo(5))
                .body("checks.state", equalTo(List.of("queued", "queued", "queued", "queued", "queued")))
                .body("drawSeed", nullValue()).body("method", equalTo("DM")).body("dataset", equalTo("Fashion-MNIST"))
                .extract().jsonPath();
        long id = stored.getLong("id");
        assertFalse(engine.runDue(VerificationCheckRow.WORK).isEmpty(), "until no check is due");
        JsonPath ended = TestAccounts.as(token).get("/api/submissions/" + id).then().statusCode(200)
                .body("state", equalTo("failed"))
                .body("checks[0].check", equalTo("integrity")).body("checks[0].passed", equalTo(false))
                .body("checks[0].outcome.summary", containsString("test split"))
                .body("checks[0].outcome.check", equalTo("integrity"))
                .body("checks.state", equalTo(List.of("succeeded", "cancelled", "cancelled", "cancelled",
                        "cancelled")))
                .body("checks[1].error", containsString("not run: the integrity check failed"))
                .body("entries.size()", equalTo(0)).extract().jsonPath();
        assertNotNull(ended.get("drawSeed"), "revealed once verification ended");
        TestAccounts.as(token).get("/submissions/" + id).then().statusCode(200)
                .body(containsString("The integrity check failed"));
        // Another file of the same set is refused: a set whose verification failed is not verified again.
        TestAccounts.as(token).multiPart("file", withComment(bundle, dir.resolve("again.zip")).toFile())
                .post("/api/submissions").then().statusCode(409)
                .body("problems[0]", containsString("failed verification in submission #" + id));
        TestAccounts.as(token).multiPart("file", bundle.toFile()).post("/api/submissions").then().statusCode(409)
                .body("problems[0]", containsString("submitted already"));
        // Others do not see it; the maintainers do.
        given().get("/api/submissions/" + id).then().statusCode(404);
        asMaintainer().get("/api/submissions/" + id).then().statusCode(200);
    }

    @Test
    void theOwnerCancelsAndNothingRunsAfterwards(@TempDir Path dir) throws IOException {
        long id = submit(TestBundles.synthetic(dir, 1001));
        TestAccounts.as(token).post("/api/submissions/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("cancelled"))
                .body("checks.state", equalTo(List.of("cancelled", "cancelled", "cancelled", "cancelled",
                        "cancelled")));
        assertTrue(engine.runDue(VerificationCheckRow.WORK).isEmpty(), "no check of a cancelled submission runs");
        asMaintainer().get("/api/audit").then().body("find { it.action == 'cancel-submission' }.actor",
                equalTo("workflow"));
    }

    @Test
    void aCheckLeftRunningByADeadInstanceRunsAgainWithTheSameSeed(@TempDir Path dir) throws Exception {
        long id = submit(TestBundles.synthetic(dir, 1002));
        long first = QuarkusTransaction.requiringNew().call(() -> VerificationCheckRow.ofSubmission(id).get(0).id);
        VerificationQueue.Claim claim = queue.start(first, "dead-instance").orElseThrow();
        assertEquals(id, claim.submissionId());
        engine.crash(VerificationCheckRow.WORK, first, "dead-instance");
        TestAccounts.as(token).get("/api/submissions/" + id).then().body("state", equalTo("verifying"))
                .body("checks[0].state", equalTo("running")).body("drawSeed", nullValue())
                .body(not(containsString(String.valueOf(claim.drawSeed()))));
        assertTrue(engine.runDue(VerificationCheckRow.WORK).isEmpty(), "picked by the dead instance: not run twice");
        engine.detectDeadExecutions();
        assertTrue(engine.runDue(VerificationCheckRow.WORK).contains(first), "revived by the engine and run here");
        TestAccounts.as(token).get("/api/submissions/" + id).then().body("state", equalTo("failed"))
                .body("checks[0].attempts", equalTo(2)).body("drawSeed", equalTo(claim.drawSeed()));
        assertEquals(JobState.SUCCEEDED, QuarkusTransaction.requiringNew().call(() ->
                VerificationCheckRow.<VerificationCheckRow>findById(claim.checkId()).state));
    }

    private static long submit(Path bundle) {
        return TestAccounts.as(token).multiPart("file", bundle.toFile()).post("/api/submissions").then()
                .statusCode(201).extract().<Integer>path("id");
    }

    private static org.hamcrest.Matcher<String> not(org.hamcrest.Matcher<String> matcher) {
        return org.hamcrest.Matchers.not(matcher);
    }

    /** The same entries in another zip file, with a comment: other bytes, the same set and record. */
    private static Path withComment(Path zip, Path out) throws IOException {
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream copy = new ZipOutputStream(
                Files.newOutputStream(out))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                copy.putNextEntry(new ZipEntry(entry.getName()));
                copy.write(in.getInputStream(entry).readAllBytes());
                copy.closeEntry();
            }
            copy.setComment("again");
        }
        return out;
    }
}
