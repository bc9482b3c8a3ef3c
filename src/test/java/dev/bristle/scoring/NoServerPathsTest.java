package dev.bristle.scoring;

import dev.bristle.accounts.TestAccounts;
import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.distilling.DistillationJob;
import dev.bristle.jobs.ManualEngine;
import dev.bristle.modelpool.ModelPoolService;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No answer of the app names a folder of the server: the test provokes every failure it can (a failed distillation,
 * a failed scoring job, missing checkpoints, bad uploads, missing pages) and reads every page and JSON answer about
 * them, Bristle's recorded entries and a distilled set's provenance, looking for the server's folders.
 */
@QuarkusTest
@Tag("database")
class NoServerPathsTest {

    @Inject
    BristleConfig config;

    @Inject
    JobService jobs;

    @Inject
    ManualEngine engine;

    @Inject
    DatasetPoolService pool;

    @Inject
    ModelPoolService models;

    /** Every answer read, by what was asked. */
    private final Map<String, String> answers = new LinkedHashMap<>();

    /** The worker polls below claim the oldest queued work: none may be left by another test. */
    @BeforeEach
    void emptyQueues() {
        ScoringTestState.cancelQueuedJobs(jobs);
        ScoringTestState.cancelQueuedDistillations();
    }

    @AfterEach
    void restore() {
        ScoringTestState.cancelQueuedJobs(jobs);
        ScoringTestState.cancelQueuedDistillations();
        ScoringTestState.removeWhatJobsMade();
        models.importPublished(config.modelPoolDir());
    }

