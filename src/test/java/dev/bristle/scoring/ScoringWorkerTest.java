package dev.bristle.scoring;

import dev.bristle.jobs.WorkerInstance;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.leaderboard.EntrySource;
import dev.bristle.leaderboard.LeaderboardEntry;
import dev.bristle.modelpool.PoolModel;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.bristle.accounts.TestAccounts;
import dev.bristle.config.BristleConfig;
import dev.bristle.jobs.ManualEngine;
import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scoring worker on the real database (H2, and PostgreSQL in the second pass) with the real pipeline on DC's
 * CIFAR-10 sets, run by the real job engine (ManualEngine): phases handed to the engine, revival of a dead
 * instance's task, retries with back-off, progress, cancellation.
 */
@QuarkusTest
@Tag("database")
class ScoringWorkerTest {

    @Inject
    JobService jobs;

    @Inject
    JobTasks tasks;

    @Inject
    ManualEngine engine;

    @Inject
    BristleConfig config;

    @Inject
    WorkerInstance instance;

    @Inject
    DatasetPoolService pool;

    long dcSet(int ipc) {
        return pool.list().stream().filter(d -> d.method().equals("DC") && d.ipc() == ipc
                && d.origin().equals("imported")).map(DatasetView::id).findFirst().orElseThrow();
    }

    @org.junit.jupiter.api.AfterEach
    void removeTrainedStudents() {
        ScoringTestState.removeWhatJobsMade();
    }

    @BeforeEach
    void emptyQueue() {
        ScoringTestState.cancelQueuedJobs(jobs);
    }

    static boolean onPostgres() {
        return org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.datasource.db-kind", String.class).equals("postgresql");
    }

    static final JobSettings QUICK = new JobSettings(1, 1, 200, 3, List.of(), List.of(), "beard", false);

