package dev.bristle.scoring;

import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scoring worker as real app processes sharing the real PostgreSQL: the packaged PostgreSQL build
 * (target/postgres/quarkus-run.jar, made by the pom's build-postgres execution) started with {@code java -jar}, each
 * process with its own home, HTTP port and worker instance id. A process killed with SIGKILL in the middle of a job
 * and started again finishes the job; two processes that share nothing but the database (blobs in the database, a
 * worker-only process beside a web one) split one job's tasks between them, and the job is ranked once.
 */
class WorkerProcessesIT {

    private static final AppProcess.Installation INSTALLATION =
            AppProcess.Installation.fromItProperties("worker-processes-it");
    private static final Path WORK = Path.of(System.getProperty("it.work.dir", "target/it"));
    /**
     * Heartbeats every 3 s; a process silent for 4 of them (12 s) is taken as crashed. Shorter than a job here, so the
     * idle process of the pair judges the runner's heartbeat several times; not so short that a loaded machine's
     * pauses pass for a crash.
     */
    private static final List<String> WORKER_PROPERTIES = List.of("-Dbristle.worker.heartbeat-seconds=3",
            "-Dbristle.worker.missed-heartbeats=4");
    /** Generous: on a 2-core machine shared with other builds (load 15 to 18) the 301 epochs took over 5 minutes. */
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
    /**
     * DC's CIFAR-10 IPC-1 set (ten images) for 300 + 1 epochs, one student, FGSM on 100 test images: about 11 s on a
     * quiet 2-core machine, long enough to be caught training (20 epochs were over in 2 s there, before the test could
     * kill the process) and for several heartbeats, short enough for CI; FGSM alone still gives a CREI, so the job
     * publishes.
     */
    private static final String JOB = "{\"datasetId\": %d, \"epochs\": 300, \"students\": 1, \"testLimit\": 100,"
            + " \"attacks\": [\"FGSM\"], \"modes\": [\"untargeted\"]}";

    /**
     * Two students of DC's IPC-1 set (11 epochs), FGSM and PGD on 50 exact test images: eight tasks, the six after
     * training a few seconds each, so the process that trained is still busy when the other asks for a task. These
     * are the official settings as the processes scale them down ({@link #SCALED_OFFICIAL}), so the job is ranked.
     */
    private static final String SPLIT_JOB = "{\"datasetId\": %d, \"epochs\": 10, \"students\": 2, \"testLimit\": 50,"
            + " \"attacks\": [\"FGSM\", \"PGD\"], \"modes\": [\"untargeted\"]}";
    /** Test-only scaling of the official settings (as OfficialRunTest's), matched by {@link #SPLIT_JOB}. */
    private static final List<String> SCALED_OFFICIAL = List.of("-Dbristle.official.students=2",
            "-Dbristle.official.epochs=10", "-Dbristle.official.test-images=50",
            "-Dbristle.official.attacks=FGSM,PGD", "-Dbristle.official.modes=untargeted");
    /** The pair's processes: the heartbeat's interval and the scaled official settings. */
    private static final List<String> PAIR_PROPERTIES = Stream.concat(WORKER_PROPERTIES.stream(),
            SCALED_OFFICIAL.stream()).toList();

    private final List<AppProcess> started = new ArrayList<>();

    /** A failed test shows what its processes logged. */
    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (AppProcess app : started) System.err.println(app.logTail(300));
        }
    };

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (AppProcess app : started) app.stop();
    }

    @Test
    void aJobWhoseProcessWasKilledFinishesWhenTheAppStartsAgain() throws Exception {
        Path site = AppProcess.freshSite(WORK, "restart");
        AppProcess first = start(site, "app", "instance-restart", true);
        long job = submitJob(first, JOB);
        JsonPath training = awaitJob(first, job, j -> j.getInt("progressDone") >= 2, "be 2 epochs into training");
        assertEquals("running", training.getString("state"));
        assertEquals("TRAINING", training.getString("stage"));
        assertEquals("instance-restart", training.getString("claimedBy"));

        first.kill();
        assertEquals(List.of("RUNNING", "instance-restart"), jobRow(job), "the killed process left the job running");

        AppProcess again = started(first.restart());
        JsonPath done = awaitJob(again, job, j -> j.getBoolean("ended"), "end");
        assertTrue(again.log().contains("Reviving dead execution"), "the restarted process's engine revived the"
                + " training task of the killed one");
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertEquals(5, done.getInt("attempts"), "training twice, evaluation, FGSM, the results");
        assertEquals(List.of("abandoned", "succeeded", "succeeded", "succeeded", "succeeded"),
                done.getList("attemptHistory.outcome"));
        assertEquals(List.of("train the students", "train the students", "student 1: clean evaluation",
                "student 1: FGSM untargeted", "assemble the results"), done.getList("attemptHistory.task"));
        assertEquals(List.of("instance-restart"), done.getList("attemptHistory.instance").stream().distinct()
                .toList());
        assertEquals(List.of(false), done.getList("results.students.reused"), "killed mid-training: trained again");

        JsonPath board = again.api().get("/api/boards/cifar-10/1?mode=untargeted").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> measured = board.getMap("rows.find { it.source == 'measured' }");
        assertEquals("DC", measured.get("method"));
        assertEquals("scoring job #" + job, measured.get("sourceReference"));
        assertEquals("/jobs/" + job, measured.get("sourceUrl"));
        assertTrue(measured.get("crei") instanceof Number, measured.toString());
    }

    @Test
    void twoProcessesSharingOnlyTheDatabaseSplitAJobsTasksAndRankItOnce() throws Exception {
        Path site = AppProcess.freshSite(WORK, "pair");
        AppProcess web = started(new AppProcess(INSTALLATION, site, "web", "instance-web",
                AppProcess.Role.WEB_DATABASE_BLOBS, true, PAIR_PROPERTIES));
        AppProcess worker = started(new AppProcess(INSTALLATION, site, "worker", "instance-worker",
                AppProcess.Role.WORKER_DATABASE_BLOBS, false, PAIR_PROPERTIES));
        long job = submitJob(web, SPLIT_JOB);

        JsonPath done = awaitJob(web, job, j -> j.getBoolean("ended"), "end");
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertTrue(web.alive() && worker.alive(), "both processes ran throughout");
        // Training, two students' evaluations, their FGSM and PGD runs, the results: each run once, and
        // between them the two processes did the job.
        List<String> tasks = done.getList("tasks.label");
        assertEquals(8, tasks.size(), tasks.toString());
        assertEquals(List.of("succeeded"), done.getList("tasks.state").stream().distinct().toList());
        assertEquals(List.of(1), done.getList("tasks.attempts").stream().distinct().toList(), "no task ran twice");
        assertEquals(8, attemptRows(job).size(), "the database holds one attempt per task");
        List<String> instances = done.getList("attemptHistory.instance");
        assertEquals(java.util.Set.of("instance-web", "instance-worker"), new java.util.HashSet<>(instances),
                "both processes did tasks of the job: " + done.getList("attemptHistory"));

        // The students trained by one process reached the other through the database only.
        String trainer = done.getString("tasks.find { it.kind == 'train' }.instance");
        AppProcess reader = trainer.equals("instance-web") ? worker : web;
        assertTrue(instances.subList(1, instances.size()).contains(reader.instanceId()), "the other process attacked"
                + " students it did not train: " + done.getList("attemptHistory"));
        assertTrue(Files.isDirectory(reader.home().resolve("blob-cache/students")), reader.instanceId()
                + " streamed the students from the database");
        for (AppProcess app : List.of(web, worker)) {
            assertFalse(Files.exists(app.home().resolve("trained-models/job-" + job)), app.instanceId()
                    + " wrote no student into a pool folder");
        }
        assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", worker.port()).close(),
                "the worker process serves no HTTP");

        // Assembled and published once: one ranked entry of DC on the board.
        assertEquals(List.of("assemble the results"), done.getList("attemptHistory.task").stream()
                .filter(t -> t.equals("assemble the results")).toList());
        JsonPath board = web.api().get("/api/boards/cifar-10/1?mode=untargeted").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> measured = board.getList("rows.findAll { it.source == 'measured' }");
        assertEquals(1, measured.size(), measured.toString());
        assertEquals("ranked", measured.get(0).get("status"), measured.toString());
        assertEquals("/jobs/" + job, measured.get(0).get("sourceUrl"));
        assertEquals(1, done.getList("results.published").size(), done.getList("results.published").toString());
        System.out.printf(java.util.Locale.ROOT, "job #%d ran %.1f s on two processes: %s%n", job,
                Duration.between(Instant.parse(done.getString("startedAt")),
                        Instant.parse(done.getString("finishedAt"))).toMillis() / 1000.0,
                done.getList("attemptHistory").stream().map(a -> ((Map<?, ?>) a).get("task") + " on "
                        + ((Map<?, ?>) a).get("instance")).toList());
    }

    /** A new process; {@code cleanDatabase}: Flyway empties the shared test database first. */
    private AppProcess start(Path site, String name, String instanceId, boolean cleanDatabase) throws Exception {
        return started(new AppProcess(INSTALLATION, site, name, instanceId, AppProcess.Role.WEB_SHARED_FOLDERS,
                cleanDatabase, WORKER_PROPERTIES));
    }

    private AppProcess started(AppProcess app) throws InterruptedException {
        started.add(app);
        app.awaitReady();
        return app;
    }

    /** Uploads DC's IPC-1 set (the app already imported it: the same entry comes back) and queues the job on it. */
    private static long submitJob(AppProcess app, String job) {
        return app.submitJob(String.format(job, app.uploadDcSet(1)));
    }

    private static JsonPath awaitJob(AppProcess app, long job, Predicate<JsonPath> condition, String what)
            throws InterruptedException {
        return app.awaitJob(job, condition, what, JOB_TIMEOUT);
    }

    /** The job's state and claimer, read from the database (no process is up to ask). */
    private static List<String> jobRow(long job) throws SQLException {
        try (Connection db = DriverManager.getConnection(INSTALLATION.dbUrl(), INSTALLATION.dbUser(), "");
             PreparedStatement query = db.prepareStatement("select state, claimed_by from scoring_job where id = ?")) {
            query.setLong(1, job);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "job #" + job + " is in the database");
                return List.of(row.getString(1), row.getString(2));
            }
        }
    }

    private static List<List<Object>> attemptRows(long job) throws SQLException {
        try (Connection db = DriverManager.getConnection(INSTALLATION.dbUrl(), INSTALLATION.dbUser(), "");
             PreparedStatement query = db.prepareStatement(
                     "select attempt, instance_id from scoring_job_attempt where job_id = ? order by attempt")) {
            query.setLong(1, job);
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) rows.add(List.of((long) row.getInt(1), row.getString(2)));
            }
            return rows;
        }
    }
}
