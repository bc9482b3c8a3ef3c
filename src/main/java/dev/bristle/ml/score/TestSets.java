package dev.bristle.ml.score;

import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.CifarPickleReader;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetFiles;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.data.Split;
import dev.bristle.ml.data.TinyImageNetReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and reads a dataset's test split under the data directory, in the layouts the datasets are distributed in.
 * Where only a lossy copy exists (the JPEG re-encoding of CIFAR-10's test set) it is used and said so.
 */
public final class TestSets {

    /**
     * A test split and where it came from; {@code note} says when it is not the exact official data.
     *
     * @param file      the file (or folder) read
     * @param copy      what the images are when they are a lossy copy of the official ones (e.g. "JPEG-decoded test
     *                  set"); null for the official files, which alone give comparable numbers
     * @param splitSize the images of the whole split, of which {@code images} may be the first ones
     */
    public record TestSet(ImageSet images, String description, String note, Path file, String copy, int splitSize) {

        /** The first {@code limit} images, always the same ones (the official order). */
        public TestSet firstImages(int limit) {
            if (limit >= images.count()) return this;
            return new TestSet(images.subset(limit), description + ", first " + limit + " of " + images.count()
                    + " images", note, file, copy, splitSize);
        }
    }

    private record Candidate(String path, String note, String copy, Reader reader) {
    }

    @FunctionalInterface
    private interface Reader {
        ImageSet read(Path file) throws IOException;
    }

    /** Exact parts of an official test split, known by their SHA-256: the first N images in the official order. */
    private record KnownPart(DatasetKind dataset, String description, int splitSize) {
    }

    private static final Map<String, KnownPart> KNOWN_PARTS = Map.of(
            "166784dad3e8e4d5a2f9bb0361ed632fc7b82c1353494880b5d8b57988ece819",
            new KnownPart(DatasetKind.CIFAR10, "the first 932 official CIFAR-10 test images, exact", 10_000));

    private TestSets() {
    }

    /**
     * A test file named by the user, in CIFAR's binary record format. A file known by its SHA-256 to be an exact
     * prefix of the official split counts as the first images of that split; any other file is a copy of unknown
     * fidelity, so a run on it is never official. The description names the file, never where it is kept.
     */
    public static TestSet fromFile(DatasetKind dataset, Path file, String sha256) throws IOException {
        ImageSet images = CifarBinaryReader.read(dataset, file);
        String name = String.valueOf(file.getFileName());
        KnownPart known = KNOWN_PARTS.get(sha256);
        if (known != null && known.dataset() == dataset) {
            return new TestSet(images, dataset + " test images from " + name + " (" + known.description() + ")", null,
                    file, null, known.splitSize());
        }
        return new TestSet(images, dataset + " test images from " + name, "a test file that is not known to be the"
                + " official split: accuracies are not comparable with published numbers", file, "test file " + name,
                images.count());
    }

    public static TestSet load(DatasetKind dataset, Path dataDir) throws IOException {
        if (dataset == DatasetKind.MNIST || dataset == DatasetKind.FASHION_MNIST) {
            // The IDX layouts (plain or .gz, Debian's or torchvision's) are the data directory's to know.
            DatasetFiles files = DataDirectory.offline(dataDir).locate(dataset, Split.TEST);
            ImageSet images = files.read();
            return new TestSet(images, dataset + " test split from " + underDataDir(dataDir, files.files().get(0)),
                    null, files.files().get(0), null, images.count());
        }
        List<Candidate> candidates = candidates(dataset);
        List<String> tried = new ArrayList<>();
        for (Candidate c : candidates) {
            Path file = dataDir.resolve(c.path());
            if (Files.exists(file)) {
                ImageSet images = c.reader().read(file);
                // The path under the data directory: where the server keeps its data is not the reader's business.
                return new TestSet(images, dataset + " test split from " + c.path(), c.note(), file, c.copy(),
                        images.count());
            }
            tried.add(file.toString());
        }
        throw new IOException("no " + dataset + " test split under " + dataDir + "; looked for " + String.join(", ",
                tried));
    }

    /** A file's path under the data directory (its name when it is elsewhere), never where the data directory is. */
    private static String underDataDir(Path dataDir, Path file) {
        Path root = dataDir.toAbsolutePath().normalize();
        Path absolute = file.toAbsolutePath().normalize();
        return (absolute.startsWith(root) ? root.relativize(absolute) : absolute.getFileName()).toString();
    }

    private static List<Candidate> candidates(DatasetKind dataset) {
        return switch (dataset) {
            case CIFAR10 -> List.of(
                    new Candidate("cifar-10-batches-py/test_batch", null, null,
                            f -> CifarPickleReader.read(dataset, f)),
                    new Candidate("cifar-10-batches-bin/test_batch.bin", null, null,
                            f -> CifarBinaryReader.read(dataset, f)),
                    new Candidate("cifar-10-test-jpeg/test_batch_jpeg_decoded.bin",
                            "the official test images re-encoded as JPEG (quality 75, about 6/255 from the official"
                                    + " pixels): accuracies are not directly comparable with published numbers",
                            "JPEG-decoded test set", f -> CifarBinaryReader.read(dataset, f)));
            case CIFAR100 -> List.of(
                    new Candidate("cifar-100-python/test", null, null, f -> CifarPickleReader.read(dataset, f)),
                    new Candidate("cifar-100-binary/test.bin", null, null, f -> CifarBinaryReader.read(dataset, f)));
            case TINY_IMAGENET -> List.of(new Candidate("tiny-imagenet-200", "the validation split (TinyImageNet's"
                    + " test labels are not public), as BEARD evaluates", null, TinyImageNetReader::readValidation));
            case MNIST, FASHION_MNIST -> List.of();
        };
    }
}