    @Test
    void aJobIsSplitIntoTasksHandedToTheEnginePhaseByPhase() {
        JobSettings twoAttacks = new JobSettings(1, 2, 200, 3, List.of("FGSM", "PGD"), List.of("untargeted"),
                "beard", false);
        long id = jobs.enqueue(dcSet(1), twoAttacks, TestAccounts.MAINTAINER).id();
        JobView queued = jobs.find(id).orElseThrow();
        assertEquals(List.of("train the students", "student 1: clean evaluation", "student 1: FGSM untargeted",
                "student 1: PGD untargeted", "student 2: clean evaluation", "student 2: FGSM untargeted",
                "student 2: PGD untargeted", "assemble the results"),
                queued.tasks().stream().map(JobView.Task::label).toList());
        assertEquals(Set.of("queued"), queued.tasks().stream().map(JobView.Task::state).collect(
                java.util.stream.Collectors.toSet()));

        List<Long> ids = queued.tasks().stream().map(JobView.Task::id).toList();
        assertEquals(List.of(true, false, false, false, false, false, false, false), scheduled(ids),
                "the rest waits for the training");
        JobTasks.Started train = tasks.start(ids.get(0), "instance-a").orElseThrow();
        assertEquals(TaskKind.TRAIN, train.kind());
        JobView claimed = jobs.find(id).orElseThrow();
        assertEquals("running", claimed.state());
        assertEquals("instance-a", claimed.claimedBy());
        assertEquals(1, claimed.attempts());
        assertEquals(List.of(new JobView.Attempt(1, "instance-a", "train the students", claimed.startedAt(), null,
                null, null)), claimed.attemptHistory());
        // The page and its JSON twin count the whole job's tasks; while training, the epochs too.
        tasks.progress(train.taskId(), train.attempt(), "TRAINING", 1, 4, "student 1 of 2, epoch 1 of 2, loss 2.3000");
        given().get("/jobs/" + id).then().statusCode(200)
                .body(containsString("running</span> on <span class=\"instance\">instance-a</span> · stage: training"))
                .body(containsString("<table class=\"tasks\">"))
                .body(containsString("0 of 8 tasks done (0 %) · phase 1 of 3, training the students: 0 of 1 done"))
                .body(containsString("Training: 1 of 4 epochs over the students (25 %); student 1 of 2, epoch 1"))
                .body(not(containsString("TRAINING")));
        given().get("/api/jobs/" + id).then().statusCode(200)
                .body("stage", equalTo("TRAINING"))
                .body("overall.tasksDone", equalTo(0)).body("overall.tasksTotal", equalTo(8))
                .body("overall.phase", equalTo(1)).body("overall.phases", equalTo(3))
                .body("overall.phaseKind", equalTo("TRAINING"))
                .body("overall.phaseTasksDone", equalTo(0)).body("overall.phaseTasksTotal", equalTo(1));
        given().get("/api/jobs/" + id).then().statusCode(200)
                .body("tasks[0].state", equalTo("running"))
                .body("tasks[0].instance", equalTo("instance-a"))
                .body("tasks[0].attempts", equalTo(1))
                .body("tasks[1].state", equalTo("queued"));

        // Training done: the two students' evaluations and attack runs go to whichever instance asks.
        tasks.taskSucceeded(train.taskId());
        assertEquals(List.of(true, true, true, true, true, true, true, false), scheduled(ids),
                "the measurements are handed to the engine once the training has succeeded; the results wait");
        JobTasks.Started b = tasks.start(ids.get(1), "instance-b").orElseThrow();
        JobTasks.Started a = tasks.start(ids.get(2), "instance-a").orElseThrow();
        assertEquals(List.of(TaskKind.EVALUATE, 0, TaskKind.ATTACK, 0), List.of(b.kind(), b.student(), a.kind(),
                a.student()));
        assertEquals("FGSM", a.unit().attack());
        tasks.taskSucceeded(b.taskId());
        JobView partly = jobs.find(id).orElseThrow();
        assertEquals("ATTACKS", partly.stage());
        assertEquals(List.of(1, 6), List.of(partly.progressDone(), partly.progressTotal()), "1 of 6 tasks done");
        assertEquals(new JobView.Progress(2, 8, 2, 3, JobPhase.MEASUREMENT, 1, 6), partly.overall(),
                "training and one measurement of eight tasks; one of the measurement phase's six");
        given().get("/jobs/" + id).then().statusCode(200)
                .body(containsString(" · stage: attacks"))
                .body(containsString("2 of 8 tasks done (25 %) · phase 2 of 3, measuring the students, clean and"
                        + " under attack: 1 of 6 done"))
                .body(not(containsString("ATTACKS")))
                .body(not(containsString("Training:")));
        given().get("/api/jobs/" + id).then().statusCode(200)
                .body("stage", equalTo("ATTACKS"))
                .body("overall.tasksDone", equalTo(2)).body("overall.tasksTotal", equalTo(8))
                .body("overall.phase", equalTo(2)).body("overall.phaseKind", equalTo("MEASUREMENT"))
                .body("overall.phaseTasksDone", equalTo(1)).body("overall.phaseTasksTotal", equalTo(6));
        given().get("/jobs").then().statusCode(200).body(not(containsString("ATTACKS")));
        assertEquals(List.of("instance-a", "instance-b"), partly.instances());

        // Cancelled: the running task stops at its next check, then the job ends with its queued tasks.
        jobs.cancel(id, TestAccounts.MAINTAINER);
        assertEquals("running", jobs.find(id).orElseThrow().state(), "a task still runs");
        assertEquals(JobTasks.Standing.CANCEL_REQUESTED, tasks.standing(a.taskId(), a.attempt()));
        assertEquals(List.of(false, false, false, false, false), scheduled(ids.subList(3, ids.size())),
                "the cancelled job's queued tasks left the engine");
        assertEquals(Optional.empty(), tasks.start(ids.get(3), "instance-b"), "nothing of a cancelled job starts");
        tasks.taskCancelled(a.taskId());
        JobView cancelled = jobs.find(id).orElseThrow();
        assertEquals("cancelled", cancelled.state());
        assertEquals(List.of("succeeded", "succeeded", "cancelled", "cancelled", "cancelled", "cancelled",
                "cancelled", "cancelled"), cancelled.tasks().stream().map(JobView.Task::state).toList());
        assertEquals(List.of("succeeded", "succeeded", "cancelled"), cancelled.attemptHistory().stream()
                .map(JobView.Attempt::outcome).toList());
    }

