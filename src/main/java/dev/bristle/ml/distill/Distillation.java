package dev.bristle.ml.distill;

import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.data.NormalizationDecision;
import dev.bristle.ml.data.NpzWriter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Runs a distiller and packs its images with their provenance: the entry point of {@code ./bristle distill} and the
 * app's distillation jobs. Plain Java on DJL.
 */
public final class Distillation {

    /** A distilled set, stored normalized with its dataset's mean and std, and where it came from. */
    public record Distilled(DistilledSet set, Provenance provenance) {

        /** Writes the set as an .npz the dataset pool accepts, the provenance inside. */
        public void writeNpz(Path file) throws IOException {
            NpzWriter.write(file, set, provenance.toJson());
        }
    }

    private Distillation() {
    }

    public static Distilled run(SourceImages source, DistillationSettings settings, DistillationProgress progress) {
        long began = System.nanoTime();
        Distiller distiller = switch (settings.method()) {
            case RANDOM -> new RandomSubset();
            case HERDING -> new Herding();
            case DM -> new DistributionMatching();
        };
        Distiller.Output output = distiller.distill(source, settings, progress);
        double seconds = (System.nanoTime() - began) / 1e9;
        var dataset = source.dataset();
        int count = output.labels().length;
        DistilledSet set = new DistilledSet(output.images(), output.labels(),
                new int[]{count, dataset.channels(), dataset.imageSize(), dataset.imageSize()},
                new NormalizationDecision(Normalization.meanStd(dataset), "written so by Bristle's "
                        + settings.method().key() + " distiller"),
                settings.method().displayName() + " IPC " + settings.ipc() + " of " + dataset + " (seed "
                        + settings.seed() + ")");
        Provenance provenance = new Provenance("Bristle", settings.method().key(), dataset.displayName(),
                settings.ipc(), settings.seed(), settings.iterations(), settings.describe(), source.description(),
                output.network(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), seconds);
        return new Distilled(set.validateFor(dataset), provenance);
    }
}
