package dev.bristle.datasetpool;

import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.score.DistilledFile;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.bristle.datasetpool.DatasetUploadTest.form;
import static dev.bristle.datasetpool.DatasetUploadTest.poolFiles;
import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static dev.bristle.ml.SharedData.dcCifar10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every input that once made the server answer 500, run out of memory or show its paths, as the reproductions of
 * issue 11 list them: each is refused with a 4xx and a short message naming the problem, quickly, storing nothing.
 */
@QuarkusTest
@Tag("database")
class HostileInputTest {

    /** Well under a second on an idle machine; a loaded CI machine gets some slack. */
    private static final long MAX_MILLIS = 1000;
    private static final int MAX_BODY = 4096;
    /** A refused form comes back as its page (the set's page for a job), with the form and its problems. */
    private static final int MAX_PAGE = 48 * 1024;

    @Inject
    DatasetPoolService pool;

    private static boolean warm;

    /** The first request of a JVM loads the readers' classes; what is timed below is the refusal, not that. */
    @org.junit.jupiter.api.BeforeEach
    void warmUp() {
        if (warm) return;
        form("DC", "1", "mean-std", dcCifar10(1)).post("/api/datasets").then().statusCode(200);
        asMaintainer().contentType("application/json").body("{}").post("/api/jobs").then().statusCode(400);
        warm = true;
    }

    /** Sends the request, asserts a bounded, path-free 4xx in time and that nothing was stored; returns the body. */
    private String assertRefused(int status, RequestSpecification request, String path, String expected)
            throws IOException {
        return assertRefused(status, request, path, expected, MAX_MILLIS);
    }

    private String assertRefused(int status, RequestSpecification request, String path, String expected,
                                 long maxMillis) throws IOException {
        List<Path> before = poolFiles();
        int rows = pool.list().size();
        long start = System.nanoTime();
        Response response = request.post(path);
        long millis = (System.nanoTime() - start) / 1_000_000;
        String body = response.asString();
        assertEquals(status, response.statusCode(), body);
        assertTrue(body.length() < (path.startsWith("/api") ? MAX_BODY : MAX_PAGE), "a " + body.length() + "-byte answer: "
                + body.substring(0, Math.min(300, body.length())));
        assertTrue(millis < maxMillis, "answered in " + millis + " ms");
        assertTrue(body.contains(expected), "expected '" + expected + "' in " + body);
        assertNoServerPath(body);
        assertEquals(before, poolFiles(), "nothing left in the pool");
        assertEquals(rows, pool.list().size(), "no entry added");
        return body;
    }

    static void assertNoServerPath(String body) {
        for (String path : List.of(Path.of("target").toAbsolutePath().toString(), "target/test-dataset-pool",
                "/tmp/", ".part", "mtt-images", "mtt-labels", "uploads/")) {
            assertFalse(body.contains(path), "the answer shows a server path (" + path + "): " + body);
        }
    }

    private String refusedUpload(Path file, String expected) throws IOException {
        String body = assertRefused(400, form("Hostile", "10", "mean-std", file), "/api/datasets", expected);
        assertRefused(400, form("Hostile", "10", "mean-std", file), "/datasets", expected);
        return body;
    }

    @Test
    void aSharedReferencePickleBombGetsAShortAnswer(@TempDir Path dir) throws IOException {
        refusedUpload(HostileFiles.torchFile(dir.resolve("res_refs.pt"), HostileFiles.sharedReferenceBomb(8)),
                "is not a DC/DSA/DM result file");
    }