    @Test
    void aTaskOfADeadInstanceIsRevivedAndItsJobFinishes() throws Exception {
        JobSettings withAttacks = new JobSettings(1, 1, 200, 3, List.of("FGSM", "Noise"), List.of("untargeted"),
                "beard", false);
        long id = jobs.enqueue(dcSet(1), withAttacks, TestAccounts.MAINTAINER).id();
        long train = jobs.find(id).orElseThrow().tasks().get(0).id();
        tasks.start(train, "crashed-instance").orElseThrow();
        engine.crash(JobTasks.WORK, train, "crashed-instance");
        assertEquals(List.of(), engine.runDue(JobTasks.WORK), "picked by the dead instance: nothing else runs it");
        engine.detectDeadExecutions();
        assertTrue(engine.runDue(JobTasks.WORK).contains(train));

        JobView done = jobs.find(id).orElseThrow();
        assertEquals("succeeded", done.state(), done.errorMessage());
        // Training twice (abandoned, then done), the student's evaluation, its two attack runs, the results.
        assertEquals(6, done.attempts());
        assertEquals(instance.id(), done.claimedBy());
        assertFalse(instance.id().contains("/"), "the default instance name shows no server path: " + instance.id());
        assertEquals(List.of("crashed-instance", instance.id()), done.instances());
        assertEquals(List.of("train the students", "train the students", "student 1: clean evaluation",
                "student 1: FGSM untargeted", "student 1: Noise untargeted", "assemble the results"),
                done.attemptHistory().stream().map(JobView.Attempt::task).toList());
        assertEquals(List.of("abandoned", "succeeded", "succeeded", "succeeded", "succeeded", "succeeded"),
                done.attemptHistory().stream().map(JobView.Attempt::outcome).toList());
        assertEquals(List.of(2, 1, 1, 1, 1), done.tasks().stream().map(JobView.Task::attempts).toList());
        assertEquals("ATTACKS", done.stage());
        assertEquals(List.of(3, 3), List.of(done.progressDone(), done.progressTotal()));
        assertEquals(new JobView.Progress(5, 5, 3, 3, JobPhase.RESULTS, 1, 1), done.overall());
        List<String> published = done.results().published();
        assertEquals(1, published.size(), published.toString());
        // Few students, epochs and images: a preliminary entry, saying why.
        assertTrue(published.get(0).startsWith("untargeted: published on CIFAR-10 IPC 1, BEARD's protocol,"
                + " preliminary (") && published.get(0).endsWith("(CREI " + done.creiByMode().get(0)
                .replaceAll(".*CREI ([0-9.]+),.*", "$1") + ")"), published.get(0));
        double accuracy = done.results().meanCleanAccuracy();
        assertTrue(accuracy >= 0 && accuracy <= 100);
        PoolModel student = QuarkusTransaction.requiringNew().call(() -> PoolModel.findTrained(id, 0).orElseThrow());
        assertEquals(PoolModel.Origin.TRAINED, student.origin);
        assertEquals("DC", student.method);
        assertEquals(1, student.ipc);
        assertEquals(Math.round(accuracy * 100) / 100.0, student.reportedAccuracy);
        assertTrue(java.nio.file.Files.isRegularFile(Path.of("target/test-trained-models").resolve(student.fileName)));

        given().get("/api/jobs/" + id).then().statusCode(200)
                .body("state", equalTo("succeeded"))
                .body("results.testImages", equalTo(200))
                .body("results.students[0].index", equalTo(0));
        given().get("/jobs/" + id).then().statusCode(200)
                .body(containsString("data-state=\"succeeded\""))
                .body(not(containsString("hx-trigger")))
                .body(containsString("Mean clean accuracy"))
                .body(containsString("5 of 5 tasks done (100 %) · phase 3 of 3, the results: 1 of 1 done"))
                // The results table numbers the students as the tasks do: index 0 is student 1.
                .body(containsString("<th scope=\"row\">student 1</th>"))
                .body(not(containsString("student 0")));
        given().get("/models/" + student.id).then().statusCode(200)
                .body(containsString("DC <span class=\"sub\">CIFAR-10, IPC 1, student 1</span>"))
                .body(containsString("scoring job #" + id + ", student 1 of 1"))
                .body(not(containsString("student 0")));
        given().get("/api/models/" + student.id).then().statusCode(200).body("studentIndex", equalTo(0));
        given().get("/api/models").then().statusCode(200).body("find { it.origin == 'trained' }.method", equalTo("DC"));
        given().get("/api/boards/cifar-10/1?mode=untargeted").then().statusCode(200)
                .body("rows.find { it.source == 'measured' }.sourceUrl", equalTo("/jobs/" + id))
                .body("rows.find { it.source == 'published' }.sourceUrl", equalTo(null))
                .body("rows.find { it.source == 'measured' }.method", equalTo("DC"))
                .body("rows.find { it.source == 'measured' }.cleanAccuracy", equalTo((float) accuracy));
        given().get("/boards/cifar-10/1?mode=untargeted").then().statusCode(200)
                .body(containsString("<a class=\"badge measured\" href=\"/jobs/" + id + "\""));
        given().get("/entries/cifar-10/DC").then().statusCode(200)
                .body(containsString("<a class=\"ref\" href=\"/jobs/" + id + "\">scoring job #" + id + "</a>"));
    }

