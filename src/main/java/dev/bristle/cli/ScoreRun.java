package dev.bristle.cli;

import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.distill.Provenance;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import dev.bristle.ml.record.RecordAssembler;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.MemoryStageStore;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.train.TrainingConfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A finished run of {@code ./bristle score} in its two forms: the report it prints (clean accuracy, the metrics and
 * their intervals, each student's worst case, the sanity flags, the curves) and the evaluation record it writes.
 *
 * @param nominalEpochs BEARD's nominal epochs (N + 1 are trained), as the record's settings state them
 * @param provenance    how Bristle distilled the set, when it is a Bristle {@code .npz} that says so; else null
 */
record ScoreRun(String method, DatasetKind kind, int ipc, int nominalEpochs, AttackPlan plan, TrainingConfig training,
                TestSets.TestSet test, ScoringPipeline.Result result, MemoryStageStore store, Provenance provenance) {

    /** The report, as {@code score} prints it. */
    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "%s on %s, IPC %d: %d student(s), %d epoch(s) each, %s training, %d test images%n",
                method, kind, ipc, training.students(), training.epochs(), training.recipe().describe(),
                result.testImages());
        if (provenance != null) {
            out.printf(Locale.ROOT, "distilled by Bristle: %s, seed %d, %d iteration(s), from %s%n",
                    provenance.method(), provenance.seed(), provenance.iterations(), provenance.sourceData());
        }
        if (result.testSetNote() != null) out.println("note: " + result.testSetNote());
        for (ScoringPipeline.StudentScore s : result.students()) {
            out.printf(Locale.ROOT, "  student %d: %.2f %% clean%n", s.index() + 1, s.cleanAccuracy());
        }
        out.printf(Locale.ROOT, "mean clean accuracy %.2f %% (std %.2f)%n", result.meanCleanAccuracy(),
                result.cleanAccuracyStd());
        printMetrics(out);
        printEvidence(out);
        if (!result.curves().isEmpty()) AttackReport.printCurves(out, result.curves());
    }

    private void printMetrics(PrintWriter out) {
        result.metrics().forEach((mode, report) -> out.printf(Locale.ROOT, "%s: CREI %s, RRM %s, AEM %s%s%n",
                mode.key(), format(report.crei()), format(report.rr()), format(report.ae()),
                report.notes().isEmpty() ? "" : " (" + String.join("; ", report.notes()) + ")"));
        result.uncertainty().forEach((mode, u) -> out.printf(Locale.ROOT,
                "%s: 95 %% bootstrap interval (%d resamples over students%s): CREI %s, RRM %s, AEM %s%n", mode.key(),
                u.resamples(), u.overImages() ? " and test images" : "", interval(u.crei()), interval(u.rrm()),
                interval(u.aem())));
    }

    private void printEvidence(PrintWriter out) {
        for (ModelEvidence student : result.evidence()) {
            for (WorstCase worst : student.worstCase()) {
                out.printf(Locale.ROOT, "%s, %s: worst case over the attacks %.2f %%%n", student.label(),
                        worst.mode().key(), worst.accuracy());
            }
        }
        List<String> flags = result.flagLines();
        if (!result.evidence().isEmpty()) {
            out.println(flags.isEmpty() ? "sanity checks: none raised" : "sanity checks raised:");
            flags.forEach(line -> out.println("  " + line));
        }
    }

    /** The run as an evaluation record: every student's seed, per-image results, metrics and provenance. */
    EvaluationRecord record(EvaluationRecord.SetFile set, String command, Instant began) throws IOException {
        List<Long> seeds = result.students().stream().map(s -> training.studentSeed(s.index())).toList();
        RecordAssembler.Run run = new RecordAssembler.Run(plan.protocol(), plan.attacks(), plan.modes(), seeds,
                result.students().stream().map(ScoringPipeline.StudentScore::cleanAccuracy).toList(), null,
                store::attackMeasurement, result.metrics(), result.uncertainty(), result.evidence(), result.curves());
        return new EvaluationRecord(EvaluationRecords.SCHEMA, EvaluationRecords.VERSION,
                new EvaluationRecord.Subject(CliRecords.datasetKey(kind), kind.displayName(), ipc, method,
                        training.recipe().kind().key(), training.recipe().describe(), set, null),
                CliRecords.settings(plan, nominalEpochs, training.students(), test, result.testImages(),
                        training.seed()),
                CliRecords.testSet(test, result.testImages()), RecordAssembler.students(run),
                RecordAssembler.metrics(run), RecordAssembler.curves(result.curves()),
                CliRecords.provenance(command, ComputeDevice.select(training.device()), began));
    }

    private static String interval(Estimate estimate) {
        return estimate.low() == null ? "undefined" : String.format(Locale.ROOT, "[%.2f, %.2f]", estimate.low(),
                estimate.high());
    }

    private static String format(Double value) {
        return value == null ? "undefined" : String.format(Locale.ROOT, "%.2f", value);
    }
}
