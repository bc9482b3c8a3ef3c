package dev.bristle.ml.score;

import dev.bristle.input.InvalidInputException;
import dev.bristle.keys.Keyed;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledReader;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.torch.SafeZip;
import dev.bristle.ml.torch.UnsafePickleException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * One file of the dataset pool: a DC/DSA/DM {@code res_*.pt}, an {@code .npz}, or MTT's {@code images_best.pt} and
 * {@code labels_best.pt} zipped together (one file, so one checksum). Reads it and checks it against what its
 * uploader states, listing every problem found rather than stopping at the first.
 */
public final class DistilledFile {

    /** How a pool file is laid out; {@link #key} is the name stored in the database. */
    public enum Format implements Keyed {
        RES_PT("res-pt", ".pt"), MTT("mtt", ".zip"), NPZ("npz", ".npz");

        private final String key;
        private final String extension;

        Format(String key, String extension) {
            this.key = key;
            this.extension = extension;
        }

        @Override
        public String key() {
            return key;
        }

        public String extension() {
            return extension;
        }

        public static Format fromKey(String key) {
            // Only keys written by the pool reach it: their case must match.
            return Keyed.fromKey(Format.class, key).filter(f -> f.key.equals(key)).orElseThrow(() ->
                    new IllegalArgumentException("unknown dataset file format '" + key + "' (res-pt, mtt or npz)"));
        }
    }

    /** What the uploader says the file holds. */
    public record Declared(DatasetKind dataset, int ipc, Normalization normalization) {
    }

    /** A file that could be read: the set as stored, and what is wrong with it for its declaration (empty: fine). */
    public record Checked(Format format, DistilledSet set, List<String> problems) {
    }

    static final String MTT_IMAGES = "images_best.pt";
    static final String MTT_LABELS = "labels_best.pt";

    /** Pixel sets may overshoot [0, 1] by rounding only. */
    private static final float PIXEL_TOLERANCE = 1e-4f;
    /** Mean/std-normalized natural images stay within a few dozen std of the mean; 0..255 data does not. */
    private static final float NORMALIZED_BOUND = 50f;

    private DistilledFile() {
    }

    /**
     * Reads {@code file} and checks it against {@code declared}. Problems with the content come back in the list;
     * a file that cannot be read at all throws, with {@code displayName} (the user's file name) in the message
     * in place of the path it was saved under.
     */
    public static Checked readAndCheck(Path file, String displayName, Declared declared) throws IOException {
        try {
            Format format = detect(file);
            DistilledSet set = read(file, format, declared.normalization());
            return new Checked(format, set, check(set, declared));
        } catch (UnsafePickleException e) {
            throw new IOException(displayName + " was refused: it contains a pickle that would run code or build an"
                    + " object that is not plain data (" + rename(e.getMessage(), file, displayName) + ")", e);
        } catch (IOException | InvalidInputException e) {
            throw new IOException(rename(e.getMessage(), file, displayName), e);
        }
    }

    /** Reads a pool file of a known format, the normalization as declared. */
    public static DistilledSet read(Path file, Format format, Normalization normalization) throws IOException {
        DistilledReader.NormalizationChoice choice = DistilledReader.NormalizationChoice.declared(normalization);
        return switch (format) {
            case RES_PT -> DistilledReader.readDcResult(file, choice);
            case NPZ -> DistilledReader.readNpz(file, choice);
            case MTT -> readMttZip(file, choice);
        };
    }

    /** Tells the format from the archive's entries (every accepted format is a zip archive). */
    public static Format detect(Path file) throws IOException {
        try (SafeZip zip = SafeZip.open(file)) {
            List<String> names = zip.names();
            if (mttEntry(names, MTT_IMAGES).isPresent() && mttEntry(names, MTT_LABELS).isPresent()) return Format.MTT;
            if (!names.isEmpty() && names.stream().allMatch(n -> n.endsWith(".npy"))) return Format.NPZ;
            if (names.stream().anyMatch(n -> n.endsWith("/data.pkl") || n.equals("data.pkl"))) return Format.RES_PT;
            throw new IOException(file + " is a zip archive but none of the accepted formats: a torch file (res_*.pt,"
                    + " with data.pkl), an .npz (only .npy entries) or a zip of MTT's " + MTT_IMAGES + " and "
                    + MTT_LABELS + " (entries: " + zip.describeNames() + ")");
        }
    }

