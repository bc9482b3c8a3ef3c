package dev.bristle.ml.verify;

/**
 * One cell of the sampled-attacks check: one student, attack and mode.
 *
 * @param student      the student's 0-based index
 * @param sampled      images attacked here: a secret sample of those the record calls robust
 * @param recordRobust of them, the images the record calls robust (all of them, as the sample is drawn from those)
 * @param fooledHere   of those, the images the attack here fooled
 * @param agreement    share of the sampled images whose outcome here is the record's (1 - fooledHere / sampled);
 *                     1 when nothing was sampled
 */
public record AttackAgreement(int student, String attack, String mode, int sampled, int recordRobust, int fooledHere,
                              double agreement) {
}
