package dev.bristle.submissions;

import dev.bristle.accounts.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * A bundle is checked as hard as any upload before anything is stored: each problem is a clear 4xx, naming no
 * server path and quoting nothing of what was sent, and nothing is left behind.
 */
@QuarkusTest
@Tag("database")
class SubmissionRefusalTest {

    private static final String PASSWORD = "correct horse battery";
    private static String token;

    @BeforeEach
    void submitter() {
        if (token != null) return;
        int id = asMaintainer().contentType("application/json").body("{\"username\": \"refused-bundles\","
                + " \"password\": \"" + PASSWORD + "\", \"role\": \"submitter\"}").post("/api/users").then()
                .statusCode(201).extract().path("id");
        token = asMaintainer().contentType("application/json").body("{\"name\": \"tests\"}")
                .post("/api/users/" + id + "/tokens").then().statusCode(201).extract().path("token");
    }

    @Test
    void onlySignedInSubmittersSubmit() {
        given().multiPart("file", "b.zip", new byte[] {1}).post("/api/submissions").then().statusCode(401);
        given().redirects().follow(false).get("/submissions/new").then().statusCode(303);
    }

    @Test
    void aRequestWithoutABundleIsRefused() {
        TestAccounts.as(token).multiPart("other", "x").post("/api/submissions").then().statusCode(400)
                .body("problems", hasSize(1)).body("problems[0]", startsWith("Bundle: choose the bundle's file"));
    }

    @Test
    void anEmptyFileIsRefused() {
        TestAccounts.as(token).multiPart("file", "empty.zip", new byte[0]).post("/api/submissions").then()
                .statusCode(400).body("problems[0]", containsString("is empty"));
    }

    @Test
    void twoFilesAreRefused() {
        TestAccounts.as(token).multiPart("file", "a.zip", new byte[] {1}).multiPart("file", "b.zip", new byte[] {2})
                .post("/api/submissions").then().statusCode(400).body("problems[0]", containsString("one file"));
    }

    @Test
    void whatIsNotABundleIsRefusedWithoutServerPathsOrEchoes(@TempDir Path dir) throws IOException {
        String marker = "ECHO-MARKER-7f3a";
        byte[] text = ("not a zip at all " + marker).getBytes();
        Path zip = dir.resolve("other.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(marker + ".txt"));
            out.write(text);
            out.closeEntry();
        }
        for (byte[] body : new byte[][] {text, Files.readAllBytes(zip)}) {
            TestAccounts.as(token).multiPart("file", "bundle.zip", body).post("/api/submissions").then()
                    .statusCode(400).body("error", containsString("nothing was stored"))
                    .body("problems", everyItem(startsWith("Bundle: ")))
                    .body("problems", everyItem(not(containsString("/work"))))
                    .body("problems", everyItem(not(containsString("/tmp"))))
                    .body("problems", everyItem(not(containsString(marker))));
        }
        TestAccounts.as(token).get("/api/submissions").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void aSubmissionNobodyMaySeeIsNotFound() {
        given().get("/api/submissions/999999").then().statusCode(404);
        given().get("/submissions/999999").then().statusCode(404);
        TestAccounts.as(token).post("/api/submissions/999999/cancel").then().statusCode(404);
    }
}
