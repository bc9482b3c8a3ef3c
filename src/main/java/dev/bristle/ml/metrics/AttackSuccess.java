package dev.bristle.ml.metrics;

/**
 * Attack success rate and attack success time as the BEARD paper defines them, from per-sample results.
 *
 * @param cleanCorrect  samples the student classifies correctly without attack
 * @param flipped       of those, the samples the attack makes misclassified
 * @param asr           flipped / cleanCorrect in percent; null when no sample was correct to begin with
 * @param ast           seconds per successful adversarial example (attack wall time / flipped); null when none
 */
public record AttackSuccess(int cleanCorrect, int flipped, Double asr, Double ast) {

    /**
     * @param clean         per-sample correctness on clean inputs
     * @param attacked      per-sample correctness on attacked inputs, same order
     * @param attackSeconds wall time of the attack pass, or null when not recorded
     */
    public static AttackSuccess of(boolean[] clean, boolean[] attacked, Double attackSeconds) {
        if (clean.length != attacked.length) {
            throw new IllegalArgumentException(
                    "clean and attacked results differ in length: " + clean.length + " vs " + attacked.length);
        }
        int correct = 0;
        int flipped = 0;
        for (int i = 0; i < clean.length; i++) {
            if (clean[i]) {
                correct++;
                if (!attacked[i]) {
                    flipped++;
                }
            }
        }
        Double asr = correct == 0 ? null : 100.0 * flipped / correct;
        Double ast = flipped == 0 || attackSeconds == null ? null : attackSeconds / flipped;
        return new AttackSuccess(correct, flipped, asr, ast);
    }

    /** Parses a correctness string of '0'/'1' characters, one per sample, as the reports write them. */
    public static boolean[] parseCorrectness(String bits) {
        boolean[] result = new boolean[bits.length()];
        for (int i = 0; i < bits.length(); i++) {
            char c = bits.charAt(i);
            if (c != '0' && c != '1') {
                throw new IllegalArgumentException("correctness string has '" + c + "' at " + i + "; expected 0 or 1");
            }
            result[i] = c == '1';
        }
        return result;
    }
}