    @Test
    void noAnswerNamesAFolderOfTheServer(@TempDir Path dir) throws Throwable {
        // A distillation that fails: MNIST's training split is not in the test data directory (at both attempts).
        long failed = distil("MNIST");
        assertTrue(engine.runDue(DistillationJob.WORK).contains(failed));
        engine.advance(Duration.ofSeconds(config.worker().retrySeconds()));
        assertTrue(engine.runDue(DistillationJob.WORK).contains(failed));
        String error = read("/api/distillations/" + failed).then().statusCode(200).extract().path("errorMessage");
        assertTrue(error.contains("MNIST train set not found") && error.contains("train-images-idx3-ubyte"),
                "the error names the files it wanted: " + error);
        read("/distillations/" + failed);

        // One that succeeds: its set's provenance names the training file, not where it is.
        long distilled = distil("CIFAR-10");
        assertTrue(engine.runDue(DistillationJob.WORK).contains(distilled));
        Integer set = read("/api/distillations/" + distilled).then().statusCode(200).extract().path("resultDatasetId");
        String provenance = read("/api/datasets/" + set).then().statusCode(200).extract().path("provenance");
        assertTrue(provenance.contains("cifar-10-partial-official/train_first932_per_batch.bin"), provenance);
        read("/datasets/" + set);
        // Rows stored before the writers named files are shown with their paths cut to names.
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            dev.bristle.datasetpool.DistilledDataset row = dev.bristle.datasetpool.DistilledDataset.findById(
                    set.longValue());
            row.provenance = row.provenance.replace("cifar-10-partial-official/",
                    config.dataDir().toAbsolutePath().normalize() + "/cifar-10-partial-official/");
            dev.bristle.distilling.DistillationJob job = dev.bristle.distilling.DistillationJob.findById(failed);
            job.errorMessage = "MNIST train set not found under " + config.dataDir().toAbsolutePath().normalize();
        });
        assertTrue(read("/api/datasets/" + set).then().extract().<String>path("provenance")
                .contains(" train_first932_per_batch.bin"), "the file by its name");
        read("/datasets/" + set);
        read("/distillations/" + failed);
        read("/distillations");
        read("/api/distillations");

        // A scoring job that fails: its set's stored file is out of reach.
        DatasetView dc = pool.find(ScoringTestState.dcSet(pool, 1)).orElseThrow();
        long job = jobs.enqueue(dc.id(), new JobSettings(1, 1, 50, 0, List.of("FGSM"), List.of("untargeted"),
                "sound", false), TestAccounts.MAINTAINER).id();
        Path file = pool.file(dc);
        Path away = file.resolveSibling(file.getFileName() + ".away");
        Files.move(file, away);
        try {
            assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
            engine.advance(Duration.ofSeconds(config.worker().retrySeconds()));
            assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        } finally {
            Files.move(away, file);
        }
        read("/api/jobs/" + job).then().body("state", org.hamcrest.Matchers.equalTo("failed"));
        read("/jobs/" + job);

        // Missing checkpoints: the model pool looked in an empty folder.
        models.importPublished(dir);
        read("/api/models").then().body("status", org.hamcrest.Matchers.hasItem("missing"));
        read("/models");
        int model = read("/api/models").then().extract().path("id[0]");
        read("/models/" + model);
        read("/api/models/" + model);

        // Bad uploads, through the API and the form.
        Path truncated = dir.resolve("cut.npz");
        Files.write(truncated, new byte[]{'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0});
        Path noise = dir.resolve("res_noise.pt");
        Files.write(noise, new byte[]{(byte) 0x80, 2, 'c', 'o', 's', '\n', 's', 'y', 's', 't', 'e', 'm', '\n'});
        Path empty = dir.resolve("empty.npz");
        Files.write(empty, new byte[0]);
        for (Path bad : List.of(truncated, noise, empty)) {
            for (String route : List.of("/api/datasets", "/datasets")) {
                String answer = upload(bad).post(route).then().statusCode(400).extract().asString();
                answers.put("POST " + route + " " + bad.getFileName(), answer);
            }
        }

        // Missing pages and files, and Bristle's recorded entries with their test set and set provenance.
        for (String path : List.of("/api/datasets/999999", "/datasets/999999/grid.png", "/api/jobs/999999",
                "/api/distillations/999999", "/models/999999/checkpoint.pth", "/entries/fashion-mnist/Nope",
                "/boards/fashion-mnist/1?protocol=sound", "/api/boards/fashion-mnist/1?protocol=sound",
                "/api/boards/fashion-mnist/1?protocol=sound&format=csv", "/entries/fashion-mnist/DM",
                "/api/entries/fashion-mnist/DM", "/entries/fashion-mnist/Random", "/api/datasets", "/datasets",
                "/jobs", "/api/jobs")) {
            read(path);
        }

        Set<String> folders = new LinkedHashSet<>(List.of("/work", "/usr/", "/tmp", "target/", "/root"));
        for (Path folder : List.of(config.dataDir(), config.home(), config.modelPoolDir(), config.datasetPoolDir(),
                Path.of(System.getProperty("user.home")), Path.of(System.getProperty("java.io.tmpdir")), dir)) {
            folders.add(folder.toAbsolutePath().normalize().toString());
        }
        List<String> leaks = new ArrayList<>();
        answers.forEach((asked, answer) -> folders.stream().filter(answer::contains).forEach(folder -> {
            int at = answer.indexOf(folder);
            leaks.add(asked + " names " + folder + ": ..." + answer.substring(Math.max(0, at - 80),
                    Math.min(answer.length(), at + 80)) + "...");
        }));
        assertTrue(answers.size() > 40, "answers read: " + answers.size());
        assertEquals(List.of(), leaks);
    }

    private long distil(String dataset) {
        return asMaintainer().contentType("application/json").body("{\"method\": \"random\", \"dataset\": \""
                + dataset + "\", \"ipc\": 1}").post("/api/distillations").then().statusCode(201).extract()
                .<Integer>path("id");
    }

    /** GETs {@code path} as a maintainer (who sees the most) and as a visitor, keeping both answers. */
    private Response read(String path) {
        answers.put("GET " + path + " (visitor)", given().get(path).asString());
        Response response = asMaintainer().get(path);
        answers.put("GET " + path, response.asString());
        return response;
    }

    private static RequestSpecification upload(Path file) {
        return asMaintainer().multiPart("method", "Bad").multiPart("dataset", "CIFAR-10").multiPart("ipc", "1")
                .multiPart("normalization", "mean-std").multiPart("file", file.toFile());
    }
}
