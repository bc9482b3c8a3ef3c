package dev.bristle.ml.distill;

/** The random-subset baseline: {@code ipc} real images of each class drawn without replacement from the seed. */
final class RandomSubset implements Distiller {

    @Override
    public Output distill(SourceImages source, DistillationSettings settings, DistillationProgress progress) {
        int[] chosen = source.balancedSample(settings.ipc(), Distiller.sampleRandom(settings.seed()));
        progress.progress(1, 1, "drew " + chosen.length + " images");
        return new Output(source.normalized(chosen), source.labels(chosen), "");
    }
}
