package dev.bristle.bench;

import dev.bristle.ml.SharedData;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Readers of a public board while a scoring job uses the cores (not a test: it prints, it does not judge). Starts the
 * packaged app (target/quarkus-app, H2, a fresh home under target/bench-board, its own admin token) or uses one
 * already running on this machine, queues a real scoring job on DC's CIFAR-10 IPC-10 set through the API as a
 * maintainer, waits until it trains, then drives READERS concurrent readers of the IPC-10 board page, each asking
 * again as soon as it has its answer, in two phases bounded by REQUESTS and SECONDS each: new readers (no ETag: every
 * answer rendered) and repeat readers (each sends back the ETag it got: 304 unless the board changed). Prints per phase
 * the requests per second, the latency percentiles, the share of 304 answers and the load average, then cancels the
 * job. Loopback addresses only.
 *
 * <p>{@code ./mvnw -B -q package -DskipTests && ./mvnw -B -q -Pbench test-compile exec:exec
 * -Dbench.main=dev.bristle.bench.BoardLoadBenchmark -Dbench.args="[URL] [READERS REQUESTS SECONDS]"}; defaults 200
 * readers, 20,000 requests, 30 s. With a URL, BRISTLE_ADMIN_TOKEN holds the app's admin token.
 */
public final class BoardLoadBenchmark {

    private static final String BOARD = "/boards/cifar-10/10?mode=untargeted";
    private static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Path HOME = Path.of("target", "bench-board");
    private static final Path SHARED = SharedData.folder();
    /** Long enough to train through both phases (about 0.4 s per epoch on a quiet 2-core machine); cancelled after. */
    private static final String JOB = "{\"datasetId\": %d, \"epochs\": 1000, \"students\": 1, \"testLimit\": 1000,"
            + " \"attacks\": [\"FGSM\", \"PGD\"], \"modes\": [\"untargeted\"]}";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final HttpClient http;
    private final String base;
    private final String token;