    @Test
    void aTaskThatFailsIsRetriedAndItsJobGoesOn() throws Throwable {
        DatasetView set = pool.find(dcSet(1)).orElseThrow();
        long id = jobs.enqueue(set.id(), QUICK, TestAccounts.MAINTAINER).id();
        withSetFileAway(set, () -> assertFalse(engine.runDue(JobTasks.WORK).isEmpty()));
        JobView retrying = jobs.find(id).orElseThrow();
        assertEquals("running", retrying.state(), "the training has an attempt left");
        assertEquals(List.of("queued", "queued", "queued"), retrying.tasks().stream().map(JobView.Task::state)
                .toList());
        JobView.Attempt failed = retrying.attemptHistory().get(0);
        assertEquals("failed", failed.outcome());
        assertTrue(failed.error().contains("is not in the blob store this instance reaches"), failed.error());
        given().get("/jobs/" + id).then().statusCode(200).body(containsString(failed.error()));

        engine.advance(Duration.ofSeconds(config.worker().retrySeconds()));
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        JobView done = jobs.find(id).orElseThrow();
        assertEquals("succeeded", done.state(), done.errorMessage());
        assertEquals(List.of("failed", "succeeded", "succeeded", "succeeded"), done.attemptHistory().stream()
                .map(JobView.Attempt::outcome).toList());
        assertEquals(Arrays.asList(failed.error(), null, null, null), done.attemptHistory().stream()
                .map(JobView.Attempt::error).toList());
        assertEquals(List.of(2, 1, 1), done.tasks().stream().map(JobView.Task::attempts).toList());
    }

    @Test
    void aTaskThatFailsAtEachAttemptFailsItsJobAtTheLast() throws Throwable {
        DatasetView set = pool.find(dcSet(1)).orElseThrow();
        long id = jobs.enqueue(set.id(), QUICK, TestAccounts.MAINTAINER).id();
        withSetFileAway(set, () -> {
            assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
            assertEquals("running", jobs.find(id).orElseThrow().state());
            engine.advance(Duration.ofSeconds(config.worker().retrySeconds()));
            assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        });
        JobView failed = jobs.find(id).orElseThrow();
        assertEquals("failed", failed.state());
        assertTrue(failed.errorMessage().startsWith("train the students: set #" + set.id()), failed.errorMessage());
        assertEquals(List.of("failed", "failed"), failed.attemptHistory().stream().map(JobView.Attempt::outcome)
                .toList());
        assertTrue(failed.attemptHistory().stream().allMatch(a -> a.error().contains("is not in the blob store")));
        assertEquals(List.of("failed", "cancelled", "cancelled"), failed.tasks().stream().map(JobView.Task::state)
                .toList());
        assertEquals(2, failed.tasks().get(0).attempts());
        assertEquals(1, failed.taskGroups().get(0).retries(), "the job page counts the second claim as a retry");
    }

    /** Runs {@code polls} with the set's stored file out of reach (a shared pool folder not mounted yet). */
    private void withSetFileAway(DatasetView set, org.junit.jupiter.api.function.Executable polls) throws Throwable {
        Path file = pool.file(set);
        Path away = file.resolveSibling(file.getFileName() + ".away");
        Files.move(file, away);
        try {
            polls.execute();
        } finally {
            Files.move(away, file);
        }
    }

