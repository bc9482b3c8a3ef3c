package dev.bristle.submissions;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.accounts.TestAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 24's acceptance through the API: a bundle made by {@code ./bristle score --bundle} (in this JVM) on
 * Fashion-MNIST with the official settings scaled down by {@code bristle.official.*} (the same scale the server
 * applies) verifies check by check on the workers and becomes a ranked entry marked verified on its protocol's
 * board once a maintainer approves it, its entry page listing what was recomputed; the same bundle with one file's
 * bytes changed is refused by the integrity check, which the submission's page names with its figures.
 */
@QuarkusTest
@TestProfile(ScaledOfficialFashionMnist.class)
@Tag("database")
class SubmissionAcceptanceTest {

    private static final String METHOD = "SubmittedRandom";
    private static final String PASSWORD = "correct horse battery";
    private static String token;

    @TempDir
    static Path dir;

    @Inject
    ManualEngine engine;

    @BeforeEach
    void submitter() {
        if (token != null) return;
        int id = asMaintainer().contentType("application/json").body("{\"username\": \"gpu-owner\", \"password\": \""
                + PASSWORD + "\", \"role\": \"submitter\"}").post("/api/users").then().statusCode(201).extract()
                .path("id");
        token = asMaintainer().contentType("application/json").body("{\"name\": \"tests\"}")
                .post("/api/users/" + id + "/tokens").then().statusCode(201).extract().path("token");
    }

    @AfterEach
    void removeTheEntries() {
        QuarkusTransaction.requiringNew().run(() -> dev.bristle.leaderboard.LeaderboardEntry.delete("method",
                METHOD));
    }

    @Test
    void anHonestBundleBecomesARankedVerifiedEntryAndATamperedOneIsRefusedByIntegrity() throws IOException {
        Path bundle = HonestBundles.make(dir, METHOD, 24);

        long id = submit(bundle);
        verifyAll();
        JsonPath verified = TestAccounts.as(token).get("/api/submissions/" + id).then().statusCode(200)
                .body("state", equalTo("verified")).body("review", equalTo("pending"))
                .body("checks.check", equalTo(List.of("integrity", "clean-predictions", "sampled-attacks",
                        "training", "arithmetic")))
                .body("checks.passed", everyItem(equalTo(true)))
                .body("checks[1].outcome.images", equalTo(ScaledOfficialFashionMnist.TEST_IMAGES))
                .extract().jsonPath();
        assertTrue(verified.getList("entries").size() == 1, verified.prettify());
        // Like any submitter's entry, it waits for review: not on the board yet, and the submission is not public.
        given().get("/api/submissions/" + id).then().statusCode(404);
        int entry = asMaintainer().get("/api/review").then().statusCode(200).extract().jsonPath()
                .getInt("find { it.method == '" + METHOD + "' }.id");
        asMaintainer().contentType("application/json").body("{\"decision\": \"approve\"}")
                .post("/api/review/" + entry).then().statusCode(200);
        given().get("/api/submissions/" + id).then().statusCode(200).body("review", equalTo("approved"));

        JsonPath board = given().get("/api/boards/fashion-mnist/10?protocol=sound&mode=untargeted").then()
                .statusCode(200).extract().jsonPath();
        Map<String, Object> row = board.getMap("rows.find { it.method == '" + METHOD + "' }");
        assertEquals("ranked", row.get("status"), board.prettify());
        assertEquals(true, row.get("verified"));
        assertEquals("/submissions/" + id, row.get("sourceUrl"));
        given().get("/boards/fashion-mnist/10?protocol=sound&mode=untargeted").then().statusCode(200)
                .body(containsString("badge verified"));
        given().get("/api/entries/fashion-mnist/" + METHOD).then().statusCode(200)
                .body("boards.find { it.protocol == 'sound' }.verified", equalTo(true))
                .body("boards.find { it.protocol == 'sound' }.verification", hasItem(containsString(
                        "Clean predictions: ")))
                .body("boards.find { it.protocol == 'sound' }.verification.size()", equalTo(5));
        given().get("/entries/fashion-mnist/" + METHOD).then().statusCode(200)
                .body(containsString("Verified: untargeted"));

        // One file's bytes changed: the manifest's SHA-256 no longer matches, integrity refuses it.
        Path tampered = rewrite(bundle, dir.resolve("tampered.zip"), "students/student-0.pt");
        long refused = submit(tampered);
        verifyAll();
        TestAccounts.as(token).get("/api/submissions/" + refused).then().statusCode(200)
                .body("state", equalTo("failed")).body("checks[0].passed", equalTo(false))
                .body("checks[0].outcome.summary", containsString("student-0.pt"))
                .body("entries.size()", equalTo(0));
        TestAccounts.as(token).get("/submissions/" + refused).then().statusCode(200)
                .body(containsString("The integrity check failed"));
    }

    private static long submit(Path bundle) {
        return TestAccounts.as(token).multiPart("file", bundle.toFile()).post("/api/submissions").then()
                .statusCode(201).extract().<Integer>path("id");
    }

    private void verifyAll() {
        // Until no check is ready.
        assertFalse(engine.runDue(VerificationCheckRow.WORK).isEmpty());
    }

    /** A copy of {@code zip} with the first byte of {@code changed} flipped. */
    private static Path rewrite(Path zip, Path out, String changed) throws IOException {
        try (ZipFile in = new ZipFile(zip.toFile()); ZipOutputStream copy = new ZipOutputStream(
                Files.newOutputStream(out))) {
            for (ZipEntry entry : Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (entry.getName().equals(changed)) bytes[bytes.length / 2] ^= 1;
                copy.putNextEntry(new ZipEntry(entry.getName()));
                copy.write(bytes);
                copy.closeEntry();
            }
        }
        return out;
    }
}