    private BoardLoadBenchmark(String base, String token) {
        this.base = base;
        this.token = token;
        // The client's default executor grows with the readers: a small fixed one queues the bodies it delivers.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static void main(String[] args) throws Exception {
        boolean external = args.length > 0 && args[0].startsWith("http");
        List<String> numbers = Arrays.asList(args).subList(external ? 1 : 0, args.length);
        int readers = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 200;
        int requests = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 20_000;
        int seconds = numbers.size() > 2 ? Integer.parseInt(numbers.get(2)) : 30;
        Process app = null;
        String base;
        String token;
        if (external) {
            base = args[0].replaceAll("/+$", "");
            token = System.getenv("BRISTLE_ADMIN_TOKEN");
            if (token == null || token.isBlank()) throw new IllegalArgumentException("set BRISTLE_ADMIN_TOKEN");
        } else {
            token = "bench-" + UUID.randomUUID();
            int port = freePort();
            base = "http://127.0.0.1:" + port;
            app = start(port, token);
        }
        String host = URI.create(base).getHost();
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("[::1]")) {
            throw new IllegalArgumentException("loopback only, not " + host);
        }
        try {
            BoardLoadBenchmark bench = new BoardLoadBenchmark(base, token);
            bench.awaitReady(app);
            bench.run(readers, requests, seconds);
        } finally {
            if (app != null) {
                app.destroy();
                app.waitFor();
            }
            System.exit(0);
        }
    }

    private void run(int readers, int requests, int seconds) throws Exception {
        long set = dcSet();
        long job = id(send("POST", "/api/jobs", String.format(Locale.ROOT, JOB, set)).body());
        System.out.printf(Locale.ROOT, "job #%d queued on set #%d; waiting for it to train%n", job, set);
        String state = awaitTraining(job);
        System.out.println("job #" + job + ": " + state);
        // The JIT and the caches warm up on a few thousand requests, not counted.
        drive(readers, 3_000, 20, false);
        try {
            for (boolean repeat : List.of(false, true)) {
                String load = loadAverage();
                Phase phase = drive(readers, requests, seconds, repeat);
                System.out.printf(Locale.ROOT, "%s readers x %d, %s: %d requests in %.1f s = %.0f/s; latency ms p50 %.1f"
                                + " p95 %.1f p99 %.1f max %.1f; 304: %.0f %%; errors %d; load average %s -> %s; job: %s%n",
                        repeat ? "repeat" : "new", readers, BOARD, phase.count(), phase.seconds(),
                        phase.count() / phase.seconds(), phase.percentile(50), phase.percentile(95),
                        phase.percentile(99), phase.percentile(100), 100.0 * phase.notModified() / phase.count(),
                        phase.errors(), load, loadAverage(), jobState(job));
            }
        } finally {
            send("POST", "/api/jobs/" + job + "/cancel", null);
        }
    }

    /** One phase's answers: latencies in nanoseconds. */
    record Phase(long[] nanos, int count, int notModified, int errors, double seconds) {
        double percentile(double p) {
            long[] sorted = Arrays.copyOf(nanos, count);
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100 * count) - 1;
            return sorted[Math.max(0, Math.min(count - 1, index))] / 1e6;
        }
    }

    /** READERS threads, each asking for the board as soon as it has its last answer, until REQUESTS or SECONDS. */
    private Phase drive(int readers, int requests, int seconds, boolean repeat) throws InterruptedException {
        long[] nanos = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger notModified = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch done = new CountDownLatch(readers);
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        long start = System.nanoTime();
        for (int r = 0; r < readers; r++) {
            pool.execute(() -> {
                String etag = null;
                try {
                    while (System.nanoTime() < deadline) {
                        int slot = next.getAndIncrement();
                        if (slot >= requests) break;
                        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + BOARD))
                                .timeout(Duration.ofSeconds(30)).GET();
                        if (repeat && etag != null) request.header("If-None-Match", etag);
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = http.send(request.build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                            nanos[slot] = System.nanoTime() - sent;
                            if (response.statusCode() == 304) notModified.incrementAndGet();
                            else if (response.statusCode() != 200) errors.incrementAndGet();
                            etag = response.headers().firstValue("ETag").orElse(etag);
                        } catch (IOException e) {
                            nanos[slot] = System.nanoTime() - sent;
                            errors.incrementAndGet();
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        int count = Math.min(next.get(), requests);
        return new Phase(nanos, count, notModified.get(), errors.get(), elapsed);
    }

    private long dcSet() throws Exception {
        String sets = send("GET", "/api/datasets", null).body();
        Matcher dc = Pattern.compile("\\{\"id\":(\\d+),\"method\":\"DC\",\"dataset\":\"CIFAR-10\",\"ipc\":10,")
                .matcher(sets);
        if (dc.find()) return Long.parseLong(dc.group(1));
        throw new IllegalStateException("no DC CIFAR-10 IPC-10 set in the pool (the app imports it from"
                + " bristle.data-dir at start-up): " + sets.substring(0, Math.min(300, sets.length())));
    }

    private String awaitTraining(long job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            String state = jobState(job);
            if (state.startsWith("running TRAINING") && !state.endsWith(" 0")) return state;
            if (state.startsWith("succeeded") || state.startsWith("failed") || state.startsWith("cancelled")) {
                throw new IllegalStateException("job #" + job + " ended before the readers came: " + state);
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("job #" + job + " did not start training within 5 minutes");
    }

    /** "running TRAINING 12": state, stage, progress done. */
    private String jobState(long job) throws Exception {
        String body = send("GET", "/api/jobs/" + job, null).body();
        return field(body, "state") + " " + field(body, "stage") + " " + field(body, "progressDone");
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token);
        if (json != null) request.header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    private static long id(String json) {
        Matcher m = ID.matcher(json);
        if (!m.find()) throw new IllegalStateException("no id in " + json);
        return Long.parseLong(m.group(1));
    }

    private void awaitReady(Process app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            if (app != null && !app.isAlive()) {
                throw new IllegalStateException("the app exited (" + app.exitValue() + "); see " + HOME.resolve("app.log"));
            }
            try {
                if (send("GET", "/api/jobs", null).statusCode() == 200) return;
            } catch (IOException notListeningYet) {
                // Connection refused until Quarkus has started.
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(base + " did not answer within 3 minutes");
    }

    /** The packaged app on PORT with a fresh home; its output goes to target/bench-board/app.log. */
    private static Process start(int port, String token) throws IOException {
        if (!Files.isRegularFile(APP)) throw new IllegalStateException(APP + " is missing: ./mvnw package first");
        if (Files.exists(HOME)) {
            try (var paths = Files.walk(HOME)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(HOME);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g", "-Dai.djl.offline=true",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dbristle.data-dir=" + SHARED.resolve("data").toAbsolutePath(), "-Dbristle.worker.poll-seconds=1",
                "-jar", APP.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(HOME.resolve("app.log").toFile()).directory(HOME.toFile());
        Map<String, String> env = builder.environment();
        env.put("BRISTLE_HOME", HOME.toAbsolutePath().toString());
        env.put("BRISTLE_ADMIN_TOKEN", token);
        env.put("DJL_OFFLINE", "true");
        env.put("MALLOC_ARENA_MAX", "1");
        return builder.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" ")).subList(0, 3));
        } catch (IOException e) {
            return "?";
        }
    }
}
