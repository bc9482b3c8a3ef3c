package dev.bristle.scoring;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 21's fleet on real processes: the web app (its own worker off) and three {@code bristle worker} processes
 * (profile postgres,worker, blobs in the database, each its own home and instance id) share one PostgreSQL and run
 * one job of many tasks, its attack runs in shards of the test images. One worker is killed with SIGKILL in the
 * middle of an attack shard; another finishes that task; the job ends once and is ranked once, and its per-image results are those of the same job run by one worker.
 */
class WorkerFleetIT {

    private static final AppProcess.Installation INSTALLATION =
            AppProcess.Installation.fromItProperties("worker-fleet-it");
    private static final Path WORK = Path.of(System.getProperty("it.work.dir", "target/it"));
    /** Generous: on a 2-core machine shared with other builds (load 15 to 19) the three-worker run took 4 minutes. */
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
    /**
     * One student of DC's IPC-1 set (11 epochs), FGSM and PGD (BEARD's: no random start, so the per-image results
     * follow from the student and the images alone) untargeted on the first 512 exact test images, in shards of 256
     * ({@link #EVERY_PROCESS}): seven tasks, four of them attack shards.
     */
    private static final String JOB = "{\"datasetId\": %d, \"epochs\": 10, \"students\": 1, \"testLimit\": 512,"
            + " \"attacks\": [\"FGSM\", \"PGD\"], \"modes\": [\"untargeted\"]}";
    /**
     * Every process's: shards of one BEARD batch (the web process plans the tasks, the workers run them) and the
     * official settings scaled down to the job's, so that it is ranked.
     */
    private static final List<String> EVERY_PROCESS = List.of("-Dbristle.scoring.shard-images=256",
            "-Dbristle.official.students=1",
            "-Dbristle.official.epochs=10", "-Dbristle.official.test-images=512",
            "-Dbristle.official.attacks=FGSM,PGD", "-Dbristle.official.modes=untargeted");
    /**
     * A worker silent for 4 heartbeats of 3 s is taken as crashed, as in WorkerProcessesIT; one PyTorch thread each,
     * so three workers on two cores do not fight over them and every process computes alike.
     */
    private static final List<String> WORKER = Stream.concat(Stream.of("-Dbristle.worker.heartbeat-seconds=3",
            "-Dbristle.worker.missed-heartbeats=4",
            "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1"),
            EVERY_PROCESS.stream()).toList();
    /** The web app only serves: the workers do all of the job. */
    private static final List<String> WEB = Stream.concat(Stream.of("-Dbristle.worker.enabled=false"),
            EVERY_PROCESS.stream()).toList();

    private final List<AppProcess> started = new ArrayList<>();

