package dev.bristle.bench;

import dev.bristle.scoring.AppProcess;
import io.restassured.path.json.JsonPath;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * One job's time on one worker against two (not a test: it prints, it does not judge), and the job's cost estimate
 * against the time it took. Starts the packaged PostgreSQL build as real processes on the database DB_URL, which it
 * empties (give it a database of its own): the web app (its own worker off) and `bristle worker` processes with one
 * PyTorch thread each, blobs in the database. A short calibration job (a tenth of the test images) lets the first
 * worker measure its pass rates, as an installation's workers have from earlier jobs; then the job runs on that
 * worker alone and, after the calibration job has warmed up a second worker too, again on both. Before each run it asks {@code POST /api/jobs/estimate} (the "Score
 * this set" page's estimate) for the hours on the live workers; after it, it prints the job's time (first claim to
 * end), the workers' CPU time, the estimate's error and the load average, and the two-worker run's share of the
 * one-worker run's time (issue 21's goal: at most 0.6) and of its busiest worker's CPU time (the steadier figure on
 * a shared machine).
 *
 * <p>{@code ./mvnw -B -q verify -DskipTests -DskipITs && ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.bristle.bench.FleetBenchmark -Dbench.args="DB_URL [STUDENTS TEST_IMAGES ATTACKS [-Doption
 * ...]]"}; defaults 2 students of DC's CIFAR-10 IPC-1 set (11 epochs), the first 932 exact test images, FGSM,PGD
 * untargeted; the options after them go to every process (a shard size, say).
 */
public final class FleetBenchmark {

    private static final Path APP = Path.of("target", "postgres", "quarkus-run.jar");
    private static final Path WORK = Path.of("target", "bench-fleet");
    private static final Duration JOB_TIMEOUT = Duration.ofHours(2);
    private static final String JOB = "{\"datasetId\": %d, \"epochs\": 10, \"students\": %d, \"testLimit\": %d,"
            + " \"attacks\": [%s], \"modes\": [\"untargeted\"]}";

    private final AppProcess.Installation installation;
    private final Path site;
    /** -D options of every process. */
    private final List<String> options;
    private final List<String> workerOptions;
    private final List<AppProcess> started = new ArrayList<>();
    private AppProcess web;

