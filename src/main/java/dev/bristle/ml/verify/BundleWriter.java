package dev.bristle.ml.verify;

import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordJson;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a submission bundle: {@code manifest.json} first, then {@code record.json} (the full record, every student's
 * state dict SHA-256 filled in), {@code set/<file>} (the set as scored) and {@code students/student-<i>.pt} (each
 * student's state dict, written as {@code torch.save} writes one, so the safe reader and PyTorch both read it). The zip
 * is written beside the target and moved into place.
 */
public final class BundleWriter {

    private BundleWriter() {
    }

    /**
     * @param record           the run's full record; its subject's set names the set's file name and SHA-256
     * @param setFile          the set's bytes as scored
     * @param setNormalization "mean-std" or "pixels", how the set stores its values
     * @param students         every student's weights, in index order
     * @return the record as written, with the students' state dict SHA-256s
     */
    public static EvaluationRecord write(Path out, EvaluationRecord record, Path setFile, String setNormalization,
                                         List<? extends Map<String, HostTensor>> students) throws IOException {
        if (students.size() != record.students().size()) {
            throw new IllegalArgumentException(students.size() + " state dicts for " + record.students().size()
                    + " students");
        }
        Path folder = Files.createTempDirectory("bristle-bundle-out-");
        try {
            List<Path> studentFiles = new ArrayList<>();
            List<StudentOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < students.size(); i++) {
                Path file = folder.resolve("student-" + i + ".pt");
                TorchCheckpoint.writeStateDict(students.get(i), file);
                studentFiles.add(file);
                StudentOutcome s = record.students().get(i);
                outcomes.add(new StudentOutcome(s.index(), s.seed(), s.cleanAccuracy(), s.cleanPredictions(),
                        Sha256.of(file), s.attacks(), s.flags()));
            }
            EvaluationRecord written = new EvaluationRecord(record.schema(), record.schemaVersion(), record.subject(),
                    record.settings(), record.testSet(), outcomes, record.metrics(), record.curves(),
                    record.provenance());
            ByteArrayOutputStream recordBytes = new ByteArrayOutputStream();
            EvaluationRecords.write(written, recordBytes);
            String setEntry = BundleManifest.SET_FOLDER + record.subject().set().file();

            List<BundleManifest.FileEntry> files = new ArrayList<>();
            files.add(new BundleManifest.FileEntry(BundleManifest.RECORD, recordBytes.size(),
                    Sha256.of(recordBytes.toByteArray())));
            files.add(new BundleManifest.FileEntry(setEntry, Files.size(setFile), Sha256.of(setFile)));
            for (int i = 0; i < studentFiles.size(); i++) {
                files.add(new BundleManifest.FileEntry(BundleManifest.studentName(i), Files.size(studentFiles.get(i)),
                        Sha256.of(studentFiles.get(i))));
            }
            BundleManifest manifest = new BundleManifest(BundleManifest.FORMAT, BundleManifest.VERSION,
                    setNormalization, files);

            Path partial = out.resolveSibling(out.getFileName() + ".partial");
            try (OutputStream stream = Files.newOutputStream(partial); ZipOutputStream zip = new ZipOutputStream(stream)) {
                put(zip, BundleManifest.NAME, RecordJson.MAPPER.writeValueAsBytes(manifest));
                put(zip, BundleManifest.RECORD, recordBytes.toByteArray());
                put(zip, setEntry, setFile);
                for (int i = 0; i < studentFiles.size(); i++) {
                    put(zip, BundleManifest.studentName(i), studentFiles.get(i));
                }
            }
            Files.move(partial, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return written;
        } finally {
            try (var walk = Files.walk(folder)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void put(ZipOutputStream zip, String name, Path file) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        Files.copy(file, zip);
        zip.closeEntry();
    }
}
