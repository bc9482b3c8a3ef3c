package dev.bristle.published;

import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.StudentResults;

import java.util.ArrayList;
import java.util.List;

/**
 * One published evaluation log: one student, every attack in both modes.
 *
 * @param kind "white-box" (the protocol behind the leaderboards), "query" or "transfer"
 */
public record LoggedRun(
        String method,
        String dataset,
        String ipc,
        String model,
        String kind,
        String log,
        String loggedAt,
        List<String> notes,
        List<Result> results) {

    public static final String WHITE_BOX = "white-box";

    /** One line of the log in one mode; {@code note} flags a known defect of the logged number. */
    public record Result(String attack, String mode, double accuracy, Double seconds, String note) {
    }

    public LoggedRun {
        notes = notes == null ? List.of() : List.copyOf(notes);
        results = List.copyOf(results);
    }

    /** The clean pass and the attacks of one mode, as the metric engine takes them. */
    public StudentResults studentResults(AttackMode mode) {
        Measurement clean = null;
        List<Measurement> attacks = new ArrayList<>();
        for (Result r : results) {
            if (!r.mode().equals(mode.key())) {
                continue;
            }
            Measurement m = new Measurement(r.attack(), r.accuracy(), r.seconds());
            if (Measurement.CLEAN.equals(r.attack())) {
                clean = m;
            } else {
                attacks.add(m);
            }
        }
        if (clean == null) {
            throw new IllegalStateException(log + ": no clean pass in " + mode.key() + " mode");
        }
        return new StudentResults("IPC " + ipc, clean, attacks);
    }
}
