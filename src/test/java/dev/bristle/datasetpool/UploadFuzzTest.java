package dev.bristle.datasetpool;

import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.score.DistilledFile;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.bristle.datasetpool.DatasetUploadTest.poolFiles;
import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static dev.bristle.ml.SharedData.dcCifar10;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded fuzz run against the real upload endpoints on 127.0.0.1: several hundred malformed uploads (truncated,
 * bit-flipped and random files, pickle bombs and forbidden globals, zip bombs, lying .npz headers, bad form fields),
 * each answered without a 5xx, in a short body that shows no server path, leaving no file and no entry behind.
 */
@QuarkusTest
@Tag("database")
class UploadFuzzTest {

    private static final long SEED = 11;
    private static final int CASES = 520;
    private static final long MAX_SECONDS = 60;

    @Inject
    DatasetPoolService pool;

    private final Random random = new Random(SEED);

    /** One malformed upload: its kind (for messages), the file name and bytes, and the form fields. */
    record Case(String kind, String fileName, byte[] file, Map<String, String> fields) {
    }

    @Test
    void malformedUploadsNeverHurtTheServer(@TempDir Path dir) throws IOException {
        byte[] dc = Files.readAllBytes(dcCifar10(1));
        DistilledSet set = DistilledFile.read(dcCifar10(1), DistilledFile.Format.RES_PT,
                Normalization.meanStd(DatasetKind.CIFAR10));
        byte[] npz = npz(set);
        byte[] mtt = mttZip(dir, set);
        byte[] zipBomb = zipBomb();
        List<Supplier<Case>> generators = List.of(
                () -> file("truncated", "res_cut.pt", Arrays.copyOf(dc, random.nextInt(dc.length))),
                () -> file("truncated npz", "cut.npz", Arrays.copyOf(npz, random.nextInt(npz.length))),
                () -> file("bit-flipped", "res_flip.pt", flipInData(dc)),
                () -> file("bit-flipped npz", "flip.npz", flipInData(npz)),
                () -> file("bit-flipped mtt", "flip.zip", flipInData(mtt)),
                () -> file("random", "res_random.pt", randomBytes(random.nextInt(1 << 16) + 1)),
                () -> file("random zip", "random.npz", withZipMagic(randomBytes(random.nextInt(1 << 14) + 30))),
                () -> file("pickle bomb", "res_bomb.pt", torch(HostileFiles.sharedReferenceBomb(3 + random.nextInt(10)))),
                () -> file("huge integer", "res_int.pt", torch(HostileFiles.hugeInteger(9 + random.nextInt(1 << 20)))),
                () -> file("odd key", "res_key.pt", torch(switch (random.nextInt(3)) {
                    case 0 -> HostileFiles.noneKey();
                    case 1 -> HostileFiles.selfReferentialKey();
                    default -> HostileFiles.deepTupleKey(60 + random.nextInt(100_000));
                })),
                () -> file("forbidden global", "res_evil.pt", torch(forbiddenGlobal())),
                () -> file("random opcodes", "res_ops.pt", torch(randomPickle())),
                () -> file("zip bomb", "bomb.npz", zipBomb),
                () -> file("bad npz header", "header.npz", badNpz()),
                this::badFields);
        int rows = pool.list().size();
        List<Path> before = poolFiles();
        Map<String, Integer> kinds = new TreeMap<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Long> millis = new TreeMap<>();
        long start = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            Case c = generators.get(i % generators.size()).get();
            String path = i % 2 == 0 ? "/api/datasets" : "/datasets";
            long caseStart = System.nanoTime();
            Response response = send(c).post(path);
            millis.merge(c.kind(), (System.nanoTime() - caseStart) / 1_000_000, Long::sum);
            String body = response.asString();
            String what = "case " + i + " (" + c.kind() + ", " + path + ")";
            assertTrue(response.statusCode() >= 400 && response.statusCode() < 500,
                    what + " answered " + response.statusCode() + ": " + excerpt(body));
            assertTrue(body.length() < 4096 || path.equals("/datasets") && body.length() < 16384,
                    what + " answered " + body.length() + " bytes: " + excerpt(body));
            HostileInputTest.assertNoServerPath(body);
            kinds.merge(c.kind(), 1, Integer::sum);
            statuses.merge(response.statusCode(), 1, Integer::sum);
        }
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        System.out.printf("fuzz: %d uploads in %d s, statuses %s, kinds %s, milliseconds per kind %s%n", CASES,
                seconds, statuses, kinds, millis);
        assertTrue(seconds < MAX_SECONDS, CASES + " uploads took " + seconds + " s");
        assertEquals(before, poolFiles(), "no file left in the pool");
        assertEquals(rows, pool.list().size(), "no entry added");
    }

    private RequestSpecification send(Case c) {
        RequestSpecification request = asMaintainer();
        for (var field : c.fields().entrySet()) request = request.multiPart(field.getKey(), field.getValue());
        return c.file() == null ? request : request.multiPart("file", c.fileName(), c.file());
    }

    private Case file(String kind, String name, byte[] bytes) {
        return new Case(kind, name, bytes, validFields());
    }

    private static Map<String, String> validFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("method", "Fuzz");
        fields.put("dataset", "CIFAR-10");
        fields.put("ipc", "1");
        fields.put("normalization", "mean-std");
        return fields;
    }

    /** DC's IPC-1 set (already pooled, so a valid file would be "known") with fields that are wrong. */
    private Case badFields() {
        Map<String, String> fields = validFields();
        String field = List.of("method", "dataset", "ipc", "normalization", "paperUrl", "authors")
                .get(random.nextInt(6));
        String value = switch (random.nextInt(5)) {
            case 0 -> "";
            case 1 -> "x".repeat(65 + random.nextInt(2000));
            case 2 -> new String(randomBytes(8 + random.nextInt(200)), StandardCharsets.ISO_8859_1);
            case 3 -> "<script>alert(1)</script>";
            default -> "-" + random.nextInt(1000);
        };
        if (field.equals("paperUrl") || field.equals("authors")) value = "x".repeat(501 + random.nextInt(1000));
        fields.put(field, value);
        if (random.nextBoolean()) fields.remove(List.of("method", "dataset", "ipc").get(random.nextInt(3)));
        try {
            return new Case("bad field " + field, random.nextBoolean() ? "res.pt" : "",
                    Files.readAllBytes(dcCifar10(1)), fields);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bits flipped inside the tensor data (a flip in a zip's padding could leave a valid, new file). */
    private byte[] flipInData(byte[] file) {
        byte[] copy = file.clone();
        int flips = 1 + random.nextInt(8);
        for (int i = 0; i < flips; i++) {
            int at = file.length / 5 + random.nextInt(file.length * 3 / 5);
            copy[at] ^= (byte) (1 << random.nextInt(8));
        }
        return copy;
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] withZipMagic(byte[] bytes) {
        bytes[0] = 'P';
        bytes[1] = 'K';
        bytes[2] = 3;
        bytes[3] = 4;
        return bytes;
    }

    private byte[] forbiddenGlobal() {
        String[][] globals = {{"os", "system"}, {"builtins", "eval"}, {"builtins", "exec"}, {"subprocess", "Popen"},
                {"posix", "system"}, {"torch", "load"}, {"numpy", "load"}, {"collections", "defaultdict"},
                {"__builtin__", "getattr"}, {"torch._utils", "_rebuild_qtensor"}};
        String[] global = globals[random.nextInt(globals.length)];
        return HostileFiles.forbiddenGlobal(global[0], global[1]);
    }

    /** PROTO 2 and then random opcodes with random arguments. */
    private byte[] randomPickle() {
        byte[] body = randomBytes(1 + random.nextInt(512));
        byte[] pickle = new byte[body.length + 2];
        pickle[0] = (byte) 0x80;
        pickle[1] = 2;
        System.arraycopy(body, 0, pickle, 2, body.length);
        return pickle;
    }

    private static byte[] torch(byte[] pickle) {
        return zip(Map.of("archive/data.pkl", pickle), ZipEntry.DEFLATED);
    }

    /** A DEFLATE entry of 200 MiB of zeros in a couple of hundred KiB. */
    private static byte[] zipBomb() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setLevel(9);
            zip.putNextEntry(new ZipEntry("images.npy"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 200; i++) zip.write(zeros);
            zip.closeEntry();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private byte[] badNpz() {
        String[] shapes = {"(4611686018427387904, 4)", "(-1, 3, 32, 32)", "(10, 3, 32, 32, 1, 1, 1, 1, 1, 1)",
                "(x)", "(" + "1, ".repeat(5000) + ")", "(10, 3, 32, 32)", "()", "(9223372036854775807,)"};
        String[] descrs = {"<f4", "<f8", "|O", "<U10", ">f4", "<i8", "?", "<c16"};
        String header = HostileFiles.npyHeader(descrs[random.nextInt(descrs.length)],
                shapes[random.nextInt(shapes.length)]);
        int version = 1 + random.nextInt(4);
        long declared = switch (random.nextInt(4)) {
            case 0 -> 0x7fffffffL;
            case 1 -> random.nextInt(1 << 16);
            default -> -1;
        };
        byte[] images = HostileFiles.npy(version, header, declared, random.nextInt(4096));
        byte[] labels = HostileFiles.npy(HostileFiles.npyHeader("<i8", "(10,)"), 80);
        return zip(Map.of("images.npy", images, "labels.npy", labels), ZipEntry.STORED);
    }

    private static byte[] zip(Map<String, byte[]> entries, int method) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var entry : new TreeMap<>(entries).entrySet()) {
                ZipEntry e = new ZipEntry(entry.getKey());
                if (method == ZipEntry.STORED) {
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(entry.getValue().length);
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(entry.getValue());
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** The DC IPC-1 set as an .npz (images float32, labels int64), as numpy.savez writes it. */
    private static byte[] npz(DistilledSet set) {
        int[] s = set.shape();
        ByteBuffer images = ByteBuffer.allocate(set.images().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        images.asFloatBuffer().put(set.images());
        ByteBuffer labels = ByteBuffer.allocate(set.labels().length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int label : set.labels()) labels.putLong(label);
        return zip(Map.of(
                "images.npy", withData(HostileFiles.npyHeader("<f4", "(" + s[0] + ", " + s[1] + ", " + s[2] + ", "
                        + s[3] + ")"), images.array()),
                "labels.npy", withData(HostileFiles.npyHeader("<i8", "(" + s[0] + ",)"), labels.array())),
                ZipEntry.STORED);
    }

    private static byte[] withData(String header, byte[] data) {
        byte[] npy = HostileFiles.npy(header, data.length);
        System.arraycopy(data, 0, npy, npy.length - data.length, data.length);
        return npy;
    }

    private static byte[] mttZip(Path dir, DistilledSet set) throws IOException {
        Path[] pair = DatasetUploadTest.mttPair(dir, set.images(), Arrays.stream(set.shape()).asLongStream().toArray(),
                set.labels());
        Path zip = dir.resolve("mtt.zip");
        DistilledFile.writeMttZip(pair[0], pair[1], zip);
        return Files.readAllBytes(zip);
    }

    private static String excerpt(String body) {
        return body.substring(0, Math.min(300, body.length()));
    }
}