    private FleetBenchmark(String dbUrl, List<String> options) throws IOException {
        this.installation = new AppProcess.Installation(APP, dbUrl, "postgres", Path.of("target", "djl-cache"),
                "fleet-benchmark-" + System.nanoTime());
        this.site = AppProcess.freshSite(WORK, "run");
        this.options = List.copyOf(options);
        this.workerOptions = Stream.concat(Stream.of("-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1"), options.stream()).toList();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !args[0].startsWith("jdbc:postgresql:")) {
            System.err.println("usage: FleetBenchmark DB_URL [STUDENTS TEST_IMAGES ATTACKS [-Doption ...]]"
                    + " (the database is emptied: give it one of its own)");
            System.exit(2);
        }
        int students = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int images = args.length > 2 ? Integer.parseInt(args[2]) : 932;
        String attacks = args.length > 3 ? args[3] : "FGSM,PGD";
        List<String> options = args.length > 4 ? Arrays.asList(args).subList(4, args.length) : List.of();
        FleetBenchmark bench = new FleetBenchmark(args[0], options);
        try {
            bench.run(students, images, attacks);
        } finally {
            for (AppProcess app : bench.started) app.stop();
        }
    }

    private void run(int students, int images, String attacks) throws Exception {
        web = start("web", AppProcess.Role.WEB_DATABASE_BLOBS, true, Stream.concat(
                Stream.of("-Dbristle.worker.enabled=false"), options.stream()).toList());
        AppProcess first = start("worker-1", AppProcess.Role.WORKER_DATABASE_BLOBS, false, workerOptions);
        long set = web.uploadDcSet(1);
        String quoted = String.join(", ", Arrays.stream(attacks.split(",")).map(a -> "\"" + a.trim() + "\"")
                .toList());
        String job = String.format(Locale.ROOT, JOB, set, students, images, quoted);
        System.out.printf(Locale.ROOT, "job: %s; worker options: %s%n", job, workerOptions);

        String calibrationJob = String.format(Locale.ROOT, JOB, set, students, Math.max(20, images / 10), quoted);
        Run calibration = run(calibrationJob, List.of(first));
        System.out.printf(Locale.ROOT, "calibration job (%d test images): %.1f s%n", Math.max(20, images / 10),
                calibration.seconds());
        System.out.println();
        System.out.println("| workers | tasks | job s | estimate s | estimate error | CPU s per worker | load before"
                + " / after |");
        System.out.println("|---:|---:|---:|---:|---:|---|---|");
        Run one = run(job, List.of(first));
        System.out.println(one.row());
        AppProcess second = start("worker-2", AppProcess.Role.WORKER_DATABASE_BLOBS, false, workerOptions);
        // A fresh JVM's first tasks are seconds slower (class loading, JIT, PyTorch's first calls); the first worker
        // had its calibration job, so the second gets one too before it is timed, as a fleet's long-lived workers.
        Run warmUp = run(calibrationJob, List.of(first, second));
        Run two = run(job, List.of(first, second));
        System.out.println(two.row());
        System.out.printf(Locale.ROOT, "%nthe second worker's warm-up: the calibration job on both workers, %.1f s"
                + " (its CPU s %s)%n", warmUp.seconds(), Arrays.toString(warmUp.cpuSeconds()));
        double busiest = Arrays.stream(two.cpuSeconds()).max().orElseThrow();
        double total = Arrays.stream(two.cpuSeconds()).sum();
        System.out.printf(Locale.ROOT, "two workers / one: time %.2fx (goal at most 0.6x); busiest worker's CPU"
                        + " %.2fx, both workers' CPU %.2fx of the one worker's%n", two.seconds() / one.seconds(),
                busiest / one.cpuSeconds()[0], total / one.cpuSeconds()[0]);
    }

    private AppProcess start(String name, AppProcess.Role role, boolean clean, List<String> options)
            throws Exception {
        AppProcess app = new AppProcess(installation, site, name, "bench-" + name, role, clean, options);
        started.add(app);
        app.awaitReady();
        return app;
    }

    /**
     * One job on {@code workers}, the only live ones.
     *
     * @param estimate   the estimate's seconds before it was queued (null: none)
     * @param seconds    the job's time, from its first claim to its end
     * @param cpuSeconds each worker's CPU time over the job
     */
    private record Run(int workers, int tasks, Double estimate, double seconds, double[] cpuSeconds, double loadBefore,
                       double loadAfter) {

        String row() {
            return String.format(Locale.ROOT, "| %d | %d | %.1f | %s | %s | %s | %s / %s |", workers, tasks, seconds,
                    estimate == null ? "none" : String.format(Locale.ROOT, "%.1f", estimate),
                    estimate == null ? "-" : String.format(Locale.ROOT, "%+.0f %%", 100 * (estimate / seconds - 1)),
                    String.join(", ", Arrays.stream(cpuSeconds).mapToObj(c -> String.format(Locale.ROOT, "%.1f", c))
                            .toList()), String.format(Locale.ROOT, "%.1f", loadBefore),
                    String.format(Locale.ROOT, "%.1f", loadAfter));
        }
    }

    private Run run(String job, List<AppProcess> workers) throws Exception {
        JsonPath estimate = estimate(job, workers.size());
        Double hours = estimate.get("chosen.hours") == null ? null : estimate.getDouble("chosen.hours");
        double loadBefore = loadAverage();
        double[] cpu = workers.stream().mapToDouble(w -> seconds(w.cpuTime())).toArray();
        long id = web.submitJob(job);
        JsonPath done = web.awaitJob(id, j -> j.getBoolean("ended"), "end", JOB_TIMEOUT);
        if (!"succeeded".equals(done.getString("state"))) {
            throw new IllegalStateException("job #" + id + " " + done.getString("state") + ": "
                    + done.getString("errorMessage"));
        }
        for (int i = 0; i < cpu.length; i++) cpu[i] = seconds(workers.get(i).cpuTime()) - cpu[i];
        double seconds = seconds(Duration.between(Instant.parse(done.getString("startedAt")),
                Instant.parse(done.getString("finishedAt"))));
        return new Run(workers.size(), done.getList("tasks").size(), hours == null ? null : hours * 3600, seconds,
                cpu, loadBefore, loadAverage());
    }

    /** The estimate once it counts {@code workers} live workers (a worker is seen at its first poll). */
    private JsonPath estimate(String job, int workers) throws InterruptedException {
        for (int tries = 0; ; tries++) {
            JsonPath estimate = web.api().contentType("application/json").body(job).post("/api/jobs/estimate")
                    .then().statusCode(200).extract().jsonPath();
            if (estimate.getInt("fleet.workers") == workers) return estimate;
            if (tries == 60) {
                throw new IllegalStateException("the estimate counts " + estimate.getInt("fleet.workers")
                        + " live workers, not " + workers);
            }
            Thread.sleep(500);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}
