package dev.bristle.ml.evidence;

import dev.bristle.ml.metrics.AttackMode;

import java.util.List;

/**
 * The worst case over the attacks of a run in one mode, as AutoAttack reports it: an image counts as robust only if
 * it is classified correctly without attack and after every attack.
 *
 * @param attacks  the attacks taken into account
 * @param accuracy share of robust images, in percent; never above any one attack's accuracy
 * @param correct  '1' per robust image, in data order
 * @param perClass the robust share per class, with its fairness figures
 */
public record WorstCase(AttackMode mode, List<String> attacks, double accuracy, String correct,
                        ClassAccuracy perClass) {

    public WorstCase {
        attacks = List.copyOf(attacks);
    }

    /**
     * @param clean    '1' per image classified correctly without attack
     * @param attacked per attack, '1' per image still classified correctly after it (same order)
     */
    static WorstCase of(AttackMode mode, int[] labels, int classes, String clean, List<String> attacks,
                        List<String> attacked) {
        char[] robust = clean.toCharArray();
        for (String correct : attacked) {
            if (correct.length() != robust.length) {
                throw new IllegalArgumentException("per-image results of " + correct.length() + " images, expected "
                        + robust.length);
            }
            for (int i = 0; i < robust.length; i++) if (correct.charAt(i) != '1') robust[i] = '0';
        }
        String correct = new String(robust);
        long count = correct.chars().filter(c -> c == '1').count();
        double accuracy = robust.length == 0 ? Double.NaN : 100.0 * count / robust.length;
        return new WorstCase(mode, attacks, accuracy, correct, ClassAccuracy.of(labels, correct, classes));
    }
}
