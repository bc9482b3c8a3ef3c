package dev.bristle.ml.evidence;

import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.EfficiencyBasis;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.ml.metrics.Stats;
import dev.bristle.ml.metrics.StudentResults;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * RRM, AEM and CREI of one mode with their spread over the students and a 95 % percentile bootstrap interval over
 * students and test images: each resample draws the students with replacement and the test images with replacement
 * (the same images for every student drawn), recomputes each accuracy from the per-image results and keeps each
 * student's costs (seconds or passes per image) as measured. Seeded, hence deterministic.
 *
 * @param overImages false when some measurement had no per-image results: then only students are resampled
 */
public record MetricUncertainty(AttackMode mode, EfficiencyBasis efficiency, int resamples, long seed,
                                boolean overImages, Estimate rrm, Estimate aem, Estimate crei) {

    public static final int DEFAULT_RESAMPLES = 1000;
    private static final double LOW_QUANTILE = 0.025;
    private static final double HIGH_QUANTILE = 0.975;

    public static MetricUncertainty of(RobustnessMetrics metrics, AttackMode mode, List<StudentResults> students,
                                       int resamples, long seed) {
        if (students.isEmpty()) throw new IllegalArgumentException("no students to estimate over");
        if (resamples < 1) throw new IllegalArgumentException("resamples must be positive, not " + resamples);
        MetricReport all = metrics.multiAdversary(mode, students);
        List<MetricReport> perStudent = students.stream().map(s -> metrics.multiAdversary(mode, List.of(s))).toList();

        boolean overImages = students.stream().allMatch(s -> s.clean().correct() != null
                && s.attacks().stream().allMatch(m -> m.correct() != null
                && m.correct().length() == s.clean().correct().length()));
        int images = overImages ? students.get(0).clean().correct().length() : 0;
        if (overImages && students.stream().anyMatch(s -> s.clean().correct().length() != images)) overImages = false;
        List<Double> rr = new ArrayList<>();
        List<Double> ae = new ArrayList<>();
        List<Double> crei = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        int[] weight = new int[images];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(weight, 0);
            if (overImages) for (int i = 0; i < images; i++) weight[random.nextInt(images)]++;
            List<StudentResults> drawn = new ArrayList<>(students.size());
            for (int s = 0; s < students.size(); s++) {
                StudentResults student = students.get(random.nextInt(students.size()));
                drawn.add(overImages ? reweighed(student, weight, images) : student);
            }
            MetricReport report = metrics.multiAdversary(mode, drawn);
            if (report.rr() != null) rr.add(report.rr());
            if (report.ae() != null) ae.add(report.ae());
            if (report.crei() != null) crei.add(report.crei());
        }
        return new MetricUncertainty(mode, metrics.efficiency(), resamples, seed, overImages,
                estimate(all.rr(), perStudent, MetricReport::rr, rr),
                estimate(all.ae(), perStudent, MetricReport::ae, ae),
                estimate(all.crei(), perStudent, MetricReport::crei, crei));
    }

    /** {@code student} with every accuracy recomputed over the drawn images ({@code weight}: times drawn). */
    private static StudentResults reweighed(StudentResults student, int[] weight, int images) {
        List<Measurement> attacks = new ArrayList<>(student.attacks().size());
        for (Measurement m : student.attacks()) attacks.add(reweighed(m, weight, images));
        return new StudentResults(student.label(), reweighed(student.clean(), weight, images), attacks);
    }

    private static Measurement reweighed(Measurement m, int[] weight, int images) {
        String correct = m.correct();
        long right = 0;
        for (int i = 0; i < images; i++) if (correct.charAt(i) == '1') right += weight[i];
        return new Measurement(m.attack(), 100.0 * right / images, m.seconds(), m.passes(), null);
    }

    private static Estimate estimate(Double value, List<MetricReport> perStudent,
                                     Function<MetricReport, Double> metric, List<Double> resampled) {
        List<Double> values = perStudent.stream().map(metric).filter(v -> v != null).toList();
        Double std = null;
        if (values.size() >= 2 && values.size() == perStudent.size()) std = Stats.sampleStd(values);
        if (resampled.isEmpty()) return new Estimate(value, std, null, null);
        double[] draws = resampled.stream().mapToDouble(Double::doubleValue).toArray();
        return new Estimate(value, std, Stats.quantile(draws, LOW_QUANTILE), Stats.quantile(draws, HIGH_QUANTILE));
    }
}
