package dev.bristle.ml.evidence;

import dev.bristle.ml.attack.Budget;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.EfficiencyBasis;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.ml.metrics.StudentResults;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Per-class accuracy, fairness figures, the worst case over attacks and the bootstrap, on crafted results. */
class ModelEvidenceTest {

    private static final Budget LINF = new Budget(Norm.LINF, 1 / 255.0);

    @Test
    void perClassAccuracyAndItsFairnessFigures() {
        int[] labels = {0, 0, 1, 1, 1, 1, 2, 2};
        ClassAccuracy perClass = ClassAccuracy.of(labels, "10111100", 4);
        assertEquals(Arrays.asList(50.0, 100.0, 0.0, null), perClass.accuracy(), "class 3 has no image");
        assertEquals(List.of(2, 4, 2, 0), perClass.images());
        assertEquals(2, perClass.worstClass());
        assertEquals(1, perClass.bestClass());
        assertEquals(100.0, perClass.gap(), 1e-12);
        assertEquals(Math.sqrt((0 + 2500 + 2500) / 3.0), perClass.std(), 1e-9, "population std over 3 classes");
    }

    @Test
    void theWorstCaseCountsAnImageOnlyIfItSurvivesEveryAttackAndWasCorrectToBeginWith() {
        int[] labels = {0, 1, 0, 1, 0, 1};
        Measurement clean = new Measurement(Measurement.CLEAN, 500 / 6.0, 1.0, 1.0, "111110");
        Measurement fgsm = new Measurement("FGSM", 500 / 6.0, 2.0, 3.0, "110111");
        Measurement pgd = new Measurement("PGD", 500 / 6.0, 5.0, 21.0, "011111");
        ModelEvidence evidence = ModelEvidence.of("m", labels, 2, clean, List.of(
                new AttackFacts(AttackMode.UNTARGETED, true, LINF, fgsm),
                new AttackFacts(AttackMode.UNTARGETED, true, LINF, pgd)), List.of(), null);
        WorstCase worst = evidence.worstCase().get(0);
        assertEquals("010110", worst.correct());
        assertEquals(50.0, worst.accuracy(), 1e-12);
        assertTrue(worst.accuracy() <= Math.min(fgsm.accuracy(), pgd.accuracy()));
        assertEquals(List.of("FGSM", "PGD"), worst.attacks());
        assertEquals(Arrays.asList(100 / 3.0, 200 / 3.0), worst.perClass().accuracy());
        List<Double> fgsmPerClass = evidence.attacks().get(0).perClass().accuracy();
        assertEquals(200 / 3.0, fgsmPerClass.get(0), 1e-9);
        assertEquals(100.0, fgsmPerClass.get(1), 1e-9);
        assertEquals(21.0, evidence.attacks().get(1).passesPerImage());
    }

    @Test
    void withoutPerImageResultsThereIsNoWorstCaseButStillFlags() {
        ModelEvidence evidence = ModelEvidence.of("published", new int[] {0, 1}, 2,
                new Measurement(Measurement.CLEAN, 50, 1.0), List.of(new AttackFacts(AttackMode.UNTARGETED, true,
                        LINF, new Measurement("FGSM", 60, 1.0))), List.of(), null);
        assertEquals(List.of(), evidence.worstCase());
        assertNull(evidence.cleanPerClass());
        assertEquals(SanityCheck.ATTACK_ABOVE_CLEAN, evidence.flags().get(0).check());
    }

    @Test
    void passesGiveTheSameAeWhateverTheWallTime() {
        StudentResults fast = student(1.0, 2.0, 10.0);
        StudentResults slow = student(7.0, 30.0, 500.0);
        RobustnessMetrics byPasses = RobustnessMetrics.beard().withEfficiency(EfficiencyBasis.MODEL_PASSES);
        double ae = byPasses.multiAdversary(AttackMode.UNTARGETED, List.of(fast)).ae();
        assertEquals(100 * ((3.0 + 21.0) / 2 - 1) / (21.0 - 1), ae, 1e-9);
        assertEquals(ae, byPasses.multiAdversary(AttackMode.UNTARGETED, List.of(slow)).ae(), 1e-12);
        assertTrue(Math.abs(RobustnessMetrics.beard().multiAdversary(AttackMode.UNTARGETED, List.of(fast)).ae()
                - RobustnessMetrics.beard().multiAdversary(AttackMode.UNTARGETED, List.of(slow)).ae()) > 1,
                "wall-time AE depends on the machine");
    }

    @Test
    void theBootstrapIsSeededAndBracketsTheValue() {
        List<StudentResults> students = List.of(student(1.0, 2.0, 10.0), student2());
        RobustnessMetrics rules = RobustnessMetrics.beard().withEfficiency(EfficiencyBasis.MODEL_PASSES);
        MetricUncertainty a = MetricUncertainty.of(rules, AttackMode.UNTARGETED, students, 200, 7);
        MetricUncertainty b = MetricUncertainty.of(rules, AttackMode.UNTARGETED, students, 200, 7);
        assertEquals(a, b, "same seed, same interval");
        assertTrue(a.overImages());
        Estimate rrm = a.rrm();
        assertTrue(rrm.low() <= rrm.high());
        assertTrue(rrm.low() < rrm.high(), "resampling images moves RRM: " + rrm);
        assertTrue(rrm.studentStd() != null && rrm.studentStd() > 0, "two different students: " + rrm);
        assertEquals(0.0, a.aem().studentStd(), 1e-12, "both students spend the same passes");
        MetricUncertainty one = MetricUncertainty.of(rules, AttackMode.UNTARGETED, students.subList(0, 1), 50, 7);
        assertNull(one.rrm().studentStd(), "no spread over a single student");
        assertTrue(!a.equals(MetricUncertainty.of(rules, AttackMode.UNTARGETED, students, 200, 8)),
                "another seed, other resamples");
    }

    private static StudentResults student(double cleanSeconds, double fgsmSeconds, double pgdSeconds) {
        return new StudentResults("s", new Measurement(Measurement.CLEAN, 80, cleanSeconds, 1.0, "1111011111"),
                List.of(new Measurement("FGSM", 50, fgsmSeconds, 3.0, "1010010101"),
                        new Measurement("PGD", 30, pgdSeconds, 21.0, "1000010001")));
    }

    private static StudentResults student2() {
        return new StudentResults("t", new Measurement(Measurement.CLEAN, 90, 1.0, 1.0, "1111111110"),
                List.of(new Measurement("FGSM", 60, 2.0, 3.0, "1110011100"),
                        new Measurement("PGD", 50, 10.0, 21.0, "1110010100")));
    }
}