    /** A failed test shows what its processes logged. */
    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (AppProcess app : started) System.err.println(app.logTail(200));
        }
    };

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (AppProcess app : started) app.stop();
    }

    @Test
    void threeWorkersOneKilledMidTaskRunAJobAsOneWorkerDoes() throws Exception {
        Path site = AppProcess.freshSite(WORK, "fleet");
        AppProcess web = start(new AppProcess(INSTALLATION, site, "web", "fleet-web",
                AppProcess.Role.WEB_DATABASE_BLOBS, true, WEB));
        List<AppProcess> workers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            AppProcess worker = new AppProcess(INSTALLATION, site, "worker-" + i, "fleet-worker-" + i,
                    AppProcess.Role.WORKER_DATABASE_BLOBS, false, WORKER);
            started.add(worker);
            workers.add(worker);
        }
        for (AppProcess worker : workers) worker.awaitReady();
        long set = web.uploadDcSet(1);
        String settings = String.format(Locale.ROOT, JOB, set);

        long job = web.submitJob(settings);
        Map<String, Object> victim = awaitLongRunningAttack(web, job);
        AppProcess killed = workers.stream().filter(w -> w.instanceId().equals(victim.get("instance")))
                .findFirst().orElseThrow();
        killed.kill();
        JsonPath done = web.awaitJob(job, j -> j.getBoolean("ended"), "end", JOB_TIMEOUT);

        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertEquals(4, done.getList("tasks.findAll { it.kind == 'attack' }").size(), "two shards per attack run");
        List<String> states = done.getList("tasks.state");
        assertEquals(Set.of("succeeded"), new HashSet<>(states), "every task succeeded: " + states);
        // The killed worker's task was taken over once, by a live worker, and finished there; no other task ran twice.
        long victimId = ((Number) victim.get("id")).longValue();
        Map<String, Object> finished = done.getMap("tasks.find { it.id == " + victimId + " }");
        assertEquals(2, finished.get("attempts"), finished.toString());
        assertNotEquals(killed.instanceId(), finished.get("instance"), "another worker finished the task");
        List<Map<String, Object>> victimAttempts = done.getList("attemptHistory.findAll { it.task == '"
                + victim.get("label") + "' }");
        assertEquals(List.of("abandoned", "succeeded"), victimAttempts.stream().map(a -> a.get("outcome")).toList(),
                victimAttempts.toString());
        assertEquals(killed.instanceId(), victimAttempts.get(0).get("instance"));
        assertEquals(states.size() + 1, done.getList("attemptHistory").size(), "one extra attempt, the killed one's");
        Set<Object> instances = new HashSet<>(done.getList("attemptHistory.instance"));
        assertTrue(instances.size() >= 2 && instances.stream().allMatch(i -> i.toString().startsWith("fleet-worker-")),
                "the workers, and only they, ran the job: " + instances);

        // Ended once, ranked once: one assembly, one entry on the board.
        assertEquals(1, done.getList("attemptHistory.findAll { it.task == 'assemble the results' }").size());
        assertEquals(1, done.getList("results.published").size(), done.getList("results.published").toString());
        List<Map<String, Object>> measured = web.api().get("/api/boards/cifar-10/1?mode=untargeted").then()
                .statusCode(200).extract().jsonPath().getList("rows.findAll { it.source == 'measured' }");
        assertEquals(1, measured.size(), measured.toString());
        assertEquals("ranked", measured.get(0).get("status"), measured.toString());
        assertEquals("/jobs/" + job, measured.get(0).get("sourceUrl"));
        Map<String, Object> fleetResults = perImage(web, job);
        String fleetLine = summary(job, done, "three workers, " + killed.instanceId() + " killed");

        // The same job again, by one worker alone: the same predictions, image for image.
        AppProcess alone = workers.stream().filter(AppProcess::alive).findFirst().orElseThrow();
        for (AppProcess worker : workers) {
            if (worker != alone) worker.stop();
        }
        long single = web.submitJob(settings);
        JsonPath reference = web.awaitJob(single, j -> j.getBoolean("ended"), "end", JOB_TIMEOUT);
        assertEquals("succeeded", reference.getString("state"), reference.getString("errorMessage"));
        assertEquals(Set.of(alone.instanceId()), new HashSet<>(reference.getList("attemptHistory.instance")));
        Map<String, Object> singleResults = perImage(web, single);
        assertEquals(singleResults.keySet(), fleetResults.keySet());
        assertFalse(fleetResults.isEmpty());
        for (String key : singleResults.keySet()) {
            assertEquals(singleResults.get(key), fleetResults.get(key), key + " differs between one worker and three");
        }
        System.out.println(fleetLine);
        System.out.println(summary(single, reference, "one worker"));
    }

    private AppProcess start(AppProcess app) throws InterruptedException {
        started.add(app);
        app.awaitReady();
        return app;
    }

    /** The first PGD shard seen running on the same worker for a second: the task the test kills its worker in. */
    private static Map<String, Object> awaitLongRunningAttack(AppProcess web, long job) throws InterruptedException {
        Map<String, Instant> firstSeen = new LinkedHashMap<>();
        AtomicReference<Map<String, Object>> caught = new AtomicReference<>();
        web.awaitJob(job, j -> {
            List<Map<String, Object>> running = j.getList("tasks.findAll { it.kind == 'attack' && it.state =="
                    + " 'running' && it.label.contains('PGD') }");
            for (Map<String, Object> task : running) {
                String key = task.get("id") + "@" + task.get("instance");
                Instant since = firstSeen.computeIfAbsent(key, k -> Instant.now());
                if (Duration.between(since, Instant.now()).toMillis() >= 1000) {
                    caught.set(task);
                    return true;
                }
            }
            return false;
        }, "run a PGD shard for a second", JOB_TIMEOUT);
        return caught.get();
    }

    /**
     * The job's per-image results from its evaluation record: each student's clean predictions and, per attack and
     * mode, each image's adversarial prediction, correctness and passes, keyed by student, attack and mode.
     */
    private static Map<String, Object> perImage(AppProcess web, long job) {
        JsonPath record = web.api().get("/api/jobs/" + job + "/record").then().statusCode(200).extract().jsonPath();
        Map<String, Object> results = new LinkedHashMap<>();
        int students = record.getList("students").size();
        for (int s = 0; s < students; s++) {
            String student = "students[" + s + "]";
            results.put("student " + s + " clean", record.getList(student + ".cleanPredictions"));
            int attacks = record.getList(student + ".attacks").size();
            for (int a = 0; a < attacks; a++) {
                String outcome = student + ".attacks[" + a + "]";
                String key = "student " + s + " " + record.getString(outcome + ".attack") + " "
                        + record.getString(outcome + ".mode");
                results.put(key + " prediction", record.getList(outcome + ".perImage.prediction"));
                results.put(key + " correct", record.getString(outcome + ".perImage.correct"));
                results.put(key + " passes", record.getList(outcome + ".perImage.passes"));
            }
        }
        return results;
    }

    private static String summary(long job, JsonPath done, String who) {
        return String.format(Locale.ROOT, "job #%d, %d tasks, ran %.1f s on %s", job, done.getList("tasks").size(),
                Duration.between(Instant.parse(done.getString("startedAt")),
                        Instant.parse(done.getString("finishedAt"))).toMillis() / 1000.0, who);
    }
}