    @Test
    void aTaskThatFailsForItsInputFailsItsJobAtOnce() {
        long id = jobs.enqueue(dcSet(1), QUICK, TestAccounts.MAINTAINER).id();
        // Settings that no longer pass (as after a recipe was withdrawn): another attempt would fail the same way.
        QuarkusTransaction.requiringNew().run(() -> {
            ScoringJob job = ScoringJob.findById(id);
            job.settings = job.settings.replace("\"recipe\":\"standard\"", "\"recipe\":\"withdrawn\"");
        });
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        JobView failed = jobs.find(id).orElseThrow();
        assertEquals("failed", failed.state());
        assertEquals("train the students: unknown training recipe 'withdrawn' (expected standard or pgd-at)",
                failed.errorMessage());
        assertEquals(List.of("failed"), failed.attemptHistory().stream().map(JobView.Attempt::outcome).toList());
        assertEquals(1, failed.tasks().get(0).attempts());
    }

    @Test
    void aTaskThatFailsForABugIsRetried() {
        long id = jobs.enqueue(dcSet(1), QUICK, TestAccounts.MAINTAINER).id();
        // A stored test limit that skipped validation reaches ImageSet.subset, whose precondition then fails: a plain
        // IllegalArgumentException, the program's fault and not the job's input, so the task gets its other attempt.
        QuarkusTransaction.requiringNew().run(() -> {
            ScoringJob job = ScoringJob.findById(id);
            assertTrue(job.settings.contains("\"testLimit\":200"), job.settings);
            job.settings = job.settings.replace("\"testLimit\":200", "\"testLimit\":-5");
        });
        long train = jobs.find(id).orElseThrow().tasks().get(0).id();
        assertTrue(engine.runDue(JobTasks.WORK).contains(train));
        JobView retrying = jobs.find(id).orElseThrow();
        assertEquals("running", retrying.state(), retrying.errorMessage());
        assertEquals(List.of("failed"), retrying.attemptHistory().stream().map(JobView.Attempt::outcome).toList());
        assertTrue(retrying.attemptHistory().get(0).error().contains("subset limit must be >= 0, got -5"),
                retrying.attemptHistory().get(0).error());
        assertFalse(engine.runDue(JobTasks.WORK).contains(train), "the engine waits out its back-off first");

        engine.advance(Duration.ofSeconds(config.worker().retrySeconds()));
        assertTrue(engine.runDue(JobTasks.WORK).contains(train));
        JobView failed = jobs.find(id).orElseThrow();
        assertEquals("failed", failed.state());
        assertEquals(List.of("failed", "failed"), failed.attemptHistory().stream().map(JobView.Attempt::outcome)
                .toList());
        assertEquals(2, failed.tasks().get(0).attempts());
    }

    @Test
    void cleaningUpAfterTheJobsKeepsBristlesRecordedEntries() {
        ScoringTestState.removeWhatJobsMade();
        List<String> recorded = recordedEntries();
        assertFalse(recorded.isEmpty(), "leaderboards/bristle-measured.json is loaded at start-up");
        long id = jobs.enqueue(dcSet(1), QUICK, TestAccounts.MAINTAINER).id();
        jobs.cancel(id, TestAccounts.MAINTAINER);
        // A job's entry on a recorded entry's board, of its method and status, takes over its row, as publish does.
        QuarkusTransaction.requiringNew().run(() -> LeaderboardEntry.ofSource(EntrySource.MEASURED)
                .get(0).scoringJobId = id);
        ScoringTestState.removeWhatJobsMade();
        assertEquals(recorded, recordedEntries());
        assertEquals(List.of(), QuarkusTransaction.requiringNew().call(() -> LeaderboardEntry.ofSource(
                EntrySource.MEASURED).stream().filter(e -> e.scoringJobId != null).toList()));
    }

