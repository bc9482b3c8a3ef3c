package dev.bristle.submissions;

import dev.bristle.accounts.Actor;
import dev.bristle.input.InvalidInputException;
import dev.bristle.leaderboard.MeasuredRun;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.train.TrainingRecipe;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a bundle's record says it measured, as a submission keeps it and as its entry goes on the boards. A record
 * that names no set, an unknown dataset, protocol, recipe or mode is the bundle's fault: an InvalidInputException.
 */
record BundleFacts(DatasetKind dataset, int ipc, String method, AttackProtocol protocol, TrainingRecipe.Kind recipe,
                   String setSha256) {

    private static final int MAX_METHOD = 100;

    static BundleFacts of(EvaluationRecord record) {
        EvaluationRecord.Subject subject = record.subject();
        if (subject.set() == null || subject.set().sha256() == null) {
            throw new InvalidInputException("the record names no distilled set with its SHA-256: only a set's"
                    + " official run can be submitted");
        }
        String method = subject.method() == null ? "" : subject.method().trim();
        if (method.isEmpty() || method.length() > MAX_METHOD || method.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException("the record's method must be a name of 1 to " + MAX_METHOD
                    + " characters");
        }
        if (!subject.set().sha256().matches("[0-9a-fA-F]{64}")) {
            throw new InvalidInputException("the record's set SHA-256 is not 64 hexadecimal digits");
        }
        return new BundleFacts(known(() -> DatasetKind.fromName(subject.dataset()), "dataset"), subject.ipc(), method,
                known(() -> AttackProtocol.fromKey(record.settings().protocol()), "protocol"),
                known(() -> TrainingRecipe.Kind.fromKey(subject.recipe()), "training recipe"),
                subject.set().sha256().toLowerCase(Locale.ROOT));
    }

    /** A key of the record read by {@code reader}; a refusal that does not quote it when this server knows none such. */
    private static <T> T known(java.util.function.Supplier<T> reader, String what) {
        try {
            return reader.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("the record's " + what + " is not one this server knows");
        }
    }

    /**
     * The record's numbers as a measured run of {@code submitter}'s: ranked (verification passed, so the settings were
     * the official ones), its metrics, intervals and worst cases as the record states them (the arithmetic check
     * recomputed them).
     */
    static MeasuredRun run(EvaluationRecord record, long submissionId, Actor submitter) {
        BundleFacts facts = of(record);
        Map<AttackMode, MetricReport> metrics = new EnumMap<>(AttackMode.class);
        Map<AttackMode, double[]> intervals = new EnumMap<>(AttackMode.class);
        Map<AttackMode, Double> robust = new EnumMap<>(AttackMode.class);
        List<String> students = record.students().stream().map(s -> "student " + (s.index() + 1)).toList();
        record.metrics().forEach((key, m) -> {
            AttackMode mode = AttackMode.fromKey(key);
            metrics.put(mode, new MetricReport(mode, Double.NaN, students, record.settings().attacks(), List.of(),
                    null, null, m.rrm(), m.aem(), m.crei(), List.of()));
            if (m.creiInterval() != null) intervals.put(mode, new double[] {m.creiInterval().low(),
                    m.creiInterval().high()});
            if (m.robustAccuracy() != null) robust.put(mode, m.robustAccuracy());
        });
        double clean = record.students().stream().mapToDouble(EvaluationRecord.StudentOutcome::cleanAccuracy)
                .average().orElse(Double.NaN);
        return new MeasuredRun(null, "verified submission #" + submissionId, submitter,
                facts.dataset().displayName(), facts.ipc(), facts.method(), null, null, facts.protocol(),
                facts.recipe(), List.of(), clean, String.format(Locale.ROOT, "mean of %d student(s) on %d test images",
                record.students().size(), record.testSet().images()), metrics, intervals, robust);
    }
}
