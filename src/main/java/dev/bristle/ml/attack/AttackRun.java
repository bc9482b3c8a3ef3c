package dev.bristle.ml.attack;

import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.AttackSuccess;
import dev.bristle.ml.metrics.ImageResults;
import dev.bristle.ml.metrics.Measurement;

import java.util.Map;

/**
 * One attack in one mode over a data set, per sample and in total.
 *
 * @param attack                 the attack's name
 * @param mode                   targeted or untargeted
 * @param protocol               the protocol it ran under
 * @param hyperparameters        the attack's settings
 * @param seed                   the suite's seed
 * @param executed               false where the protocol scores the clean images instead (BEARD's targeted DeepFool
 *                               and AutoAttack)
 * @param cleanPredictions       prediction per sample without attack
 * @param adversarialPredictions prediction per sample after the attack
 * @param labels                 true class per sample
 * @param targets                target class per sample (targeted), or null
 * @param l2                     L2 norm of each sample's perturbation, in pixels
 * @param linf                   L-inf norm of each sample's perturbation, in pixels
 * @param forwardPasses          forward passes the attack spent per sample (the final scoring pass not included)
 * @param backwardPasses         backward passes the attack spent per sample
 * @param seconds                wall time of the model work (attack and scoring, no data loading)
 * @param rate                   the passes it spent (scoring included), the share of its time inside them and the
 *                               batch sizes they ran at
 */
public record AttackRun(String attack, AttackMode mode, AttackProtocol protocol, Map<String, Object> hyperparameters,
                        long seed, boolean executed, int[] cleanPredictions, int[] adversarialPredictions, int[] labels,
                        int[] targets, float[] l2, float[] linf, long[] forwardPasses, long[] backwardPasses,
                        double seconds, PassRate rate) {

    public int size() {
        return labels.length;
    }

    public boolean[] correct() {
        boolean[] correct = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) correct[i] = adversarialPredictions[i] == labels[i];
        return correct;
    }

    public boolean[] cleanCorrect() {
        boolean[] correct = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) correct[i] = cleanPredictions[i] == labels[i];
        return correct;
    }

    /** Robust accuracy in percent. */
    public double accuracy() {
        return percent(correct());
    }

    /** One character per sample in data order, '1' = still classified correctly (the golden files' format). */
    public String correctness() {
        return bits(correct());
    }

    public AttackSuccess success() {
        return AttackSuccess.of(cleanCorrect(), correct(), seconds);
    }

    public double forwardPassesPerSample() {
        return mean(forwardPasses);
    }

    public double backwardPassesPerSample() {
        return mean(backwardPasses);
    }

    /** Model passes per image, the scoring pass included: the cost AE counts in the sound protocol. */
    public double passesPerSample() {
        return CleanRun.PASSES_PER_IMAGE + forwardPassesPerSample() + backwardPassesPerSample();
    }

    /**
     * This run as the metrics take it, with its wall time, passes, the batch sizes they ran at, per-image correctness,
     * predictions and passes, and with {@code minimal} (a minimal-perturbation attack: CW, DeepFool) each image's L2 perturbation norm.
     */
    public Measurement measurement(boolean minimal) {
        int[] passes = new int[labels.length];
        for (int i = 0; i < passes.length; i++) {
            passes[i] = Math.toIntExact((long) CleanRun.PASSES_PER_IMAGE + forwardPasses[i] + backwardPasses[i]);
        }
        double[] norm = null;
        if (minimal) {
            norm = new double[l2.length];
            for (int i = 0; i < norm.length; i++) norm[i] = l2[i];
        }
        return new Measurement(attack, accuracy(), seconds, passesPerSample(), correctness(),
                new ImageResults(adversarialPredictions.clone(), passes, norm),
                rate.passes() > 0 ? rate.batchSizes() : null);
    }

    static double percent(boolean[] flags) {
        if (flags.length == 0) return Double.NaN;
        int count = 0;
        for (boolean flag : flags) if (flag) count++;
        return 100.0 * count / flags.length;
    }

    static String bits(boolean[] flags) {
        StringBuilder text = new StringBuilder(flags.length);
        for (boolean flag : flags) text.append(flag ? '1' : '0');
        return text.toString();
    }

    private static double mean(long[] values) {
        if (values.length == 0) return Double.NaN;
        double sum = 0;
        for (long v : values) sum += v;
        return sum / values.length;
    }
}
