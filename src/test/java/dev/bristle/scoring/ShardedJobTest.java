package dev.bristle.scoring;

import dev.bristle.config.BristleConfig;
import dev.bristle.jobs.ManualEngine;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.score.MemoryStageStore;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.torch.TorchCheckpoint;
import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21 at the job level, on the real engine and database: a checkpoint evaluation (BEARD's BACON student, the sound
 * protocol) on 520 test images is planned as three attack tasks per attack run (the test suite's shards of 256
 * images), its tasks run by the job engine, and the record it serves holds, image for image, what the same run
 * gives unsharded in the ml core, with the same metrics.
 */
@QuarkusTest
@Tag("database")
class ShardedJobTest {

    private static final int IMAGES = 520;

    @Inject
    JobService jobs;

    @Inject
    ManualEngine engine;

    @Inject
    ModelPoolService models;

    @Inject
    BristleConfig config;

    @BeforeEach
    void emptyQueue() {
        ScoringTestState.cancelQueuedJobs(jobs);
    }

    @AfterEach
    void removeMeasuredEntries() {
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void aShardedJobsRecordEqualsTheUnshardedRunImageForImage() throws Exception {
        assertEquals(256, config.scoring().shardImages(), "the test suite's shard size");
        ModelView bacon = models.list().stream().filter(m -> m.method().equals("BACON")
                && m.origin().equals("published")).findFirst().orElseThrow();
        int job = asMaintainer().contentType("application/json").body("{\"modelId\": " + bacon.id() + ", \"testLimit\": "
                        + IMAGES + ", \"protocol\": \"sound\", \"seed\": 4, \"attacks\": [\"FGSM\", \"PGD\", \"Noise\"],"
                        + " \"modes\": [\"untargeted\", \"targeted\"]}")
                .post("/api/jobs").then().statusCode(201).extract().path("id");
        JobView queued = jobs.find(job).orElseThrow();
        // A clean evaluation, five runs (FGSM and PGD in both modes, Noise untargeted: it cannot target) in three
        // shards each, the assembly.
        assertEquals(1 + 5 * 3 + 1, queued.tasks().size());
        assertEquals(List.of("student 1: PGD targeted, images 1 to 256", "student 1: PGD targeted, images 257 to 512",
                "student 1: PGD targeted, images 513 to 520"), queued.tasks().stream().map(JobView.Task::label)
                .filter(l -> l.startsWith("student 1: PGD targeted")).toList());
        JobView.TaskGroup pgd = queued.taskGroups().stream().filter(g -> g.run().equals("student 1: PGD targeted"))
                .findFirst().orElseThrow();
        assertEquals(List.of(3, 0, "queued", 0), List.of(pgd.tasks(), pgd.done(), pgd.state(), pgd.retries()));
        assertNull(pgd.counts(), "one state for all its tasks: the state says it");
        assertEquals(1 + 5 + 1, queued.taskGroups().size(), "the page lists an attack run's shards on one line");
        // The engine takes due work earliest first; the phase's tasks are due the longest expected first, so the
        // fleet ends the phase on the short ones: a 256-image PGD shard first, an 8-image shard last.
        Map<Long, String> labels = new java.util.HashMap<>();
        for (JobView.Task task : queued.tasks()) labels.put(task.id(), task.label());
        List<String> due = QuarkusTransaction.requiringNew().call(() -> ScoringTask.getEntityManager()
                .createNativeQuery("select task_instance from scheduled_tasks where task_name = ?1"
                        + " order by execution_time", String.class).setParameter(1, JobTasks.WORK).getResultList()
                .stream().map(id -> labels.get(Long.parseLong((String) id))).toList());
        assertEquals(queued.tasks().size() - 1, due.size(), "every task but the assembly is due: " + due);
        assertTrue(due.get(0).startsWith("student 1: PGD")
                && (due.get(0).endsWith("to 256") || due.get(0).endsWith("to 512")), due.toString());
        assertTrue(due.get(due.size() - 1).endsWith("images 513 to 520"), due.toString());

        // The engine runs the tasks as they come due; the attack shards of one phase in any order.
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        JobView done = jobs.find(job).orElseThrow();
        assertEquals("succeeded", done.state(), done.errorMessage());
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() ->
                AttackShardResult.count("jobId", (long) job)), "the shard rows go once the record holds the runs");
        given().get("/jobs/" + job).then().statusCode(200)
                .body(containsString("<td>student 1: PGD targeted</td>"))
                .body(containsString("<td class=\"num\">3 of 3</td>"));

