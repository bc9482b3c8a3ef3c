package dev.bristle.scoring;

import dev.bristle.leaderboard.EvidenceSource;
import dev.bristle.leaderboard.Links;
import dev.bristle.leaderboard.MeasuredEvidence;
import dev.bristle.ml.evidence.ClassFairness;
import dev.bristle.ml.evidence.Estimate;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.SanityFlag;
import dev.bristle.ml.evidence.WorstCase;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.Stats;
import dev.bristle.modelpool.PoolModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The evidence behind measured entries: a succeeded scoring job's measurements summed up over its students (means,
 * spreads, attack success rates, worst cases, per-class accuracy and fairness, sanity flags).
 */
@ApplicationScoped
public class JobEvidence implements EvidenceSource {

    @Inject
    JobService jobs;

    @Inject
    JobPieces pieces;

    @Override
    @Transactional
    public Optional<MeasuredEvidence> evidence(long jobId) {
        return ScoringJob.<ScoringJob>findByIdOptional(jobId).filter(job -> job.state == JobState.SUCCEEDED)
                .map(this::evidence);
    }

    @Override
    @Transactional
    public List<MeasuredEvidence> checkpointEvaluations(String dataset, String method) {
        List<Long> models = PoolModel.publishedOf(dataset, method).stream().map(m -> m.id).toList();
        return ScoringJob.forModels(models).stream().filter(job -> job.state == JobState.SUCCEEDED)
                .map(this::evidence).toList();
    }

    /**
     * A succeeded job's measurements over its students, per attack and mode, with its evidence: from its row alone,
     * not its view, whose hundreds of tasks and their attempts an entry page does not show.
     */
    private MeasuredEvidence evidence(ScoringJob stored) {
        JobService.Subject subject = JobService.subject(stored);
        JobSettings settings = jobs.readSettings(stored);
        JobResults results = pieces.read(stored.results);
        List<ModelEvidence> students = results.evidence() == null ? List.of() : results.evidence();
        JobResults.Ranking ranking = results.ranking();
        String url = Links.job(stored.id);
        return new MeasuredEvidence(stored.id, url, "/api" + url + "/record", subject.label(), subject.ipc(),
                settings.protocol(), ranking == null ? null : ranking.status(),
                ranking == null ? List.of() : ranking.differences(), settings.students(),
                results.testImages(), results.testSet(), results.testSetNote(), results.meanCleanAccuracy(),
                results.cleanAccuracyStd(), attacks(settings, results), metrics(results),
                worstCases(settings.modes(), students), perClass(settings.modes(), students),
                flags(students), results.curves() == null ? List.of() : results.curves(), results.provenance());
    }

    /** Each attack's (and the clean pass's) accuracy over the students that ran it, per mode. */
    private static List<MeasuredEvidence.AttackEvidence> attacks(JobSettings settings, JobResults results) {
        List<MeasuredEvidence.AttackEvidence> attacks = new ArrayList<>();
        for (String mode : settings.modes()) {
            AttackMode attackMode = AttackMode.fromKey(mode);
            List<String> names = new ArrayList<>(List.of(Measurement.CLEAN));
            names.addAll(settings.attacks());
            for (String attack : names) {
                List<Integer> students = results.attacks().keySet().stream()
                        .filter(i -> results.attack(i, attackMode, attack).isPresent()).toList();
                if (students.isEmpty()) continue;
                List<Measurement> measured = students.stream()
                        .map(i -> results.attack(i, attackMode, attack).orElseThrow()).toList();
                double[] accuracies = measured.stream().mapToDouble(Measurement::accuracy).toArray();
                List<Double> asr = new ArrayList<>();
                if (!Measurement.CLEAN.equals(attack)) {
                    for (int i : students) {
                        successRate(results.attack(i, attackMode, Measurement.CLEAN).orElse(null),
                                results.attack(i, attackMode, attack).orElseThrow()).ifPresent(asr::add);
                    }
                }
                attacks.add(new MeasuredEvidence.AttackEvidence(mode, attack, Stats.mean(accuracies),
                        Stats.sampleStd(accuracies), asr.size() == students.size() ? Stats.mean(asr) : null,
                        meanOrNull(measured.stream().map(Measurement::passes).toList()),
                        meanOrNull(measured.stream().map(Measurement::seconds).toList()), measured.size()));
            }
        }
        return attacks;
    }

