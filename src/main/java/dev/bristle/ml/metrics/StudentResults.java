package dev.bristle.ml.metrics;

import java.util.List;

/**
 * Everything measured on one student (one IPC) in one attack mode.
 *
 * @param label   what the student is, for reports (for example "IPC 10")
 * @param clean   the clean pass in the same mode (its time is the baseline of AE)
 * @param attacks one measurement per attack
 */
public record StudentResults(String label, Measurement clean, List<Measurement> attacks) {
    public StudentResults {
        attacks = List.copyOf(attacks);
    }
}
