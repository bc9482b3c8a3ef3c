package dev.bristle.scoring;

import dev.bristle.accounts.TestAccounts;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.data.NormalizationDecision;
import dev.bristle.ml.data.NpzWriter;
import dev.bristle.ml.verify.TestBundles;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The submitters' quotas hold when many requests arrive at once: each is counted with the account's row locked, in
 * the transaction that inserts (uploads per hour: 10; submissions per hour: 3; queued or running jobs, scoring and
 * distillation together: 2).
 * Uploads are tiny MNIST sets; jobs stay queued (the test profile runs no worker).
 */
@QuarkusTest
@Tag("database")
class QuotaRaceTest {

    private static final int REQUESTS = 16;
    private static final String PASSWORD = "correct horse battery";

    @Inject
    DatasetPoolService pool;

    @Inject
    JobService jobs;

    @AfterEach
    void noJobLeftQueued() {
        ScoringTestState.cancelQueuedJobs(jobs);
        ScoringTestState.cancelQueuedDistillations();
    }

    @Test
    void concurrentUploadsStoreNoMoreThanTheHourlyQuota(@TempDir Path dir) throws Exception {
        String token = submitter("racer-uploads");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) files.add(tinySet(dir, i));
        List<Integer> statuses = race(i -> TestAccounts.as(token).multiPart("method", "Race").multiPart("dataset", "MNIST")
                .multiPart("ipc", "1").multiPart("normalization", "pixels").multiPart("file", files.get(i).toFile())
                .post("/api/datasets").statusCode());
        assertEquals(10, statuses.stream().filter(s -> s == 201).count(), "stored: " + statuses);
        assertEquals(REQUESTS - 10, statuses.stream().filter(s -> s == 429).count(), "refused: " + statuses);
        assertEquals(10, pool.list().stream().filter(d -> "racer-uploads".equals(d.uploadedBy())).count());
    }

    @Test
    void concurrentSubmissionsStoreNoMoreThanTheHourlyQuota(@TempDir Path dir) throws Exception {
        String token = submitter("racer-submissions");
        List<Path> bundles = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) bundles.add(TestBundles.synthetic(dir, i));
        List<Integer> statuses = race(i -> TestAccounts.as(token).multiPart("file", bundles.get(i).toFile())
                .post("/api/submissions").statusCode());
        assertEquals(3, statuses.stream().filter(s -> s == 201).count(), "stored: " + statuses);
        assertEquals(REQUESTS - 3, statuses.stream().filter(s -> s == 429).count(), "refused: " + statuses);
        TestAccounts.as(token).get("/api/submissions").then().body("size()", org.hamcrest.Matchers.equalTo(3));
        for (int id : TestAccounts.as(token).get("/api/submissions").then().extract().<List<Integer>>path("id")) {
            TestAccounts.as(token).post("/api/submissions/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void concurrentJobRequestsQueueNoMoreThanTheActiveJobsQuota() throws Exception {
        String token = submitter("racer-jobs");
        long set = ScoringTestState.dcSet(pool, 1);
        List<Integer> statuses = race(i -> TestAccounts.as(token).contentType("application/json")
                .body("{\"datasetId\": " + set + ", \"epochs\": 1, \"students\": 1, \"testLimit\": 50}")
                .post("/api/jobs").statusCode());
        assertAccepted(2, statuses);
    }

    @Test
    void concurrentDistillationsAndJobsShareTheActiveJobsQuota() throws Exception {
        String distiller = submitter("racer-distillations");
        List<Integer> distillations = race(i -> TestAccounts.as(distiller).contentType("application/json")
                .body("{\"method\": \"random\", \"dataset\": \"Fashion-MNIST\", \"ipc\": 1, \"seed\": " + i + "}")
                .post("/api/distillations").statusCode());
        assertAccepted(2, distillations);

        String both = submitter("racer-both");
        long set = ScoringTestState.dcSet(pool, 1);
        List<Integer> mixed = race(i -> (i % 2 == 0
                ? TestAccounts.as(both).contentType("application/json").body("{\"method\": \"random\", \"dataset\":"
                + " \"Fashion-MNIST\", \"ipc\": 1, \"seed\": " + i + "}").post("/api/distillations")
                : TestAccounts.as(both).contentType("application/json").body("{\"datasetId\": " + set
                + ", \"epochs\": 1, \"students\": 1, \"testLimit\": 50}").post("/api/jobs")).statusCode());
        assertAccepted(2, mixed);
    }

    private static void assertAccepted(int quota, List<Integer> statuses) {
        assertEquals(quota, statuses.stream().filter(s -> s == 201).count(), "queued: " + statuses);
        assertEquals(REQUESTS - quota, statuses.stream().filter(s -> s == 429).count(), "refused: " + statuses);
    }

    /** Sends {@code REQUESTS} requests at once (threads released together by a latch); their statuses. */
    private static List<Integer> race(IntFunction<Integer> request) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(REQUESTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                int index = i;
                answers.add(threads.submit(() -> {
                    start.await();
                    return request.apply(index);
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) statuses.add(answer.get(2, TimeUnit.MINUTES));
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }

    /** A new submitter account; its API token. */
    private static String submitter(String name) {
        int id = asMaintainer().contentType("application/json").body("{\"username\": \"" + name + "\", \"password\": \""
                + PASSWORD + "\", \"role\": \"submitter\"}").post("/api/users").then().statusCode(201).extract()
                .path("id");
        return asMaintainer().contentType("application/json").body("{\"name\": \"race\"}")
                .post("/api/users/" + id + "/tokens").then().statusCode(201).extract().path("token");
    }

    /** An MNIST set of one image per class, random pixels in [0, 1]: a different file for each {@code seed}. */
    private static Path tinySet(Path dir, int seed) throws Exception {
        Random random = new Random(seed);
        float[] images = new float[10 * 28 * 28];
        for (int i = 0; i < images.length; i++) images[i] = random.nextFloat();
        int[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Path file = dir.resolve("race-" + seed + ".npz");
        NpzWriter.write(file, new DistilledSet(images, labels, new int[]{10, 1, 28, 28},
                NormalizationDecision.declared(Normalization.PIXELS_0_1), file.toString()), "{}");
        return file;
    }
}
