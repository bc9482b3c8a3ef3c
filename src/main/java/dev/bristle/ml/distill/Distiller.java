package dev.bristle.ml.distill;

/** One distillation method: real training images in, {@code ipc} images of each class out. */
interface Distiller {

    /**
     * @return the images, normalized with the dataset's mean and std, class after class ({@code ipc} of class 0
     *         first), and a sentence on the network the method used (empty when it used none)
     * @throws java.util.concurrent.CancellationException when {@code progress} asks to stop
     */
    Output distill(SourceImages source, DistillationSettings settings, DistillationProgress progress);

    record Output(float[] images, int[] labels, String network) {
    }

    /** The random source of the initial class-balanced sample: the same for every method with the same seed. */
    static java.util.SplittableRandom sampleRandom(long seed) {
        return new java.util.SplittableRandom(seed).split();
    }

    static void checkCancelled(DistillationProgress progress) {
        if (progress.cancelled()) throw new java.util.concurrent.CancellationException("distillation cancelled");
    }
}
