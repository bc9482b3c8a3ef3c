package dev.bristle.ml.eval;

/**
 * The result of classifying a labelled image set once, without attack.
 *
 * @param predictions      predicted class per image, in data order
 * @param labels           true class per image, in data order
 * @param classes          the model's class count
 * @param modelSeconds     wall time spent in the model (batch upload, forward pass, argmax, download); excludes
 *                         reading the data
 */
public record CleanEvaluation(int[] predictions, int[] labels, int classes, double modelSeconds) {

    public CleanEvaluation {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException(predictions.length + " predictions for " + labels.length + " labels");
        }
    }

    public int size() {
        return labels.length;
    }

    public int correctCount() {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) correct++;
        }
        return correct;
    }

    /** Percentage of images classified correctly (BEARD reports accuracy in percent). */
    public double accuracy() {
        return labels.length == 0 ? Double.NaN : 100.0 * correctCount() / labels.length;
    }

    /** One character per image in data order: '1' classified correctly, '0' not (the golden files' format). */
    public String correctness() {
        StringBuilder text = new StringBuilder(labels.length);
        for (int i = 0; i < labels.length; i++) text.append(predictions[i] == labels[i] ? '1' : '0');
        return text.toString();
    }

    /** Images of each class. */
    public int[] classCounts() {
        int[] counts = new int[classes];
        for (int label : labels) counts[label]++;
        return counts;
    }

    /** Percentage correct per true class; NaN for a class with no images. */
    public double[] perClassAccuracy() {
        int[] counts = classCounts();
        int[] correct = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) correct[labels[i]]++;
        }
        double[] accuracy = new double[classes];
        for (int c = 0; c < classes; c++) accuracy[c] = counts[c] == 0 ? Double.NaN : 100.0 * correct[c] / counts[c];
        return accuracy;
    }
}