    @Test
    void aMegabyteIntegerIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
        refusedUpload(HostileFiles.torchFile(dir.resolve("res_int.pt"), HostileFiles.hugeInteger(1 << 20)),
                "LONG4 at byte");
    }

    @Test
    void oddDictKeysAreRefused(@TempDir Path dir) throws IOException {
        refusedUpload(HostileFiles.torchFile(dir.resolve("res_none.pt"), HostileFiles.noneKey()),
                "a dict key or set item at byte");
        refusedUpload(HostileFiles.torchFile(dir.resolve("res_self.pt"), HostileFiles.selfReferentialKey()),
                "contains itself");
        refusedUpload(HostileFiles.torchFile(dir.resolve("res_deep.pt"), HostileFiles.deepTupleKey(50_000)),
                "containers nest deeper than 64 levels");
    }

    @Test
    void npzHeadersThatOverflowAreRefused(@TempDir Path dir) throws IOException {
        byte[] labels = HostileFiles.npy(HostileFiles.npyHeader("<i8", "(10,)"), 80);
        Path hugeShape = HostileFiles.zip(dir.resolve("shape.npz"), Map.of(
                "images.npy", HostileFiles.npy(HostileFiles.npyHeader("<f4", "(4611686018427387904, 4)"), 64),
                "labels.npy", labels));
        refusedUpload(hugeShape, "needs more than 9223372036854775807 bytes");
        Path hugeHeader = HostileFiles.zip(dir.resolve("header.npz"), Map.of(
                "images.npy", HostileFiles.npy(2, HostileFiles.npyHeader("<f4", "(10, 3, 32, 32)"), 0x7fffffff, 0),
                "labels.npy", labels));
        refusedUpload(hugeHeader, "its .npy header declares 2147483647 bytes");
    }

    @Test
    void aBitFlippedCopyOfAPooledSetFailsItsChecksum(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(dcCifar10(1));
        bytes[bytes.length / 2] ^= 0x10; // inside the image storage, stored uncompressed
        Path flipped = Files.write(dir.resolve("res_DC_CIFAR10_ConvNet_1ipc.pt"), bytes);
        refusedUpload(flipped, "is damaged: its CRC-32 is");
    }

    @Test
    void aDamagedMttFileIsNamedWithoutServerPaths(@TempDir Path dir) throws IOException {
        Path[] pair = DatasetUploadTest.dcAsMtt(dir);
        byte[] images = Files.readAllBytes(pair[0]);
        Files.write(pair[0], java.util.Arrays.copyOf(images, images.length / 2));
        refusedUpload(pair, "images_best.pt");
    }

    private String refusedUpload(Path[] files, String expected) throws IOException {
        return assertRefused(400, form("Hostile", "10", "mean-std", files), "/api/datasets", expected);
    }

    @Test
    void aFileNameLongerThanTheColumnIsRefused() throws IOException {
        assertRefused(400, asMaintainer().multiPart("method", "DC").multiPart("dataset", "CIFAR-10").multiPart("ipc", "1")
                        .multiPart("normalization", "mean-std")
                        .multiPart("file", "a".repeat(600) + ".pt", Files.readAllBytes(dcCifar10(1))), "/api/datasets",
                "is longer than 240 characters; rename the file.");
    }

    /**
     * Bean Validation of the form's fields quotes each only in a short excerpt, however long it is; a field longer
     * than the HTTP layer's limit for form fields (2 KB) is refused before that.
     */
    @Test
    void oversizedFormFieldsAreQuotedInExcerpts() throws IOException {
        for (String path : List.of("/api/datasets", "/datasets")) {
            assertRefused(413, asMaintainer().multiPart("method", "m".repeat(100_000))
                    .multiPart("file", "res.pt", Files.readAllBytes(dcCifar10(1))), path,
                    "larger than this server accepts");
            String body = assertRefused(400, asMaintainer().multiPart("method", "m".repeat(2000))
                    .multiPart("dataset", "d".repeat(2000)).multiPart("ipc", "9".repeat(2000))
                    .multiPart("normalization", "n".repeat(2000)).multiPart("paperUrl", "p".repeat(2000))
                    .multiPart("file", "res.pt", Files.readAllBytes(dcCifar10(1))), path, "unknown dataset");
            for (String problem : List.of("should be at most 64 letters", "is not a positive whole number",
                    "choose &#39;pixels&#39;", "is not an http(s) address of at most 500 characters")) {
                assertTrue(body.contains(problem.replace("&#39;", path.startsWith("/api") ? "'" : "&#39;")),
                        problem + " in " + body);
            }
        }
    }

    @Test
    void brokenMultipartBodiesAreRefused() throws IOException {
        for (String path : List.of("/api/datasets", "/datasets")) {
            assertRefused(400, asMaintainer().contentType("multipart/form-data; boundary=xyz").body(new byte[0]), path,
                    "");
            assertRefused(400, asMaintainer().contentType("multipart/form-data; boundary=xyz").body(("--xyz\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"res.pt\"\r\n\r\nPK\u0003\u0004abc")
                    .getBytes(StandardCharsets.ISO_8859_1)), path, "");
            assertRefused(400, asMaintainer().contentType("multipart/form-data").body("--\r\n\r\n".getBytes(StandardCharsets.US_ASCII)), path, "");
        }
    }

    @Test
    void jobSettingsAreValidatedWhenQueued() throws IOException {
        long set = pool.list().get(0).id();
        String names = String.join("\", \"", java.util.Collections.nCopies(1000, "FGSM"));
        assertJobRefused("{\"datasetId\": " + set + ", \"attacks\": [\"" + names + "\"]}",
                "attacks may list at most 32 attacks");
        assertJobRefused("{\"datasetId\": " + set + ", \"protocol\": \"foo\"}", "unknown protocol 'foo'");
        assertJobRefused("{\"datasetId\": " + set + ", \"epochs\": 1.9}", "epochs should be a whole number");
        assertJobRefused("{\"datasetId\": " + set + ", \"attacks\": \"FGSM\"}", "attacks should be a list");
        assertJobRefused("{\"datasetId\": " + set + ", \"students\": {\"a\": 1}}", "students should be a whole number");
        assertJobRefused("{\"datasetId\": " + set + ", \"epochs\": 99999999999}", "epochs is out of range");
        assertJobRefused("{\"datasetId\": " + set + ", \"students\": 0, \"epochs\": 0}", "students must be 1 to 20");
        assertJobRefused("{\"datasetId\": ", "the body is not the JSON object expected");
        assertJobRefused("[1, 2]", "the body");
        assertJobRefused("{}", "datasetId must name the set");
        String flood = "x".repeat(4 << 20);
        // Most of this one's time is the transfer of its 4 MiB.
        String body = assertRefused(400, asMaintainer().contentType("application/json").body("{\"datasetId\": " + set
                + ", \"protocol\": \"" + flood + "\"}"), "/api/jobs", "protocol must be a name of at most 32 characters",
                5 * MAX_MILLIS);
        assertFalse(body.contains("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"), body);
        assertRefused(400, asMaintainer().formParam("datasetId", set).formParam("epochs", "1.9"), "/jobs",
                "epochs should be a whole number");
        assertRefused(400, asMaintainer().formParam("datasetId", set).formParam("protocol", "foo"), "/jobs",
                "unknown protocol");
    }

    private String assertJobRefused(String json, String expected) throws IOException {
        return assertRefused(400, asMaintainer().contentType("application/json").body(json), "/api/jobs", expected);
    }

    /** Twelve uploads of the same new file at once: one stores it, the others are told it is there, nothing lost. */
    @Test
    void parallelUploadsOfOneNewFileStoreItOnce(@TempDir Path dir) throws Exception {
        DistilledSet set = DatasetUploadTest.dcSet();
        float[] images = set.images().clone();
        images[0] += new Random().nextFloat() * 1e-3f + 1e-4f; // content no earlier run stored
        Path[] pair = DatasetUploadTest.mttPair(dir, images, new long[]{100, 3, 32, 32}, set.labels());
        Path zip = dir.resolve("race.zip");
        DistilledFile.writeMttZip(pair[0], pair[1], zip);
        String sha256 = dev.bristle.files.Digests.sha256(zip);
        int rows = pool.list().size();
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Response>> uploads = new ArrayList<>();
            for (int i = 0; i < 12; i++) uploads.add(() -> form("Race", "10", "mean-std", zip).post("/api/datasets"));
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> f : threads.invokeAll(uploads)) statuses.add(f.get().statusCode());
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one created: " + statuses);
            assertEquals(11, statuses.stream().filter(s -> s == 200).count(), "the rest found it: " + statuses);
        } finally {
            threads.shutdownNow();
        }
        assertEquals(rows + 1, pool.list().size());
        Path stored = Path.of("target/test-dataset-pool").resolve(sha256.substring(0, 2)).resolve(sha256 + ".zip");
        assertEquals(sha256, dev.bristle.files.Digests.sha256(stored), "the stored file is intact");
    }
}
