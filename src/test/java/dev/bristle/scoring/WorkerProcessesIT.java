package dev.bristle.scoring;

import dev.bristle.ml.SharedData;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scoring worker as real app processes sharing the real PostgreSQL: the packaged PostgreSQL build
 * (target/postgres/quarkus-run.jar, made by the pom's build-postgres execution) started with {@code java -jar}, each
 * process with its own home, HTTP port and worker instance id. A process killed with SIGKILL in the middle of a job
 * and started again finishes the job; two processes that share nothing but the database (blobs in the database, a
 * worker-only process beside a web one) split one job's tasks between them, and the job is ranked once.
 */
class WorkerProcessesIT {

    /** The apps' BRISTLE_ADMIN_TOKEN: the test uploads and queues as their maintainer. */
    private static final String ADMIN_TOKEN = "worker-processes-it-" + System.nanoTime();
    private static final Path APP = Path.of(System.getProperty("it.app", "target/postgres/quarkus-run.jar"));
    private static final Path WORK = Path.of(System.getProperty("it.work.dir", "target/it"));
    private static final Path SHARED = SharedData.folder();
    private static final String DB_URL = System.getProperty("it.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String DB_USER = System.getProperty("it.postgres.user", "postgres");
    private static final Path DJL_CACHE = Path.of(System.getProperty("it.djl.cache", "target/djl-cache"));
    /**
     * Heartbeats every stale / 4 = 3 s; a process silent for 12 s is taken as crashed. Shorter than a job here, so the
     * idle process of the pair judges the runner's heartbeat several times; not so short that a loaded machine's
     * pauses pass for a crash.
     */
    private static final int STALE_SECONDS = 12;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(5);
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

    /** How a process is started. */
    private enum Role {
        /** The web app and its worker; pool files in folders the processes share (as one volume). */
        WEB_SHARED_FOLDERS,
        /** The web app and its worker; blobs in the database, nothing shared but the database. */
        WEB_DATABASE_BLOBS,
        /** ./bristle worker: tasks only, no HTTP; blobs in the database. */
        WORKER_DATABASE_BLOBS
    }

    private final List<App> started = new ArrayList<>();

    /** A failed test shows what its processes logged. */
    @RegisterExtension
    final TestWatcher logsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (App app : started) System.err.println(app.logTail(300));
        }
    };

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (App app : started) app.stop();
    }

    @Test
    void aJobWhoseProcessWasKilledFinishesWhenTheAppStartsAgain() throws Exception {
        Path site = freshSite("restart");
        App first = start(site, "app", "instance-restart", true);
        long job = submitJob(first);
        JsonPath training = awaitJob(first, job, j -> j.getInt("progressDone") >= 2, "be 2 epochs into training");
        assertEquals("running", training.getString("state"));
        assertEquals("TRAINING", training.getString("stage"));
        assertEquals("instance-restart", training.getString("claimedBy"));

        first.kill();
        assertEquals(List.of("RUNNING", "instance-restart"), jobRow(job), "the killed process left the job running");

        App again = restart(first);
        assertTrue(again.log().contains("1 unfinished task(s) re-queued"), "the restarted process re-queued the"
                + " training task");
        JsonPath done = awaitJob(again, job, j -> j.getBoolean("ended"), "end");
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertEquals(5, done.getInt("attempts"), "training twice, evaluation, FGSM, the results");
        assertEquals(List.of("abandoned", "succeeded", "succeeded", "succeeded", "succeeded"),
                done.getList("attemptHistory.outcome"));
        assertEquals(List.of("train the students", "train the students", "student 1: clean evaluation",
                "student 1: FGSM untargeted", "assemble the results"), done.getList("attemptHistory.task"));
        assertEquals(List.of("instance-restart"), done.getList("attemptHistory.instance").stream().distinct()
                .toList());
        assertEquals(List.of(false), done.getList("results.students.reused"), "killed mid-training: trained again");

        JsonPath board = api(again).get("/api/boards/cifar-10/1?mode=untargeted").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> measured = board.getMap("rows.find { it.source == 'measured' }");
        assertEquals("DC", measured.get("method"));
        assertEquals("scoring job #" + job, measured.get("sourceReference"));
        assertEquals("/jobs/" + job, measured.get("sourceUrl"));
        assertTrue(measured.get("crei") instanceof Number, measured.toString());
    }

    @Test
    void twoProcessesSharingOnlyTheDatabaseSplitAJobsTasksAndRankItOnce() throws Exception {
        Path site = freshSite("pair");
        App web = started(new App(site, "web", "instance-web", true, Role.WEB_DATABASE_BLOBS));
        App worker = started(new App(site, "worker", "instance-worker", false, Role.WORKER_DATABASE_BLOBS));
        long job = submitJob(web, SPLIT_JOB);

        JsonPath done = awaitJob(web, job, j -> j.getBoolean("ended"), "end");
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertTrue(web.alive() && worker.alive(), "both processes ran throughout");
        // Training, two students' evaluations, their FGSM and PGD runs, the results: each claimed once, and
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
        App reader = trainer.equals("instance-web") ? worker : web;
        assertTrue(instances.subList(1, instances.size()).contains(reader.instanceId), "the other process attacked"
                + " students it did not train: " + done.getList("attemptHistory"));
        assertTrue(Files.isDirectory(reader.home().resolve("blob-cache/students")), reader.instanceId
                + " streamed the students from the database");
        for (App app : List.of(web, worker)) {
            assertFalse(Files.exists(app.home().resolve("trained-models/job-" + job)), app.instanceId
                    + " wrote no student into a pool folder");
        }
        assertThrows(java.net.ConnectException.class, () -> new java.net.Socket("127.0.0.1", worker.port).close(),
                "the worker process serves no HTTP");

        // Assembled and published once: one ranked entry of DC on the board.
        assertEquals(List.of("assemble the results"), done.getList("attemptHistory.task").stream()
                .filter(t -> t.equals("assemble the results")).toList());
        JsonPath board = api(web).get("/api/boards/cifar-10/1?mode=untargeted").then().statusCode(200)
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

    /**
     * An empty folder for one test's processes: a home each, and the dataset and trained-model pools they share
     * (instances sharing a database must share those files, as they would share a volume).
     */
    private static Path freshSite(String name) throws IOException {
        Path site = WORK.resolve(name).toAbsolutePath();
        deleteRecursively(site);
        return Files.createDirectories(site);
    }

    /** A new process; {@code cleanDatabase}: Flyway empties the shared test database first. */
    private App start(Path site, String name, String instanceId, boolean cleanDatabase) throws Exception {
        return started(new App(site, name, instanceId, cleanDatabase, Role.WEB_SHARED_FOLDERS));
    }

    /** The same app again (home, instance id), as after a crash. */
    private App restart(App app) throws Exception {
        return started(new App(app.site, app.name, app.instanceId, false, app.role));
    }

    private App started(App app) throws InterruptedException {
        started.add(app);
        app.awaitReady();
        return app;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) return;
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }

    /** Uploads DC's IPC-1 set (the app already imported it: the same entry comes back) and queues the job on it. */
    private static long submitJob(App app) {
        return submitJob(app, JOB);
    }

    private static long submitJob(App app, String job) {
        int set = api(app).multiPart("file", SharedData.dcCifar10(1).toFile())
                .multiPart("method", "DC").multiPart("dataset", "CIFAR-10").multiPart("ipc", "1")
                .multiPart("normalization", "mean-std")
                .post("/api/datasets").then().statusCode(200).extract().path("dataset.id");
        return api(app).contentType("application/json").body(String.format(job, set)).post("/api/jobs")
                .then().statusCode(201).extract().<Integer>path("id");
    }

    private static JsonPath awaitJob(App app, long job, Predicate<JsonPath> condition, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            if (!app.alive()) fail(app.instanceId + " exited (" + app.process.exitValue() + ") while waiting for job #" + job
                    + " to " + what);
            Response response = api(app).get("/api/jobs/" + job);
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (condition.test(last)) return last;
                if (last.getBoolean("ended") && !what.equals("end")) {
                    fail("job #" + job + " ended before it could " + what + ": " + response.asString());
                }
            }
            Thread.sleep(250);
        }
        fail("job #" + job + " did not " + what + " within " + JOB_TIMEOUT.toSeconds() + " s; last seen: "
                + (last == null ? "nothing" : last.prettify()));
        return last;
    }

    private static RequestSpecification api(App app) {
        return given().baseUri("http://127.0.0.1").port(app.port).header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** The job's state and claimer, read from the database (no process is up to ask). */
    private static List<String> jobRow(long job) throws SQLException {
        try (Connection db = DriverManager.getConnection(DB_URL, DB_USER, "");
             PreparedStatement query = db.prepareStatement("select state, claimed_by from scoring_job where id = ?")) {
            query.setLong(1, job);
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "job #" + job + " is in the database");
                return List.of(row.getString(1), row.getString(2));
            }
        }
    }

    private static List<List<Object>> attemptRows(long job) throws SQLException {
        try (Connection db = DriverManager.getConnection(DB_URL, DB_USER, "");
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

    /** One app process: the PostgreSQL build on its own port, home and instance id, its output in a log file. */
    private static final class App {
        final Path site;
        final String name;
        final String instanceId;
        final Role role;
        final int port;
        final Path log;
        final Process process;

        App(Path site, String name, String instanceId, boolean cleanDatabase, Role role) throws IOException {
            if (!Files.isRegularFile(APP)) {
                throw new IllegalStateException(APP + " is missing: the pom's build-postgres execution makes it (mvn"
                        + " verify)");
            }
            this.site = site;
            this.name = name;
            this.instanceId = instanceId;
            this.role = role;
            this.port = freePort();
            Path home = Files.createDirectories(site.resolve(name));
            this.log = Files.createTempFile(home, "app-", ".log").toAbsolutePath();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-Dai.djl.offline=true",
                    "-Dquarkus.profile=postgres" + (role == Role.WORKER_DATABASE_BLOBS ? ",worker" : ""),
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dbristle.worker.instance-id=" + instanceId,
                    "-Dbristle.worker.poll-seconds=1",
                    "-Dbristle.worker.stale-seconds=" + STALE_SECONDS));
            if (role == Role.WEB_SHARED_FOLDERS) {
                command.addAll(List.of("-Dbristle.data-dir=" + SHARED.resolve("data").toAbsolutePath(),
                        "-Dbristle.dataset-pool-dir=" + site.resolve("dataset-pool"),
                        "-Dbristle.trained-model-dir=" + site.resolve("trained-models")));
            } else {
                // Pool folders under each home (the defaults), blobs in the database; a data folder of its own with
                // the exact official test images (the web process also finds DC's sets there to import).
                command.add("-Dbristle.blob-store=database");
                command.add("-Dbristle.data-dir=" + exactTestData(home, role == Role.WEB_DATABASE_BLOBS));
                command.addAll(SCALED_OFFICIAL);
            }
            if (cleanDatabase) {
                // Whatever earlier tests left in the shared test database (queued jobs above all) goes first.
                command.addAll(List.of("-Dquarkus.flyway.clean-at-start=true", "-Dquarkus.flyway.clean-disabled=false"));
            }
            command.addAll(List.of("-jar", APP.toAbsolutePath().toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).directory(home.toFile());
            Map<String, String> env = builder.environment();
            env.put("BRISTLE_HOME", home.toString());
            env.put("BRISTLE_ADMIN_TOKEN", ADMIN_TOKEN);
            env.put("BRISTLE_DB_URL", DB_URL);
            env.put("BRISTLE_DB_USER", DB_USER);
            env.put("DJL_OFFLINE", "true");
            env.put("DJL_CACHE_DIR", DJL_CACHE.toAbsolutePath().toString());
            env.put("MALLOC_ARENA_MAX", "1");
            env.put("MALLOC_MMAP_MAX_", "0");
            env.put("MALLOC_TRIM_THRESHOLD_", "68719476736");
            this.process = builder.start();
        }

        /** A data folder in {@code home}: the exact first 932 official CIFAR-10 test images, and DC's sets. */
        private static Path exactTestData(Path home, boolean withDistilledSets) throws IOException {
            Path data = Files.createDirectories(home.resolve("data"));
            Files.createDirectories(data.resolve("cifar-10-batches-bin"));
            Files.createSymbolicLink(data.resolve("cifar-10-batches-bin/test_batch.bin"),
                    SHARED.resolve("data/cifar-10-partial-official/test_first932.bin").toAbsolutePath());
            if (withDistilledSets) {
                Files.createSymbolicLink(data.resolve("distilled"), SHARED.resolve("data/distilled").toAbsolutePath());
            }
            return data;
        }

        Path home() {
            return site.resolve(name);
        }

        void awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!alive()) fail(instanceId + " exited (" + process.exitValue() + ") while starting:\n" + logTail(100));
                if (role == Role.WORKER_DATABASE_BLOBS) {
                    // No HTTP to ask: the worker says when it polls.
                    if (log().contains("scoring worker " + instanceId + ": polling")) return;
                    Thread.sleep(250);
                    continue;
                }
                try {
                    if (api(this).get("/api/jobs").statusCode() == 200) return;
                } catch (Exception notListeningYet) {
                    // Connection refused (thrown undeclared by REST Assured) until Quarkus has started.
                }
                Thread.sleep(250);
            }
            fail(instanceId + " did not answer on port " + port + " within " + START_TIMEOUT.toSeconds() + " s");
        }

        boolean alive() {
            return process.isAlive();
        }

        /** SIGKILL: no shut-down hook runs, the job stays RUNNING in the database as after a crash. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        void stop() throws InterruptedException {
            if (!alive()) return;
            process.destroy();
            if (!process.waitFor(Duration.ofSeconds(45).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e.getMessage() + ")";
            }
        }

        String logTail(int lines) {
            List<String> all = log().lines().toList();
            return "---- " + instanceId + " (" + log + "), last " + Math.min(lines, all.size()) + " lines ----\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }
}
