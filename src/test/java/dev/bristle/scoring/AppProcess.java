package dev.bristle.scoring;

import dev.bristle.ml.SharedData;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;

/**
 * One Bristle app process of the packaged PostgreSQL build (target/postgres/quarkus-run.jar, made by the pom's
 * build-postgres execution), started with {@code java -jar} on its own HTTP port, home and worker instance id, its
 * output in a log file: the integration tests and benchmarks that run the app as real processes on a real
 * PostgreSQL start theirs through it.
 */
public final class AppProcess {

    private static final Path SHARED = SharedData.folder();
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /** How a process is started. */
    public enum Role {
        /** The web app and its worker; pool files in folders the processes share (as one volume). */
        WEB_SHARED_FOLDERS,
        /** The web app and its worker; blobs in the database, nothing shared but the database. */
        WEB_DATABASE_BLOBS,
        /** ./bristle worker: tasks only, no HTTP; blobs in the database. */
        WORKER_DATABASE_BLOBS
    }

    /**
     * What every process of one test or benchmark shares.
     *
     * @param app        the packaged PostgreSQL build
     * @param dbUrl      the PostgreSQL database they all use (Flyway empties it when a process is started clean)
     * @param dbUser     its user (no password)
     * @param djlCache   DJL's cache folder, where the native PyTorch library is unpacked once
     * @param adminToken the processes' BRISTLE_ADMIN_TOKEN: the caller uploads and queues as their maintainer
     */
    public record Installation(Path app, String dbUrl, String dbUser, Path djlCache, String adminToken) {

        /** As the pom's failsafe configuration passes it to the integration tests (it.app, it.postgres.url, ...). */
        public static Installation fromItProperties(String tokenPrefix) {
            return new Installation(Path.of(System.getProperty("it.app", "target/postgres/quarkus-run.jar")),
                    System.getProperty("it.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test"),
                    System.getProperty("it.postgres.user", "postgres"),
                    Path.of(System.getProperty("it.djl.cache", "target/djl-cache")),
                    tokenPrefix + "-" + System.nanoTime());
        }
    }

    private final Installation installation;
    private final Path site;
    private final String name;
    private final String instanceId;
    private final Role role;
    private final List<String> properties;
    private final int port;
    private final Path log;
    private final Process process;

