package dev.bristle.ml.metrics;

/**
 * One pass of one student over a test set: the clean pass or one attack.
 *
 * @param attack   the attack's name ("Clean" for the clean pass)
 * @param accuracy accuracy in percent
 * @param seconds  wall time of the pass in seconds, or null where it was not recorded
 */
public record Measurement(String attack, double accuracy, Double seconds) {

    public static final String CLEAN = "Clean";

    public Measurement {
        if (!Double.isFinite(accuracy) || accuracy < 0 || accuracy > 100) {
            throw new IllegalArgumentException(attack + ": accuracy must be a percentage in [0, 100], got " + accuracy);
        }
        if (seconds != null && (!Double.isFinite(seconds) || seconds < 0)) {
            throw new IllegalArgumentException(attack + ": seconds must be finite and non-negative, got " + seconds);
        }
    }
}