    /** Bristle's own measured entries: board, method, mode and CREI. */
    private static List<String> recordedEntries() {
        return QuarkusTransaction.requiringNew().call(() -> LeaderboardEntry.ofSource(EntrySource.MEASURED).stream()
                .filter(e -> e.scoringJobId == null).map(e -> e.dataset + " IPC " + e.ipc + " " + e.protocol + " "
                        + e.recipe + " " + e.method + " " + e.mode + " " + e.status + " CREI " + e.crei).sorted()
                .toList());
    }

    @Test
    void aJobQueuedBeforeJobsHadTasksIsSplitAtStartUp() {
        long id = jobs.enqueue(dcSet(1), QUICK, TestAccounts.MAINTAINER).id();
        QuarkusTransaction.requiringNew().run(() -> ScoringTask.delete("jobId", id));
        assertEquals(List.of(), jobs.find(id).orElseThrow().tasks());
        assertTrue(jobs.planUnplanned() >= 1);
        JobView planned = jobs.find(id).orElseThrow();
        assertEquals(List.of("train the students", "student 1: clean evaluation", "assemble the results"),
                planned.tasks().stream().map(JobView.Task::label).toList());
        assertEquals(List.of(true, false, false), scheduled(planned.tasks().stream().map(JobView.Task::id).toList()));
        jobs.cancel(id, TestAccounts.MAINTAINER);
        assertEquals("cancelled", jobs.find(id).orElseThrow().state());
    }

