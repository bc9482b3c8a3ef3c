package dev.bristle.ml.distill;

import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetFiles;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.data.Split;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The real training images a dataset's sets are distilled from, found in a data directory. */
public final class TrainingSources {

    /**
     * Under a data root: the first 932 exact images of each of CIFAR-10's five official training batches (4,660
     * images; batch k's image j is official training image 10000 (k - 1) + j), in CIFAR's binary record format. The
     * only exact CIFAR-10 training images where the full files cannot be had (see ../shared/data/SOURCES.md).
     */
    public static final String CIFAR10_PARTIAL = "cifar-10-partial-official/train_first932_per_batch.bin";

    private TrainingSources() {
    }

    /**
     * The official training split when it is in {@code data} (downloaded when it is missing and {@code data}
     * downloads); for CIFAR-10 without the full files, the partial official file {@value #CIFAR10_PARTIAL}, said so
     * in the description every distilled set's provenance carries.
     */
    public static SourceImages load(DatasetKind kind, DataDirectory data) throws IOException {
        Optional<DatasetFiles> present = data.find(kind, Split.TRAIN);
        Path partial = data.root().resolve(CIFAR10_PARTIAL);
        if (present.isEmpty() && kind == DatasetKind.CIFAR10 && Files.isRegularFile(partial)) {
            ImageSet images = CifarBinaryReader.read(kind, partial);
            return new SourceImages(kind, images, String.format(Locale.ROOT, "the first 932 exact images of each of"
                    + " CIFAR-10's five official training batches (%,d of the 50,000 training images): %s",
                    images.count(), CIFAR10_PARTIAL));
        }
        DatasetFiles files = present.isPresent() ? present.get() : data.locate(kind, Split.TRAIN);
        ImageSet images = files.read();
        // The files by name: a provenance travels with the set, and where a server keeps its data is not its business.
        return new SourceImages(kind, images, String.format(Locale.ROOT, "%s's official training split (%,d images):"
                + " %s", kind, images.count(), files.files().stream().map(f -> f.getFileName().toString())
                .collect(Collectors.joining(", "))));
    }
}
