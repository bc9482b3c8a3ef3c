package dev.bristle.modelpool;

import dev.bristle.datasetpool.DatasetPoolManifest;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.ml.SharedData;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** BEARD's six students imported at start-up from the shared model pool, their pages and JSON twins. */
@QuarkusTest
@Tag("database")
class ModelPoolTest {

    @Inject
    ModelPoolService pool;

    @Inject
    DatasetPoolService datasets;

    private static Path sharedModelPool() {
        return SharedData.path("beard/model-pool");
    }

    @Test
    void importsTheSixBeardStudentsVerified() {
        given().get("/api/models").then().statusCode(200)
                .body("$", hasSize(6))
                .body("find { it.method == 'BACON' }.reportedAccuracy", equalTo(69.95f))
                .body("find { it.method == 'BACON' }.sha256",
                        equalTo("e6ede31abd77db0b47fd425dacc5a9d86ded4aa5f095bd498371337cd232e6f1"))
                .body("find { it.method == 'DC' }.reportedAccuracy", nullValue())
                .body("status.unique()", equalTo(java.util.List.of("available")))
                .body("ipc.unique()", equalTo(java.util.List.of(50)))
                .body("dataset.unique()", equalTo(java.util.List.of("CIFAR-10")));
    }

    @Test
    void importIsIdempotentAndReportsMissingAndAlteredFiles(@TempDir Path directory) throws Exception {
        Files.copy(sharedModelPool().resolve("BACON_ConvNet_CIFAR10_50_None_0.6995.pth"),
                directory.resolve("BACON_ConvNet_CIFAR10_50_None_0.6995.pth"));
        byte[] altered = Files.readAllBytes(sharedModelPool().resolve("MTT_ConvNet_CIFAR10_50_None_0.6966.pth"));
        altered[altered.length / 2] ^= 1;
        Files.write(directory.resolve("MTT_ConvNet_CIFAR10_50_None_0.6966.pth"), altered);
        try {
            var summary = pool.importPublished(directory);
            assertEquals(new ModelPoolService.ImportSummary(6, 1, 4, 1), summary);
            assertEquals(6, pool.list().size(), "a second import adds nothing");
            var mtt = pool.list().stream().filter(m -> m.method().equals("MTT")).findFirst().orElseThrow();
            assertEquals("checksum-mismatch", mtt.status());
            var dc = pool.list().stream().filter(m -> m.method().equals("DC")).findFirst().orElseThrow();
            assertEquals("missing", dc.status());
            given().get("/models/" + dc.id()).then().statusCode(200)
                    .body(containsString("The checkpoint is not in this instance's model pool."))
                    .body(containsString("To add it: the model-pool download linked from the BEARD repository"))
                    .body(containsString("<code>./bristle import DIR</code>"))
                    .body(org.hamcrest.Matchers.not(containsString(directory.toAbsolutePath().toString())));
            String list = given().get("/models").then().statusCode(200).extract().asString();
            // Issue 22: one notice with the one command that adds them all, not the same text in each row.
            org.junit.jupiter.api.Assertions.assertTrue(list.contains("<strong>4 published checkpoints are missing, 1"
                    + " altered (not the published file).</strong>"), list);
            assertEquals(1, list.split("./bristle import DIR", -1).length - 1, list);
            org.junit.jupiter.api.Assertions.assertFalse(list.contains("To add it"), list);
            // The status in words on the pages; its key in the JSON.
            org.junit.jupiter.api.Assertions.assertTrue(list.contains("<span class=\"status checksum-mismatch\">altered:"
                    + " not the published file</span>") && !list.contains(">checksum-mismatch<"), list);
            given().get("/models/" + mtt.id()).then().statusCode(200)
                    .body(containsString("<span class=\"status checksum-mismatch\">altered: not the published file"));
            given().get("/models/" + dc.id() + "/checkpoint.pth").then().statusCode(404);
        } finally {
            assertEquals(new ModelPoolService.ImportSummary(6, 6, 0, 0), pool.importPublished(sharedModelPool()));
        }
    }

