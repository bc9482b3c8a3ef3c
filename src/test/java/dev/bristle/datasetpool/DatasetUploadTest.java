package dev.bristle.datasetpool;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static dev.bristle.ml.SharedData.dcCifar10;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Uploads to the dataset pool: every kind of bad file refused with a clear message and nothing stored; a good
 * file stored under its SHA-256; the same content recognized. Files are generated here from DC's real IPC-10 set.
 */
@QuarkusTest
@Tag("database")
class DatasetUploadTest {

    private static final Path POOL = Path.of("target/test-dataset-pool");

    @Inject
    DatasetPoolService pool;

    static DistilledSet dcSet() throws IOException {
        return DistilledFile.read(dcCifar10(10), DistilledFile.Format.RES_PT,
                Normalization.meanStd(DatasetKind.CIFAR10));
    }

    /** MTT's two files, written as torch.save would write them. */
    static Path[] mttPair(Path directory, float[] images, long[] shape, int[] labels) throws IOException {
        Path imagesFile = directory.resolve("images_best.pt");
        Path labelsFile = directory.resolve("labels_best.pt");
        TorchCheckpoint.writeTensor(HostTensor.ofFloats(images, shape), imagesFile);
        TorchCheckpoint.writeTensor(HostTensor.ofLongs(Arrays.stream(labels).asLongStream().toArray(),
                labels.length), labelsFile);
        return new Path[]{imagesFile, labelsFile};
    }

    static Path[] dcAsMtt(Path directory) throws IOException {
        DistilledSet set = dcSet();
        return mttPair(directory, set.images(), new long[]{100, 3, 32, 32}, set.labels());
    }

    static RequestSpecification form(String method, String ipc, String normalization, Path... files) {
        RequestSpecification request = asMaintainer()
                .multiPart("method", method)
                .multiPart("paperUrl", "https://arxiv.org/abs/2006.05929")
                .multiPart("authors", "Zhao, Mopuri, Bilen")
                .multiPart("dataset", "CIFAR-10")
                .multiPart("ipc", ipc)
                .multiPart("normalization", normalization);
        for (Path file : files) request = request.multiPart("file", file.toFile());
        return request;
    }

