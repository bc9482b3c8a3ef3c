package dev.bristle.ml.verify;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.ModeMetrics;
import dev.bristle.ml.torch.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundle's format, its hardened reader, and the two checks that compute without a model: integrity (a file's
 * bytes changed, other seeds) and arithmetic (a metric edited).
 */
class BundleTest {

    @TempDir
    Path dir;

    private final Verifier verifier = new Verifier();

    private Path honest() throws IOException {
        Path set = SyntheticBundle.set(dir);
        Path out = dir.resolve("honest.zip");
        BundleWriter.write(out, SyntheticBundle.record(set, 0), set, "mean-std", SyntheticBundle.students());
        return out;
    }

    @Test
    void aBundleReadsBackAsWrittenAndPassesIntegrityAndArithmetic() throws IOException {
        try (Bundle bundle = BundleReader.read(honest())) {
            assertEquals(List.of("record.json", "set/fm-set.npz", "students/student-0.pt", "students/student-1.pt"),
                    bundle.entries());
            assertEquals("mean-std", bundle.manifest().setNormalization());
            assertEquals(2, bundle.studentFiles());
            LinkedHashMap<String, HostTensor> weights = bundle.stateDict(1);
            assertArrayEquals(new float[]{1, 1, 2, 3}, weights.get("layer.weight").floats());
            assertEquals(bundle.sha256("students/student-1.pt"), bundle.record().students().get(1).stateDictSha256());
            CheckOutcome integrity = verifier.run(VerificationCheck.INTEGRITY, bundle, SyntheticBundle.context());
            assertTrue(integrity.passed(), integrity.summary());
            CheckOutcome arithmetic = verifier.run(VerificationCheck.ARITHMETIC, bundle, SyntheticBundle.context());
            assertTrue(arithmetic.passed(), arithmetic.summary());
            assertEquals(SyntheticBundle.IMAGES, arithmetic.images());
        }
    }

    @Test
    void anEditedMetricFailsArithmeticOnly() throws IOException {
        Path set = SyntheticBundle.set(dir);
        EvaluationRecord honest = SyntheticBundle.record(set, 0);
        ModeMetrics m = honest.metrics().get("untargeted");
        EvaluationRecord edited = new EvaluationRecord(honest.schema(), honest.schemaVersion(), honest.subject(),
                honest.settings(), honest.testSet(), honest.students(), Map.of("untargeted", new ModeMetrics(m.rrm(),
                m.aem(), m.crei() + 2, m.rrmInterval(), m.aemInterval(), m.creiInterval(), m.robustAccuracy(),
                m.efficiency(), m.perAttack())), honest.curves(), honest.provenance());
        Path out = dir.resolve("edited.zip");
        BundleWriter.write(out, edited, set, "mean-std", SyntheticBundle.students());
        try (Bundle bundle = BundleReader.read(out)) {
            assertTrue(verifier.run(VerificationCheck.INTEGRITY, bundle, SyntheticBundle.context()).passed());
            CheckOutcome arithmetic = verifier.run(VerificationCheck.ARITHMETIC, bundle, SyntheticBundle.context());
            assertFalse(arithmetic.passed());
            assertTrue(arithmetic.summary().contains("untargeted CREI"), arithmetic.summary());
        }
    }

    @Test
    void aChangedFileFailsIntegrity() throws IOException {
        Path changed = SyntheticBundle.rewrite(honest(), dir.resolve("changed.zip"), (name, bytes) -> {
            if (name.equals("set/fm-set.npz")) bytes[0] ^= 1;
            return bytes;
        });
        try (Bundle bundle = BundleReader.read(changed)) {
            CheckOutcome integrity = verifier.run(VerificationCheck.INTEGRITY, bundle, SyntheticBundle.context());
            assertFalse(integrity.passed());
            assertTrue(integrity.summary().contains("set/fm-set.npz differs from the manifest"), integrity.summary());
            assertTrue(integrity.summary().contains("not the set the record scored"), integrity.summary());
        }
    }

    @Test
    void otherSeedsFailIntegrity() throws IOException {
        Path set = SyntheticBundle.set(dir);
        Path out = dir.resolve("seeds.zip");
        BundleWriter.write(out, SyntheticBundle.record(set, 1), set, "mean-std", SyntheticBundle.students());
        try (Bundle bundle = BundleReader.read(out)) {
            CheckOutcome integrity = verifier.run(VerificationCheck.INTEGRITY, bundle, SyntheticBundle.context());
            assertFalse(integrity.passed());
            assertEquals("the seeds are not the set's official seeds", integrity.summary());
        }
    }