    /** Issue 13: what {@code ./bristle import} copies is what the start-up import finds available. */
    @Test
    void whatTheImportCommandCopiesTheStartUpImportFindsAvailable(@TempDir Path home) throws Exception {
        Path models = home.resolve("model-pool");
        Path data = home.resolve("data");
        for (String source : List.of("beard/model-pool", "data/distilled/DC")) {
            assertEquals(0, new ProcessBuilder(javaCommand(SharedData.path(source), models, data))
                    .inheritIO().start().waitFor(), "bristle import " + source);
        }
        try {
            assertEquals(new ModelPoolService.ImportSummary(6, 6, 0, 0), pool.importPublished(models));
        } finally {
            pool.importPublished(sharedModelPool());
        }
        assertEquals(new DatasetPoolService.ImportSummary(2, 0, 2, 0, 0),
                datasets.importManifest(DatasetPoolManifest.DC_CIFAR10, data),
                "both DC sets found and verified (already in the pool from the shared data)");
    }

    /** The command line in its own JVM, as the launcher runs it: no Quarkus, no database. */
    private static List<String> javaCommand(Path source, Path models, Path data) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.bristle.cli.BristleCli", "import", source.toString(),
                "--model-pool-dir", models.toString(), "--data-dir", data.toString());
    }

    @Test
    void pagesListAndDescribeEachStudent() {
        long id = pool.list().stream().filter(m -> m.method().equals("IDM")).findFirst().orElseThrow().id();
        String list = given().get("/models").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(list.contains("<caption>6 students</caption>"), list);
        given().get("/models/" + id).then().statusCode(200)
                .body(containsString("<h1>IDM <span class=\"sub\">CIFAR-10, IPC 50</span></h1>"))
                .body(containsString("BEARD reports 66.91 % clean"))
                .body(containsString("href=\"/models/" + id + "/checkpoint.pth\""))
                .body(containsString("bcca76e080fcf35553362b0bf3f336d5d377bf6b750861247520202dfc96bd5e"));
        given().get("/api/models/" + id).then().statusCode(200).body("method", equalTo("IDM"));
        // Issue 22: the page reads the time to the minute in UTC, the exact instant in its tooltip and the JSON.
        String importedAt = given().get("/api/models/" + id).then().extract().path("importedAt");
        java.time.Instant exact = java.time.Instant.parse(importedAt);
        String minute = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm")
                .format(exact.atOffset(java.time.ZoneOffset.UTC));
        given().get("/models/" + id).then().statusCode(200).body(containsString("<time datetime=\"" + importedAt
                + "\" title=\"" + importedAt + "\">" + minute + " UTC</time>"));
        // All six are available here: no notice of missing checkpoints.
        given().get("/models").then().statusCode(200).body(org.hamcrest.Matchers.not(
                containsString("class=\"notice missing-checkpoints\"")));
    }

    @Test
    void theCheckpointDownloadsAsTheStateDictTorchLoads() throws Exception {
        var bacon = pool.list().stream().filter(m -> m.method().equals("BACON")).findFirst().orElseThrow();
        byte[] file = given().get("/models/" + bacon.id() + "/checkpoint.pth").then().statusCode(200)
                .header("Content-Disposition", containsString("BACON_ConvNet_CIFAR10_50_None_0.6995.pth"))
                .extract().asByteArray();
        Path copy = Files.createTempFile("bacon-", ".pth");
        try {
            Files.write(copy, file);
            assertEquals(bacon.sha256(), dev.bristle.files.Digests.sha256(copy), "the published file, unchanged");
            var stateDict = dev.bristle.ml.torch.TorchCheckpoint.readStateDict(copy);
            org.junit.jupiter.api.Assertions.assertTrue(stateDict.containsKey("classifier.weight"), stateDict.keySet()
                    .toString());
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    @Test
    void unknownStudentsAreClearNotFounds() {
        given().get("/models/999999").then().statusCode(404)
                .body(containsString("The model pool has no student &#39;999999&#39;."));
        given().get("/models/not-a-number").then().statusCode(404);
        given().get("/api/models/999999").then().statusCode(404)
                .body("status", equalTo(404))
                .body("error", equalTo("The model pool has no student '999999'."));
    }
}