    /** RRM, AEM and CREI per mode, with their intervals where the job measured them. */
    private static List<MeasuredEvidence.ModeMetrics> metrics(JobResults results) {
        if (results.metrics() == null) return List.of();
        Map<AttackMode, MetricUncertainty> uncertainty = results.uncertainty() == null ? Map.of()
                : results.uncertainty();
        return results.metrics().values().stream().map(r -> {
            MetricUncertainty u = uncertainty.get(r.mode());
            return new MeasuredEvidence.ModeMetrics(r.mode().key(), r.rr(), r.ae(), r.crei(),
                    r.efficiency() == null ? null : r.efficiency().basis().name().toLowerCase(Locale.ROOT)
                            .replace('_', ' '),
                    u == null ? null : interval(u.rrm()), u == null ? null : interval(u.aem()),
                    u == null ? null : interval(u.crei()), r.notes());
        }).toList();
    }

    /** The share (%) of the images {@code clean} classified correctly that {@code attacked} got wrong. */
    private static Optional<Double> successRate(Measurement clean, Measurement attacked) {
        if (clean == null || clean.correct() == null || attacked.correct() == null
                || clean.correct().length() != attacked.correct().length()) {
            return Optional.empty();
        }
        int correct = 0;
        int flipped = 0;
        for (int i = 0; i < clean.correct().length(); i++) {
            if (clean.correct().charAt(i) != '1') continue;
            correct++;
            if (attacked.correct().charAt(i) != '1') flipped++;
        }
        return Optional.of(correct == 0 ? 0 : 100.0 * flipped / correct);
    }

    private static MeasuredEvidence.Interval interval(Estimate estimate) {
        return estimate == null ? null : new MeasuredEvidence.Interval(estimate.studentStd(), estimate.low(),
                estimate.high());
    }

    private static List<MeasuredEvidence.WorstCase> worstCases(List<String> modes, List<ModelEvidence> students) {
        List<MeasuredEvidence.WorstCase> worst = new ArrayList<>();
        for (String mode : modes) {
            List<WorstCase> each = students.stream().flatMap(s -> s.worstCase().stream())
                    .filter(w -> w.mode().key().equals(mode)).toList();
            if (each.isEmpty()) continue;
            double[] accuracies = each.stream().mapToDouble(WorstCase::accuracy).toArray();
            worst.add(new MeasuredEvidence.WorstCase(mode, each.get(0).attacks(), Stats.mean(accuracies), Stats.sampleStd(accuracies)));
        }
        return worst;
    }

    private static List<MeasuredEvidence.PerClass> perClass(List<String> modes, List<ModelEvidence> students) {
        List<MeasuredEvidence.PerClass> perClass = new ArrayList<>();
        List<List<Double>> clean = students.stream().filter(s -> s.cleanPerClass() != null)
                .map(s -> s.cleanPerClass().accuracy()).toList();
        if (clean.isEmpty()) return perClass;
        List<Double> cleanMean = meanPerClass(clean);
        for (String mode : modes) {
            List<List<Double>> worst = students.stream().flatMap(s -> s.worstCase().stream())
                    .filter(w -> w.mode().key().equals(mode) && w.perClass() != null)
                    .map(w -> w.perClass().accuracy()).toList();
            List<Double> worstMean = worst.isEmpty() ? null : meanPerClass(worst);
            perClass.add(new MeasuredEvidence.PerClass(mode, cleanMean, worstMean, fairness(cleanMean),
                    worstMean == null ? null : fairness(worstMean)));
        }
        return perClass;
    }

    /** The mean accuracy of each class over the students (null for a class no student had images of). */
    private static List<Double> meanPerClass(List<List<Double>> students) {
        List<Double> mean = new ArrayList<>();
        for (int c = 0; c < students.get(0).size(); c++) {
            int at = c;
            List<Double> values = students.stream().map(s -> s.get(at)).filter(Objects::nonNull).toList();
            mean.add(values.isEmpty() ? null : Stats.mean(values));
        }
        return mean;
    }

    /** Worst class, best minus worst and the population standard deviation across the classes with images. */
    private static MeasuredEvidence.Fairness fairness(List<Double> perClass) {
        ClassFairness f = ClassFairness.of(perClass);
        if (f.worstClass() == null) return null;
        return new MeasuredEvidence.Fairness(f.worstClass(), f.worst(), f.gap(), f.std());
    }

    private static List<String> flags(List<ModelEvidence> students) {
        List<String> flags = new ArrayList<>();
        for (ModelEvidence student : students) {
            for (SanityFlag flag : student.flags()) {
                flags.add(student.label() + (flag.mode() == null ? "" : ", " + flag.mode().key()) + ": "
                        + flag.check().description() + " " + flag.evidence());
            }
        }
        return flags;
    }

    /** The mean of the known values; null when a value is unknown. */
    private static Double meanOrNull(List<Double> values) {
        return values.contains(null) || values.isEmpty() ? null : Stats.mean(values);
    }
}
