package dev.bristle.ml.verify;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.score.DistilledFile;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A submission bundle as {@link BundleReader} read it: its manifest and record parsed, every other file extracted to a
 * private folder (deleted on {@link #close}) with its size and SHA-256 as found, so the integrity check can compare
 * them with the manifest. The set and the students' state dicts are read when asked for, by the safe readers.
 */
public final class Bundle implements AutoCloseable {

    private final Path folder;
    private final BundleManifest manifest;
    private final EvaluationRecord record;
    private final List<String> entries;
    private final Map<String, Path> files;
    private final Map<String, String> sha256;
    private final Map<String, Long> sizes;
    private final String setName;

    Bundle(Path folder, BundleManifest manifest, EvaluationRecord record, List<String> entries, Map<String, Path> files,
           Map<String, String> sha256, Map<String, Long> sizes, String setName) {
        this.folder = folder;
        this.manifest = manifest;
        this.record = record;
        this.entries = List.copyOf(entries);
        this.files = Map.copyOf(files);
        this.sha256 = Map.copyOf(sha256);
        this.sizes = Map.copyOf(sizes);
        this.setName = setName;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public EvaluationRecord record() {
        return record;
    }

    /** The bundle's files but the manifest, in bundle order. */
    public List<String> entries() {
        return entries;
    }

    /** SHA-256 of file {@code name} as found in the bundle. */
    public String sha256(String name) {
        return sha256.get(name);
    }

    /** Size of file {@code name} as found in the bundle. */
    public long size(String name) {
        return sizes.get(name);
    }

    /** The set's file name (under {@value BundleManifest#SET_FOLDER}). */
    public String setName() {
        return setName;
    }

    /** Where file {@code name} of the bundle was extracted to. */
    Path file(String name) {
        return files.get(name);
    }

    /** The set's bundle entry name. */
    public String setEntry() {
        return BundleManifest.SET_FOLDER + setName;
    }

    /** Student state dicts in the bundle. */
    public int studentFiles() {
        return (int) entries.stream().filter(e -> e.startsWith(BundleManifest.STUDENT_PREFIX)).count();
    }

    /** Student {@code index}'s weights, read by the safe unpickler; a file it refuses is the submitter's mistake. */
    public LinkedHashMap<String, HostTensor> stateDict(int index) {
        Path file = files.get(BundleManifest.studentName(index));
        if (file == null) throw new InvalidInputException("the bundle has no state dict of student " + (index + 1));
        try {
            return TorchCheckpoint.readStateDict(file);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("student " + (index + 1) + "'s state dict in the bundle cannot be read as"
                    + " a PyTorch state dict");
        }
    }

    /** The set as it was scored: its format found from its entries, its values as the manifest states them. */
    public DistilledSet set(DatasetKind dataset) {
        Path file = files.get(setEntry());
        Normalization normalization = switch (String.valueOf(manifest.setNormalization())) {
            case "mean-std" -> Normalization.meanStd(dataset);
            case "pixels" -> Normalization.PIXELS_0_1;
            default -> throw new InvalidInputException("the manifest's set normalization must be mean-std or pixels");
        };
        try {
            return DistilledFile.read(file, DistilledFile.detect(file), normalization);
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("the bundle's set cannot be read as a distilled set");
        }
    }

    @Override
    public void close() {
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