    @Test
    void aWorkerWhoseJobWasTakenOverStopsRunningIt() throws Exception {
        long id = jobs.enqueue(dcSet(1), new JobSettings(300, 1, 100, 5, List.of(), List.of(), "beard", false),
                TestAccounts.MAINTAINER).id();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<List<Long>> run = thread.submit(() -> engine.runDue(JobTasks.WORK));
            awaitTrainingProgress(id);
            // Another instance's engine took this one for dead (its heartbeats lost) and started another attempt.
            long train = jobs.find(id).orElseThrow().tasks().get(0).id();
            assertEquals(TaskKind.TRAIN, tasks.start(train, "other-instance").orElseThrow().kind());
            assertTrue(run.get(60, TimeUnit.SECONDS).contains(train), "this worker stopped");
        } finally {
            thread.shutdownNow();
        }
        JobView job = jobs.find(id).orElseThrow();
        assertEquals("running", job.state(), "still the other instance's");
        assertEquals("other-instance", job.claimedBy());
        assertEquals(List.of(instance.id(), "other-instance"), job.attemptHistory().stream()
                .map(JobView.Attempt::instance).toList());
        assertEquals(Arrays.asList("abandoned", null), job.attemptHistory().stream()
                .map(JobView.Attempt::outcome).toList());
        jobs.cancel(id, TestAccounts.MAINTAINER);
    }

    /** Per task, whether it has an execution in the job engine. */
    private List<Boolean> scheduled(List<Long> taskIds) {
        return taskIds.stream().map(task -> engine.scheduled(JobTasks.WORK, task)).toList();
    }

    /** Waits until job {@code id} is training, two epochs in (its progress is written). */
    private JobView awaitTrainingProgress(long id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        JobView job = jobs.find(id).orElseThrow();
        while (job.progressDone() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            job = jobs.find(id).orElseThrow();
        }
        assertEquals("running", job.state());
        assertEquals("TRAINING", job.stage());
        return job;
    }

    @Test
    void cancelStopsARunningJob() throws Exception {
        long id = jobs.enqueue(dcSet(10), new JobSettings(300, 1, 100, 5, List.of(), List.of(), "beard", false),
                TestAccounts.MAINTAINER).id();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<List<Long>> run = thread.submit(() -> engine.runDue(JobTasks.WORK));
            assertEquals(301, awaitTrainingProgress(id).progressTotal());
            given().header("HX-Request", "true").get("/jobs/" + id).then().statusCode(200)
                    .body(containsString("hx-trigger=\"every 2s\""))
                    .body(containsString("<progress max=\"301\""))
                    .body(not(containsString("<html")));

            asMaintainer().post("/api/jobs/" + id + "/cancel").then().statusCode(200).body("cancelRequested", equalTo(true));
            assertFalse(run.get(60, TimeUnit.SECONDS).isEmpty());
        } finally {
            thread.shutdownNow();
        }
        JobView cancelled = jobs.find(id).orElseThrow();
        assertEquals("cancelled", cancelled.state());
        assertTrue(cancelled.progressDone() < 301, "stopped early, at epoch " + cancelled.progressDone());
        assertNotEquals(null, cancelled.finishedAt());
        given().header("HX-Request", "true").get("/jobs/" + id).then().statusCode(200)
                .body(not(containsString("hx-trigger")));
    }

    @Test
    void jobsAreQueuedThroughTheFormAndTheApi() {
        long set = dcSet(1);
        String location = asMaintainer().formParam("datasetId", set).formParam("epochs", "2").formParam("students", "1")
                .formParam("testLimit", "50").redirects().follow(false).post("/jobs")
                .then().statusCode(303).extract().header("Location");
        given().get(location).then().statusCode(200).body(containsString("queued"))
                .body(containsString("hx-trigger=\"every 2s\""));
        int id = asMaintainer().contentType("application/json").body("{\"datasetId\": " + set + ", \"epochs\": 5}")
                .post("/api/jobs").then().statusCode(201)
                .body("settings.epochs", equalTo(5))
                .body("settings.students", equalTo(5))
                .body("state", equalTo("queued")).extract().path("id");
        asMaintainer().contentType("application/json").body("{\"datasetId\": " + set + ", \"students\": 0}")
                .post("/api/jobs").then().statusCode(400)
                .body("problems", hasItem(containsString("students must be 1 to 20")));
        asMaintainer().contentType("application/json").body("{\"datasetId\": 999999}").post("/api/jobs").then()
                .statusCode(400).body("problems", hasItem(containsString("no set #999999")));
        asMaintainer().contentType("application/json").body("{\"datasetId\": " + set + ", \"budgetGrid\": true}")
                .post("/api/jobs").then().statusCode(400)
                .body("problems", hasItem(containsString("a budget grid needs the sound protocol")));
        asMaintainer().post("/api/jobs/" + id + "/cancel").then().statusCode(200).body("state", equalTo("cancelled"));
        given().get("/api/jobs/424242").then().statusCode(404);
        given().get("/jobs").then().statusCode(200).body(containsString("/jobs/" + id));
    }

    @Test
    void aJobWithABudgetGridShowsItsCurves() {
        long set = dcSet(10);
        String location = asMaintainer().formParam("datasetId", set).formParam("epochs", "1").formParam("students", "1")
                .formParam("testLimit", "40").formParam("attacks", "FGSM, DeepFool").formParam("modes", "untargeted")
                .formParam("protocol", "sound").formParam("budgetGrid", "true").redirects().follow(false).post("/jobs")
                .then().statusCode(303).extract().header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        assertEquals(Boolean.TRUE, jobs.find(id).orElseThrow().settings().budgetGrid());
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());

        JobView done = jobs.find(id).orElseThrow();
        assertEquals("succeeded", done.state(), done.errorMessage());
        // FGSM at the recorded 1/255 and at 2, 4 and 8 /255; DeepFool once, read off at the three L2 budgets.
        given().get("/api/jobs/" + id).then().statusCode(200)
                .body("results.curves.attack", equalTo(List.of("FGSM", "DeepFool")))
                .body("results.curves[0].norm", equalTo("LINF"))
                .body("results.curves[0].points.size()", equalTo(5))
                .body("results.evidence[0].attacks.attack", equalTo(List.of("FGSM", "DeepFool")))
                .body("results.evidence[0].attacks[0].perClass.accuracy.size()", equalTo(10))
                .body("results.evidence[0].worstCase[0].correct.length()", equalTo(40))
                .body("results.metrics.UNTARGETED.efficiency.basis", equalTo("MODEL_PASSES"))
                .body("results.uncertainty.UNTARGETED.efficiency", equalTo("MODEL_PASSES"))
                .body("results.curves[1].measured", equalTo(false))
                .body("results.curves[1].points.eps", equalTo(List.of(0.0f, 0.125f, 0.25f, 0.5f)));
        given().get("/jobs/" + id).then().statusCode(200)
                .body(containsString("<figure class=\"curves\"><svg"))
                .body(containsString("Accuracy versus budget, mean over the students"))
                .body(containsString("FGSM untargeted"));
    }
}
