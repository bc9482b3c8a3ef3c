package dev.bristle.ml.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.bristle.ml.engine.BatchUploader;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.PixelSpaceModel;


/**
 * Classifies a labelled image set in batches, each batch's native memory freed before the next. Not thread-safe: it
 * reuses one upload buffer.
 */
public final class CleanEvaluator {

    public static final int DEFAULT_BATCH_SIZE = 256;

    private final PixelSpaceModel model;
    private final int batchSize;
    private final BatchUploader uploader;

    public CleanEvaluator(PixelSpaceModel model) {
        this(model, DEFAULT_BATCH_SIZE);
    }

    public CleanEvaluator(PixelSpaceModel model, int batchSize) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive, not " + batchSize);
        this.model = model;
        this.batchSize = batchSize;
        ConvNetSpec spec = model.spec();
        this.uploader = new BatchUploader(batchSize * spec.channels() * spec.imageSize() * spec.imageSize());
    }

    /**
     * @param pixels images in [0, 1], NCHW, of the model's channel count and image size
     * @param labels class of each image
     */
    public CleanEvaluation evaluate(float[] pixels, int[] labels) {
        ConvNetSpec spec = model.spec();
        int imageLength = spec.channels() * spec.imageSize() * spec.imageSize();
        if ((long) labels.length * imageLength != pixels.length) {
            throw new IllegalArgumentException(labels.length + " images of " + spec.channels() + "x" + spec.imageSize()
                    + "x" + spec.imageSize() + " need " + (long) labels.length * imageLength + " pixel values, found "
                    + pixels.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= spec.classes()) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside the model's "
                        + spec.classes() + " classes");
            }
        }
        int[] predictions = new int[labels.length];
        long nanos = 0;
        for (int start = 0; start < labels.length; start += batchSize) {
            int count = Math.min(batchSize, labels.length - start);
            long began = System.nanoTime();
            try (NDManager batch = model.newBatchManager()) {
                NDArray images = uploader.upload(batch, pixels, start * imageLength, model.network().inputShape(count));
                long[] predicted = model.logitsWithoutGradient(images).argMax(1).toLongArray();
                for (int i = 0; i < count; i++) predictions[start + i] = (int) predicted[i];
            }
            nanos += System.nanoTime() - began;
        }
        return new CleanEvaluation(predictions, labels.clone(), spec.classes(), nanos / 1e9);
    }
}