    /**
     * Zips MTT's two files into one pool file. Fixed entry times and order, so the same two files always give the
     * same bytes and the same checksum.
     */
    public static void writeMttZip(Path images, Path labels, Path zip) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream zipped = new ZipOutputStream(out)) {
            zipped.setLevel(0);
            for (var part : List.of(List.of(MTT_IMAGES, images), List.of(MTT_LABELS, labels))) {
                ZipEntry entry = new ZipEntry((String) part.get(0));
                entry.setLastModifiedTime(FileTime.fromMillis(0));
                zipped.putNextEntry(entry);
                Files.copy((Path) part.get(1), zipped);
                zipped.closeEntry();
            }
        }
    }

    /**
     * Every problem of {@code set} for {@code declared}: image shape and channels, label range, per-class counts
     * against the IPC, and a value range consistent with the normalization. Non-finite values never get here (the
     * reader refuses them).
     */
    public static List<String> check(DistilledSet set, Declared declared) {
        List<String> problems = new ArrayList<>();
        DatasetKind dataset = declared.dataset();
        int[] shape = set.shape();
        if (shape[1] != dataset.channels()) {
            problems.add("the images have " + shape[1] + " channel(s); " + dataset + " images have "
                    + dataset.channels());
        }
        if (shape[2] != dataset.imageSize() || shape[3] != dataset.imageSize()) {
            problems.add("the images are " + shape[2] + "x" + shape[3] + " pixels; " + dataset + " images are "
                    + dataset.imageSize() + "x" + dataset.imageSize());
        }
        int[] perClass = new int[dataset.classCount()];
        int outside = 0;
        int firstOutside = 0;
        for (int label : set.labels()) {
            if (label < dataset.classCount()) {
                perClass[label]++;
            } else if (outside++ == 0) {
                firstOutside = label;
            }
        }
        if (outside > 0) {
            problems.add(outside + " label(s) are outside 0.." + (dataset.classCount() - 1) + " (" + dataset + " has "
                    + dataset.classCount() + " classes), the first is " + firstOutside);
        }
        List<String> wrongCounts = new ArrayList<>();
        for (int c = 0; c < perClass.length; c++) {
            if (perClass[c] != declared.ipc()) wrongCounts.add("class " + c + " has " + perClass[c]);
        }
        if (!wrongCounts.isEmpty()) {
            problems.add("the stated IPC is " + declared.ipc() + " but " + wrongCounts.size()
                    + " class(es) do not have " + declared.ipc() + " image(s): " + String.join(", ", wrongCounts.subList(0,
                    Math.min(5, wrongCounts.size()))) + (wrongCounts.size() > 5 ? ", ..." : "") + " (" + set.count()
                    + " images in all)");
        }
        rangeProblem(set.images(), declared.normalization()).ifPresent(problems::add);
        return problems;
    }

    private static Optional<String> rangeProblem(float[] values, Normalization normalization) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        String range = String.format(Locale.ROOT, "values span [%.4f, %.4f]", min, max);
        if (normalization.type() == Normalization.Type.PIXELS_0_1) {
            if (min < -PIXEL_TOLERANCE || max > 1 + PIXEL_TOLERANCE) {
                return Optional.of("the normalization is stated as pixels in [0, 1] but the " + range
                        + (min < 0 ? "; negative values suggest the dataset's mean/std normalization" : ""));
            }
            return Optional.empty();
        }
        if (min >= 0) {
            return Optional.of("the normalization is stated as the dataset's mean/std but the " + range
                    + " with nothing negative, which looks like un-normalized pixels");
        }
        if (Math.max(-min, max) > NORMALIZED_BOUND) {
            return Optional.of("the normalization is stated as the dataset's mean/std but the " + range
                    + ", beyond " + NORMALIZED_BOUND + " standard deviations (0..255 pixels normalized?)");
        }
        return Optional.empty();
    }

    private static DistilledSet readMttZip(Path file, DistilledReader.NormalizationChoice choice) throws IOException {
        Path images = Files.createTempFile(file.getParent(), "mtt-images", ".pt");
        Path labels = Files.createTempFile(file.getParent(), "mtt-labels", ".pt");
        try (SafeZip zip = SafeZip.open(file)) {
            try (OutputStream out = Files.newOutputStream(images)) {
                zip.copy(mttEntry(zip.names(), MTT_IMAGES).orElseThrow(() -> missing(file, MTT_IMAGES)), out);
            }
            try (OutputStream out = Files.newOutputStream(labels)) {
                zip.copy(mttEntry(zip.names(), MTT_LABELS).orElseThrow(() -> missing(file, MTT_LABELS)), out);
            }
            DistilledSet set = DistilledReader.readMtt(images, labels, choice);
            return new DistilledSet(set.images(), set.labels(), set.shape(), set.normalization(),
                    file + " (" + MTT_IMAGES + " + " + MTT_LABELS + ")");
        } catch (UnsafePickleException e) {
            throw new UnsafePickleException(entryNames(e.getMessage(), file, images, labels));
        } catch (IOException e) {
            throw new IOException(entryNames(e.getMessage(), file, images, labels), e);
        } finally {
            Files.deleteIfExists(images);
            Files.deleteIfExists(labels);
        }
    }

    /** A message about the two files extracted from an MTT zip, naming them as entries of it (not where they were). */
    private static String entryNames(String message, Path file, Path images, Path labels) {
        return message == null ? file + " could not be read" : message
                .replace(images.toString(), MTT_IMAGES + " in " + file)
                .replace(labels.toString(), MTT_LABELS + " in " + file);
    }

    private static Optional<String> mttEntry(List<String> names, String file) {
        return names.stream().filter(n -> n.equals(file) || n.endsWith("/" + file)).findFirst();
    }

    private static IOException missing(Path file, String entry) {
        return new IOException(file + " has no " + entry);
    }

    private static String rename(String message, Path file, String displayName) {
        return message == null ? displayName + " could not be read" : message.replace(file.toString(), displayName);
    }
}