    /** Every file of the pool directory (stored sets and temporary files), to show a refusal stored nothing. */
    static List<Path> poolFiles() throws IOException {
        if (!Files.exists(POOL)) return List.of();
        try (Stream<Path> files = Files.walk(POOL)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getParent().endsWith("grids")).sorted().toList();
        }
    }

    /** The API and the web form both refuse the upload, with the same problem, and store nothing. */
    void assertRefused(String expectedProblem, String ipc, String normalization, Path... files) throws IOException {
        assertRefused(400, expectedProblem, ipc, normalization, files);
    }

    void assertRefused(int status, String expectedProblem, String ipc, String normalization, Path... files)
            throws IOException {
        List<Path> before = poolFiles();
        int rows = pool.list().size();
        form("Refused", ipc, normalization, files).post("/api/datasets").then().statusCode(status)
                .contentType("application/json")
                .body("status", equalTo(status))
                .body("error", equalTo("The upload was refused; nothing was stored."))
                .body("problems", hasItem(containsString(expectedProblem)));
        form("Refused", ipc, normalization, files).post("/datasets").then().statusCode(status)
                .contentType("text/html")
                .body(containsString("The upload was refused; nothing was stored"))
                .body(containsString(html(expectedProblem)))
                .body(containsString("<form id=\"upload-form\""));
        assertEquals(before, poolFiles(), "a refused upload leaves no file behind");
        assertEquals(rows, pool.list().size(), "a refused upload adds no row");
    }

    /** {@code text} as the templates escape it. */
    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    @Test
    void refusesWrongShape(@TempDir Path dir) throws IOException {
        DistilledSet set = dcSet();
        Path[] pair = mttPair(dir, set.images(), new long[]{100, 3, 16, 64}, set.labels());
        assertRefused("images_best.pt + labels_best.pt: the images are 16x64 pixels; CIFAR-10 images are 32x32",
                "10", "mean-std", pair);
    }

    @Test
    void refusesWrongIpc(@TempDir Path dir) throws IOException {
        assertRefused("the stated IPC is 1 but 10 class(es) do not have 1 image(s): class 0 has 10", "1", "mean-std",
                dcAsMtt(dir));
    }

    @Test
    void refusesNaN(@TempDir Path dir) throws IOException {
        DistilledSet set = dcSet();
        float[] images = set.images().clone();
        images[12345] = Float.NaN;
        assertRefused("NaN", "10", "mean-std", mttPair(dir, images, new long[]{100, 3, 32, 32}, set.labels()));
    }

    @Test
    void refusesValuesInconsistentWithTheStatedNormalization(@TempDir Path dir) throws IOException {
        assertRefused("the normalization is stated as pixels in [0, 1] but the values span [-9.", "10", "pixels",
                dcAsMtt(dir));
    }

    @Test
    void refusesAZipBomb(@TempDir Path dir) throws IOException {
        Path bomb = dir.resolve("res_bomb.pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) zip.write(zeros);
            zip.closeEntry();
        }
        assertTrue(Files.size(bomb) < 4 << 20, "the bomb itself is small");
        assertRefused("res_bomb.pt: entry archive/data.pkl expands", "10", "mean-std", bomb);
    }

    @Test
    void refusesAPickleWithAForbiddenGlobal(@TempDir Path dir) throws IOException {
        Path evil = dir.resolve("res_evil.pt");
        // protocol 2: GLOBAL os.system, the argument tuple ('id',), REDUCE, STOP
        byte[] pickle = "\u0080\u0002cos\nsystem\nX\u0002\u0000\u0000\u0000id\u0085R.".getBytes(StandardCharsets.ISO_8859_1);
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(evil))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(pickle);
            zip.closeEntry();
        }
        assertRefused("res_evil.pt was refused: it contains a pickle that would run code", "10", "mean-std", evil);
    }

    @Test
    void refusesAnOversizedFile(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("res_big.pt");
        try (OutputStream out = Files.newOutputStream(big)) {
            out.write(new byte[5 << 20]);
        }
        assertRefused("res_big.pt is 5242880 bytes, more than the limit of 4194304 bytes (4 MiB)", "10", "mean-std",
                big);
    }

    /** Larger than the HTTP layer accepts (8M in tests): refused before the body is parsed, as clearly. */
    @Test
    void refusesARequestLargerThanTheServerAccepts(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("res_huge.pt");
        try (OutputStream out = Files.newOutputStream(huge)) {
            out.write(new byte[9 << 20]);
        }
        assertRefused(413, "more than this server accepts (8388608 bytes, 8 MiB); a distilled set may be at most"
                + " 4194304 bytes (4 MiB).", "10", "mean-std", huge);
        // A client that waits for a go-ahead (curl does for large bodies) gets the answer without sending the file.
        form("Refused", "10", "mean-std", huge).header("Expect", "100-continue").post("/api/datasets").then()
                .statusCode(413).body("problems[0]", containsString("more than this server accepts"));
    }

    @Test
    void refusesBadFormFieldsAllAtOnce() throws IOException {
        List<Path> before = poolFiles();
        asMaintainer().multiPart("method", "").multiPart("dataset", "ImageNet-1k").multiPart("ipc", "ten")
                .multiPart("normalization", "zscore").multiPart("paperUrl", "ftp://x")
                .post("/api/datasets").then().statusCode(400)
                .body("problems", hasSize(6))
                .body("problems", hasItem(containsString("unknown dataset 'ImageNet-1k'")))
                .body("problems", hasItem("IPC: 'ten' is not a positive whole number of images per class."))
                .body("problems", hasItem("File: choose the distilled set's file."));
        assertEquals(before, poolFiles());
    }

    @Test
    void theFormComesBackWithTheProblemAndTheUsersValues(@TempDir Path dir) throws IOException {
        asMaintainer().multiPart("method", "MyMethod").multiPart("dataset", "CIFAR-10").multiPart("ipc", "1")
                .multiPart("normalization", "mean-std").multiPart("paperUrl", "https://example.org/paper")
                .multiPart("authors", "A. Author").multiPart("file", dcAsMtt(dir)[0].toFile())
                .multiPart("file", dir.resolve("labels_best.pt").toFile())
                .post("/datasets").then().statusCode(400).contentType("text/html")
                .body(containsString("The upload was refused; nothing was stored"))
                .body(containsString("the stated IPC is 1 but 10 class(es)"))
                .body(containsString("value=\"MyMethod\""))
                .body(containsString("value=\"https://example.org/paper\""))
                .body(containsString("value=\"A. Author\""));
    }

    @Test
    void storesAValidSetByContentAndRecognizesItAgain(@TempDir Path dir) throws Exception {
        Path[] pair = dcAsMtt(dir);
        Path zip = dir.resolve("expected.zip");
        DistilledFile.writeMttZip(pair[0], pair[1], zip);
        String sha256 = dev.bristle.files.Digests.sha256(zip);
        pool.findBySha256(sha256).ifPresent(d -> {
            throw new IllegalStateException("clean test state expected; #" + d.id() + " already holds this content");
        });

        int id = form("MTT-repack", "10", "mean-std", pair).post("/api/datasets").then().statusCode(201)
                .header("Location", containsString("/api/datasets/"))
                .body("created", equalTo(true))
                .body("dataset.sha256", equalTo(sha256))
                .body("dataset.format", equalTo("mtt"))
                .body("dataset.imageCount", equalTo(100))
                .body("dataset.originalName", equalTo("images_best.pt + labels_best.pt"))
                .extract().path("dataset.id");
        Path stored = POOL.resolve(sha256.substring(0, 2)).resolve(sha256 + ".zip");
        assertTrue(Files.isRegularFile(stored), stored + " holds the set");
        assertEquals(sha256, dev.bristle.files.Digests.sha256(stored));

        form("Again", "10", "mean-std", pair).post("/api/datasets").then().statusCode(200)
                .body("created", equalTo(false))
                .body("message", equalTo("This file is already in the pool as #" + id + " (same SHA-256); nothing was added."));
        // The single zip of the same two files is the same content.
        form("Zipped", "10", "mean-std", zip).post("/api/datasets").then().statusCode(200)
                .body("dataset.id", equalTo(id));
        given().get("/api/datasets/" + id).then().statusCode(200).body("method", equalTo("MTT-repack"));
        given().get("/datasets/" + id).then().statusCode(200)
                .body(containsString(sha256))
                .body(containsString("Zhao, Mopuri, Bilen"))
                .body(containsString("/datasets/" + id + "/classes/0.png"));
    }

    @Test
    void theRealDcSetsAreImportedAtStartUpAndAReUploadIsRecognized() {
        var imported = pool.list().stream().filter(d -> d.origin().equals("imported")).toList();
        assertEquals(List.of(1, 10), imported.stream().map(DatasetView::ipc).sorted().toList());
        DatasetView ipc10 = imported.stream().filter(d -> d.ipc() == 10).findFirst().orElseThrow();
        assertEquals("e55a7f832c1fb0594dc2710795f4b13984db3c74522517f38496470101006fd7", ipc10.sha256());
        assertTrue(ipc10.provenance().contains("c33737492a7ee718cd907d845d4987331149c533"), ipc10.provenance());
        assertTrue(Files.isRegularFile(POOL.resolve("e5").resolve(ipc10.sha256() + ".pt")));

        var summary = pool.importManifest(DatasetPoolManifest.DC_CIFAR10, SharedData.path("data"));
        assertEquals(new DatasetPoolService.ImportSummary(2, 0, 2, 0, 0), summary, "a second import adds nothing");

        form("DC", "10", "mean-std", dcCifar10(10)).post("/api/datasets").then().statusCode(200)
                .body("created", equalTo(false))
                .body("message", containsString("already in the pool as #" + ipc10.id()));
        // The web form says the same on the existing entry's page.
        String location = form("DC", "10", "mean-std", dcCifar10(10)).redirects().follow(false).post("/datasets")
                .then().statusCode(303).extract().header("Location");
        given().get(location).then().statusCode(200)
                .body(containsString("This file is already in the pool as #" + ipc10.id()));
    }

    @Test
    void thePoolPageShowsAGridPerSet() throws IOException {
        DatasetView ipc10 = pool.list().stream().filter(d -> d.sha256().startsWith("e55a7f83")).findFirst().orElseThrow();
        given().get("/datasets").then().statusCode(200)
                .body(containsString("src=\"/datasets/" + ipc10.id() + "/grid.png\""));
        byte[] png = given().get("/datasets/" + ipc10.id() + "/grid.png").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        // Ten columns and ten rows of 32-pixel images with 1-pixel gaps.
        assertEquals(10 * 33 + 1, image.getWidth());
        assertEquals(10 * 33 + 1, image.getHeight());
        assertTrue(Files.isRegularFile(POOL.resolve("grids").resolve(ipc10.sha256() + ".png")), "cached on disk");
        // Row 0 is class 0 (airplane): DC's synthetic airplanes are mostly sky, bluer than red.
        long blue = 0, red = 0;
        for (int y = 1; y < 33; y++) for (int x = 1; x < 33; x++) {
            int rgb = image.getRGB(x, y);
            blue += rgb & 0xff;
            red += (rgb >> 16) & 0xff;
        }
        assertTrue(blue > red, "blue " + blue + " red " + red);
        given().get("/api/datasets").then().statusCode(200).body("gridUrl", hasItem("/datasets/" + ipc10.id() + "/grid.png"));
        given().get("/datasets/999999/grid.png").then().statusCode(404);
    }
}