    @Test
    void settingsOtherThanTheOfficialOnesFailIntegrity() throws IOException {
        VerificationContext fiveStudents = new VerificationContext(SyntheticBundle.OFFICIAL.scaled(5, null, null,
                null, null), SyntheticBundle.testSet(), null, 1, 10, 2, VerificationBounds.DEFAULT, "cpu",
                SyntheticBundle.Listeners.SILENT);
        try (Bundle bundle = BundleReader.read(honest())) {
            CheckOutcome integrity = verifier.run(VerificationCheck.INTEGRITY, bundle, fiveStudents);
            assertFalse(integrity.passed());
            assertTrue(integrity.summary().contains("not the official settings: 2 of 5 students"), integrity.summary());
        }
    }

    @Test
    void theReaderRefusesWhatIsNotABundle() throws IOException {
        Path honest = honest();
        assertRefused(Files.writeString(dir.resolve("text.zip"), "hello"), "not a zip archive");
        assertRefused(SyntheticBundle.rewrite(honest, dir.resolve("extra.zip"), (n, b) -> b), null);
        assertRefused(withEntry(honest, "../evil.sh", "x"), "");
        assertRefused(withEntry(honest, "tools/evil.sh", "x"), "does not belong");
        assertRefused(withEntry(honest, "set/second.npz", "x"), "more than one set");
        assertRefused(withEntry(honest, "students/student-3.pt", "x"), "numbered 0 to N - 1");
        assertRefused(SyntheticBundle.rewrite(honest, dir.resolve("norecord.zip"),
                (n, b) -> n.equals("record.json") ? null : b), "no record.json");
        assertRefused(SyntheticBundle.rewrite(honest, dir.resolve("nostudent.zip"),
                (n, b) -> n.equals("students/student-1.pt") ? null : b), "1 state dict(s), its record 2");
        assertRefused(SyntheticBundle.rewrite(honest, dir.resolve("format.zip"), (n, b) -> n.equals("manifest.json")
                ? new String(b, StandardCharsets.UTF_8).replace("bristle-submission-bundle", "other").getBytes() : b),
                "manifest format");
        assertRefused(SyntheticBundle.rewrite(honest, dir.resolve("record.zip"), (n, b) -> n.equals("record.json")
                ? "{\"schema\": 1}".getBytes() : b), "not an evaluation record");
        assertThrows(InvalidInputException.class, () -> BundleReader.read(honest,
                new BundleReader.Limits(1L << 30, 10, 1 << 20, 1 << 20, 20)));
        assertThrows(InvalidInputException.class, () -> BundleReader.read(honest,
                new BundleReader.Limits(1L << 30, 1 << 20, 1 << 20, 100, 20)));
        assertThrows(InvalidInputException.class, () -> BundleReader.read(honest,
                new BundleReader.Limits(1000, 1 << 20, 1 << 20, 1 << 20, 20)));
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("bristle-bundle-")
                    && !p.getFileName().toString().startsWith("bristle-bundle-out-") && Files.isDirectory(p)
                    && isEmpty(p)), "a refused bundle leaves no extracted folder");
        }
    }

    @Test
    void anUnreadableStateDictFailsTheCheckThatNeedsIt() throws IOException {
        Path garbled = SyntheticBundle.rewrite(honest(), dir.resolve("garbled.zip"),
                (n, b) -> n.equals("students/student-0.pt") ? "not a torch file".getBytes() : b);
        try (Bundle bundle = BundleReader.read(garbled)) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> bundle.stateDict(0));
            assertEquals("student 1's state dict in the bundle cannot be read as a PyTorch state dict", e.getMessage());
            CheckOutcome clean = verifier.run(VerificationCheck.CLEAN_PREDICTIONS, bundle, SyntheticBundle.context());
            assertFalse(clean.passed());
            assertEquals(e.getMessage(), clean.summary());
        }
    }

    private static boolean isEmpty(Path folder) {
        try (var files = Files.list(folder)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    private Path withEntry(Path zip, String name, String content) throws IOException {
        Path out = dir.resolve("with-" + Math.abs(name.hashCode()) + ".zip");
        Path base = SyntheticBundle.rewrite(zip, dir.resolve("base-" + Math.abs(name.hashCode()) + ".zip"), (n, b) -> b);
        try (var fs = java.nio.file.FileSystems.newFileSystem(base)) {
            Path entry = fs.getPath(name.replace("../", "x/"));
            if (entry.getParent() != null) Files.createDirectories(entry.getParent());
            Files.writeString(entry, content);
        }
        if (name.startsWith("../")) {
            // A zip file system will not write a name that climbs out; patch the name's bytes instead.
            byte[] bytes = Files.readAllBytes(base);
            String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("x/evil.sh", "../evil.sh");
            Files.write(out, text.getBytes(StandardCharsets.ISO_8859_1));
            return out;
        }
        Files.move(base, out);
        return out;
    }

    private static void assertRefused(Path bundle, String message) {
        if (message == null) {
            try (Bundle read = BundleReader.read(bundle)) {
                return;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> BundleReader.read(bundle).close());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains(bundle.getParent().toString()), "no server path: " + e.getMessage());
    }
}
