package dev.bristle.scoring;

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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The scoring worker as real app processes sharing the real PostgreSQL: the packaged PostgreSQL build
 * (target/postgres/quarkus-run.jar, made by the pom's build-postgres execution) started with {@code java -jar}, each
 * process with its own home, HTTP port and worker instance id. A process killed with SIGKILL in the middle of a job
 * and started again finishes the job; a second process never takes a job the first one runs.
 */
class WorkerProcessesIT {

    /** The apps' BRISTLE_ADMIN_TOKEN: the test uploads and queues as their maintainer. */
    private static final String ADMIN_TOKEN = "worker-processes-it-" + System.nanoTime();
    private static final Path APP = Path.of(System.getProperty("it.app", "target/postgres/quarkus-run.jar"));
    private static final Path WORK = Path.of(System.getProperty("it.work.dir", "target/it"));
    private static final Path SHARED = Path.of(System.getProperty("shared.dir", "../shared"));
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
        assertTrue(again.log().contains("1 unfinished job(s) re-queued"), "the restarted process re-queued the job");
        JsonPath done = awaitJob(again, job, j -> j.getBoolean("ended"), "end");
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertEquals(2, done.getInt("attempts"));
        assertEquals(List.of("abandoned", "succeeded"), done.getList("attemptHistory.outcome"));
        assertEquals(List.of("instance-restart", "instance-restart"), done.getList("attemptHistory.instance"));
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
    void aSecondProcessNeverTakesAJobTheFirstRuns() throws Exception {
        Path site = freshSite("pair");
        App a = start(site, "a", "instance-a", true);
        App b = start(site, "b", "instance-b", false);
        long job = submitJob(a);
        JsonPath training = awaitJob(a, job, j -> j.getInt("progressDone") >= 1, "be training");
        String runner = training.getString("claimedBy");
        App running = runner.equals("instance-a") ? a : b;
        App idle = running == a ? b : a;
        // Both pages show who runs it, whichever process serves them.
        for (App app : List.of(a, b)) {
            String page = api(app).get("/jobs/" + job).then().statusCode(200).extract().asString();
            assertTrue(page.contains("running</span> on <span class=\"instance\">" + runner + "</span>"), page);
        }

        JsonPath done = awaitJob(idle, job, j -> j.getBoolean("ended"), "end");
        assertEquals("succeeded", done.getString("state"), done.getString("errorMessage"));
        assertTrue(running.alive() && idle.alive(), "both processes ran throughout");
        assertEquals(1, done.getInt("attempts"), "claimed once");
        assertEquals(List.of(runner), done.getList("attemptHistory.instance"));
        assertEquals(List.of(List.of(1L, runner)), attemptRows(job), "the database holds one attempt");
        // The idle process polled the queue and looked for stale heartbeats every second while the job ran.
        assertFalse(idle.log().contains("job #" + job + " started"), idle.instanceId + " never started the job");
        assertFalse(idle.log().contains("stale heartbeat"), idle.instanceId + " never took the runner for crashed");
        assertFalse(idle.log().contains("polling failed"), idle.instanceId + " polled without failing");
        assertTrue(running.log().contains("job #" + job + " started"));
        System.out.printf(java.util.Locale.ROOT, "job #%d ran %.1f s on %s while %s polled beside it%n", job,
                Duration.between(Instant.parse(done.getString("startedAt")),
                        Instant.parse(done.getString("finishedAt"))).toMillis() / 1000.0, runner, idle.instanceId);
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
        return started(new App(site, name, instanceId, cleanDatabase));
    }

    /** The same app again (home, instance id), as after a crash. */
    private App restart(App app) throws Exception {
        return started(new App(app.site, app.name, app.instanceId, false));
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
        int set = api(app).multiPart("file", SHARED.resolve("data/distilled/DC/res_DC_CIFAR10_ConvNet_1ipc.pt").toFile())
                .multiPart("method", "DC").multiPart("dataset", "CIFAR-10").multiPart("ipc", "1")
                .multiPart("normalization", "mean-std")
                .post("/api/datasets").then().statusCode(200).extract().path("dataset.id");
        return api(app).contentType("application/json").body(String.format(JOB, set)).post("/api/jobs")
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
        final int port;
        final Path log;
        final Process process;

        App(Path site, String name, String instanceId, boolean cleanDatabase) throws IOException {
            if (!Files.isRegularFile(APP)) {
                throw new IllegalStateException(APP + " is missing: the pom's build-postgres execution makes it (mvn"
                        + " verify)");
            }
            this.site = site;
            this.name = name;
            this.instanceId = instanceId;
            this.port = freePort();
            Path home = Files.createDirectories(site.resolve(name));
            this.log = Files.createTempFile(home, "app-", ".log").toAbsolutePath();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx2g", "-Dai.djl.offline=true", "-Dquarkus.profile=postgres",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dbristle.data-dir=" + SHARED.resolve("data").toAbsolutePath(),
                    "-Dbristle.dataset-pool-dir=" + site.resolve("dataset-pool"),
                    "-Dbristle.trained-model-dir=" + site.resolve("trained-models"),
                    "-Dbristle.worker.instance-id=" + instanceId,
                    "-Dbristle.worker.poll-seconds=1",
                    "-Dbristle.worker.stale-seconds=" + STALE_SECONDS));
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

        void awaitReady() throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!alive()) fail(instanceId + " exited (" + process.exitValue() + ") while starting:\n" + logTail(100));
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