        ScoringPipeline.Result whole = unsharded(bacon, jobs.settings(job));
        JsonPath record = given().get("/api/jobs/" + job + "/record").then().statusCode(200).extract().jsonPath();
        assertEquals(IMAGES, record.getInt("testSet.images"));
        int compared = 0;
        for (Map<String, Object> attack : record.<Map<String, Object>>getList("students[0].attacks")) {
            AttackMode mode = AttackMode.fromKey((String) attack.get("mode"));
            Measurement measured = wholeStore.attackMeasurement(0, mode, (String) attack.get("attack")).orElseThrow();
            @SuppressWarnings("unchecked")
            Map<String, Object> perImage = (Map<String, Object>) attack.get("perImage");
            assertEquals(measured.correct(), perImage.get("correct"), attack.get("attack") + " " + mode);
            assertArrayEquals(measured.images().prediction(), ints(perImage.get("prediction")));
            assertArrayEquals(measured.images().passes(), ints(perImage.get("passes")));
            // The record keeps passes per image as a float.
            assertEquals(measured.passes(), ((Number) attack.get("passesPerImage")).doubleValue(), 1e-5);
            compared++;
        }
        assertEquals(5, compared, "the five runs (the record keeps the clean predictions apart)");
        for (AttackMode mode : AttackMode.values()) {
            MetricReport expected = whole.metrics().get(mode);
            MetricReport actual = done.results().metrics().get(mode);
            assertEquals(expected.rr(), actual.rr(), mode.key());
            assertEquals(expected.ae(), actual.ae(), mode.key());
            assertEquals(expected.crei(), actual.crei(), mode.key());
        }
        System.out.printf(Locale.ROOT, "sharded job: BACON, %d test images in shards of 256, FGSM, PGD and Noise in"
                        + " both modes (sound): %d tasks; every image equal to the unsharded run, untargeted CREI %.4f"
                        + " both%n", IMAGES, done.tasks().size(),
                done.results().metrics().get(AttackMode.UNTARGETED).crei());
    }

    private MemoryStageStore wholeStore;

    /** The job's run in the ml core, unsharded: the checkpoint's weights, the job's settings, one shard. */
    private ScoringPipeline.Result unsharded(ModelView bacon, JobSettings settings) throws Exception {
        DatasetKind kind = DatasetKind.CIFAR10;
        var weights = TorchCheckpoint.readStateDict(models.file(bacon));
        wholeStore = new MemoryStageStore();
        ScoringPipeline.StageStore checkpoint = (ScoringPipeline.StageStore) Proxy.newProxyInstance(
                ScoringPipeline.StageStore.class.getClassLoader(), new Class<?>[] {ScoringPipeline.StageStore.class},
                (proxy, method, args) -> method.getName().equals("student") ? Optional.of(weights)
                        : method.invoke(wholeStore, args));
        TestSets.TestSet test = TestSets.load(kind, config.dataDir()).firstImages(IMAGES);
        ScoringPipeline.Request request = new ScoringPipeline.Request("BACON", null, kind, test,
                settings.training(kind), settings.attackPlan(kind), IMAGES);
        ScoringPipeline.Result result = new ScoringPipeline().run(request, checkpoint, new ScoringPipeline.Listener() {
            @Override
            public void stageStarted(ScoringPipeline.Stage stage, int total, String label) {
            }

            @Override
            public void progress(int done, int total, String label) {
            }

            @Override
            public boolean cancelled() {
                return false;
            }
        });
        assertTrue(result.completed());
        return result;
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }
}