    /**
     * Starts a process (without waiting for it: {@link #awaitReady()}).
     *
     * @param site          the folder of the test's processes ({@link #freshSite}); this one's home is {@code name}
     *                      in it
     * @param cleanDatabase whether Flyway empties the database first
     * @param properties    further {@code -D} options of the JVM (worker settings, scaled official settings, ...)
     */
    public AppProcess(Installation installation, Path site, String name, String instanceId, Role role,
                      boolean cleanDatabase, List<String> properties) throws IOException {
        if (!Files.isRegularFile(installation.app())) {
            throw new IllegalStateException(installation.app() + " is missing: the pom's build-postgres execution"
                    + " makes it (mvn verify)");
        }
        this.installation = installation;
        this.site = site;
        this.name = name;
        this.instanceId = instanceId;
        this.role = role;
        this.properties = List.copyOf(properties);
        this.port = freePort();
        Path home = Files.createDirectories(home());
        this.log = Files.createTempFile(home, "app-", ".log").toAbsolutePath();
        ProcessBuilder builder = new ProcessBuilder(command(home, cleanDatabase)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.put("BRISTLE_HOME", home.toString());
        env.put("BRISTLE_ADMIN_TOKEN", installation.adminToken());
        env.put("BRISTLE_DB_URL", installation.dbUrl());
        env.put("BRISTLE_DB_USER", installation.dbUser());
        env.put("DJL_OFFLINE", "true");
        env.put("DJL_CACHE_DIR", installation.djlCache().toAbsolutePath().toString());
        env.put("MALLOC_ARENA_MAX", "1");
        env.put("MALLOC_MMAP_MAX_", "0");
        env.put("MALLOC_TRIM_THRESHOLD_", "68719476736");
        this.process = builder.start();
    }

    private List<String> command(Path home, boolean cleanDatabase) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true",
                "-Dquarkus.profile=postgres" + (role == Role.WORKER_DATABASE_BLOBS ? ",worker" : ""),
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dbristle.worker.instance-id=" + instanceId,
                "-Dbristle.worker.poll-seconds=1"));
        if (role == Role.WEB_SHARED_FOLDERS) {
            command.addAll(List.of("-Dbristle.data-dir=" + SHARED.resolve("data").toAbsolutePath(),
                    "-Dbristle.dataset-pool-dir=" + site.resolve("dataset-pool"),
                    "-Dbristle.trained-model-dir=" + site.resolve("trained-models")));
        } else {
            // Pool folders under each home (the defaults), blobs in the database; a data folder of its own with
            // the exact official test images (the web process also finds DC's sets there to import).
            command.add("-Dbristle.blob-store=database");
            command.add("-Dbristle.data-dir=" + exactTestData(home, role == Role.WEB_DATABASE_BLOBS));
        }
        if (cleanDatabase) {
            // Whatever earlier tests left in the shared test database (queued jobs above all) goes first.
            command.addAll(List.of("-Dquarkus.flyway.clean-at-start=true", "-Dquarkus.flyway.clean-disabled=false"));
        }
        command.addAll(properties);
        command.addAll(List.of("-jar", installation.app().toAbsolutePath().toString()));
        return command;
    }

    /** The same app again (home, instance id, options), as after a crash; the database is kept. */
    public AppProcess restart() throws IOException {
        return new AppProcess(installation, site, name, instanceId, role, false, properties);
    }

    /**
     * An empty folder {@code name} under {@code work} for one test's processes: a home each, and the dataset and
     * trained-model pools they share (instances sharing a database must share those files, as they would share a
     * volume).
     */
    public static Path freshSite(Path work, String name) throws IOException {
        Path site = work.resolve(name).toAbsolutePath();
        if (Files.exists(site)) {
            try (Stream<Path> paths = Files.walk(site)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
            }
        }
        return Files.createDirectories(site);
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

    public String instanceId() {
        return instanceId;
    }

    public int port() {
        return port;
    }

    public Path home() {
        return site.resolve(name);
    }

    /** Waits until the web app answers, or a worker process says it polls. */
    public void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new AssertionError(instanceId + " exited (" + process.exitValue() + ") while starting:\n"
                        + logTail(100));
            }
            if (role == Role.WORKER_DATABASE_BLOBS) {
                // No HTTP to ask: the job engine says when it polls.
                if (log().contains("job engine: " + instanceId + " runs")) return;
            } else {
                try {
                    if (api().get("/api/jobs").statusCode() == 200) return;
                } catch (Exception notListeningYet) {
                    // Connection refused (thrown undeclared by REST Assured) until Quarkus has started.
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(instanceId + " did not start within " + START_TIMEOUT.toSeconds() + " s:\n"
                + logTail(100));
    }

    /** A request to this (web) process as the maintainer. */
    public RequestSpecification api() {
        return given().baseUri("http://127.0.0.1").port(port)
                .header("Authorization", "Bearer " + installation.adminToken());
    }

    /** Uploads DC's CIFAR-10 set of {@code ipc} (the app already imported it: the same entry comes back); its id. */
    public long uploadDcSet(int ipc) {
        return api().multiPart("file", SharedData.dcCifar10(ipc).toFile())
                .multiPart("method", "DC").multiPart("dataset", "CIFAR-10").multiPart("ipc", String.valueOf(ipc))
                .multiPart("normalization", "mean-std")
                .post("/api/datasets").then().statusCode(200).extract().<Integer>path("dataset.id");
    }

    /** Queues a job of the JSON settings {@code json}; its id. */
    public long submitJob(String json) {
        return api().contentType("application/json").body(json).post("/api/jobs")
                .then().statusCode(201).extract().<Integer>path("id");
    }

    /**
     * Polls job {@code job} until {@code condition} holds; fails when it does not within {@code timeout}, when this
     * process exits, or when the job ends first ({@code what} says what was awaited: "end" awaits the end).
     */
    public JsonPath awaitJob(long job, Predicate<JsonPath> condition, String what, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            if (!alive()) {
                throw new AssertionError(instanceId + " exited (" + process.exitValue() + ") while waiting for job #"
                        + job + " to " + what);
            }
            Response response = api().get("/api/jobs/" + job);
            if (response.statusCode() == 200) {
                last = response.jsonPath();
                if (condition.test(last)) return last;
                if (last.getBoolean("ended") && !what.equals("end")) {
                    throw new AssertionError("job #" + job + " ended before it could " + what + ": "
                            + response.asString());
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("job #" + job + " did not " + what + " within " + timeout.toSeconds()
                + " s; last seen: " + (last == null ? "nothing" : last.prettify()));
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The CPU time the process has spent so far (user and system); zero once it has exited. */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** SIGKILL: no shut-down hook runs, what it held stays claimed in the database as after a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM, then SIGKILL if it has not shut down within 45 s. */
    public void stop() throws InterruptedException {
        if (!alive()) return;
        process.destroy();
        if (!process.waitFor(Duration.ofSeconds(45).toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    public String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    public String logTail(int lines) {
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
