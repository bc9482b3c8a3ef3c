package dev.bristle.ml.evidence;

import dev.bristle.ml.attack.Budget;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.attack.Norm;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bristle.ml.metrics.AttackMode.TARGETED;
import static dev.bristle.ml.metrics.AttackMode.UNTARGETED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each sanity check, raised by a crafted result and left alone by a sound one. */
class SanityChecksTest {

    private static final Budget LINF_1 = new Budget(Norm.LINF, 1 / 255.0);
    private static final Budget LINF_2 = new Budget(Norm.LINF, 2 / 255.0);
    private static final Budget L2 = new Budget(Norm.L2, 0.25);
    private static final double CLEAN = 60;

    private static AttackFacts run(String attack, AttackMode mode, Budget budget, double accuracy) {
        return new AttackFacts(mode, true, budget, new Measurement(attack, accuracy, 1.0));
    }

    private static List<SanityCheck> raised(List<AttackFacts> attacks) {
        return raised(attacks, List.of(), null);
    }

    private static List<SanityCheck> raised(List<AttackFacts> attacks, List<BudgetSweep.Curve> curves,
                                            GradientCensus gradients) {
        return SanityChecks.check(CLEAN, attacks, curves, gradients).stream().map(SanityFlag::check).toList();
    }

    @Test
    void pgdAboveFgsmAtTheSameBudgetIsRaisedWithItsFigures() {
        List<SanityFlag> flags = SanityChecks.check(CLEAN, List.of(run("FGSM", UNTARGETED, LINF_1, 30),
                run("PGD", UNTARGETED, LINF_1, 35)), List.of(), null);
        assertEquals(1, flags.size(), flags.toString());
        SanityFlag flag = flags.get(0);
        assertEquals(SanityCheck.ITERATIVE_WEAKER_THAN_ONE_STEP, flag.check());
        assertEquals(UNTARGETED, flag.mode());
        assertEquals(List.of("PGD", "FGSM"), flag.attacks());
        assertEquals("untargeted: PGD leaves 35.00 % correct, FGSM 30.00 % at L-inf 1/255", flag.evidence());
    }

    @Test
    void pgdBelowFgsmOrAtAnotherBudgetIsNotRaised() {
        assertEquals(List.of(), raised(List.of(run("FGSM", UNTARGETED, LINF_1, 30), run("PGD", UNTARGETED, LINF_1,
                25))));
        assertEquals(List.of(), raised(List.of(run("FGSM", UNTARGETED, LINF_2, 30), run("PGD", UNTARGETED, LINF_1,
                35))), "different budgets are not comparable");
        assertEquals(List.of(), raised(List.of(run("FGSM", UNTARGETED, LINF_1, 30), run("PGD", TARGETED, LINF_1,
                35))), "different modes are not comparable");
    }

    @Test
    void pgdAboveFgsmOnTheGridIsRaised() {
        List<AttackFacts> recorded = List.of(run("FGSM", UNTARGETED, LINF_1, 30), run("PGD", UNTARGETED, LINF_1, 25));
        List<BudgetSweep.Curve> curves = List.of(
                curve("FGSM", 60, 30, 10), curve("PGD", 60, 25, 12));
        List<SanityFlag> flags = SanityChecks.check(CLEAN, recorded, curves, null);
        assertEquals(List.of(SanityCheck.ITERATIVE_WEAKER_THAN_ONE_STEP), flags.stream().map(SanityFlag::check)
                .toList());
        assertTrue(flags.get(0).evidence().endsWith("at L-inf 2/255"), flags.get(0).evidence());
        assertEquals(List.of(), raised(recorded, List.of(curve("FGSM", 60, 30, 10), curve("PGD", 60, 25, 8)), null));
    }

    @Test
    void accuracyRisingWithTheBudgetIsRaised() {
        List<SanityFlag> flags = SanityChecks.check(CLEAN, List.of(), List.of(curve("PGD", 60, 20, 22)), null);
        assertEquals(List.of(SanityCheck.ACCURACY_RISES_WITH_BUDGET), flags.stream().map(SanityFlag::check).toList());
        assertEquals("untargeted: PGD leaves 22.00 % correct at L-inf 2/255, more than 20.00 % at L-inf 1/255",
                flags.get(0).evidence());
        assertEquals(List.of(), raised(List.of(), List.of(curve("PGD", 60, 20, 20), curve("FGSM", 60, 30, 10)),
                null), "a flat or falling curve is sound");
        assertEquals(List.of(), raised(List.of(), List.of(curve("Noise", 60, 55, 58)), null),
                "the noise baseline is no attack");
    }

    @Test
    void aBlackBoxAttackStrongerThanEveryWhiteBoxOneIsRaised() {
        List<SanityFlag> flags = SanityChecks.check(CLEAN, List.of(run("FGSM", UNTARGETED, LINF_1, 30),
                run("PGD", UNTARGETED, LINF_1, 25), run("Square", UNTARGETED, LINF_1, 20)), List.of(), null);
        assertEquals(List.of(SanityCheck.BLACK_BOX_STRONGER_THAN_WHITE_BOX), flags.stream().map(SanityFlag::check)
                .toList());
        assertTrue(flags.get(0).evidence().contains("Square leaves 20.00 % correct")
                && flags.get(0).evidence().contains("FGSM 30.00 %, PGD 25.00 %"), flags.get(0).evidence());
    }

    @Test
    void aBlackBoxAttackWeakerThanOneWhiteBoxAttackOrAloneIsNotRaised() {
        assertEquals(List.of(), raised(List.of(run("FGSM", UNTARGETED, LINF_1, 30), run("PGD", UNTARGETED, LINF_1,
                25), run("SPSA", UNTARGETED, LINF_1, 27))));
        assertEquals(List.of(), raised(List.of(run("PGD_L2", UNTARGETED, L2, 40), run("SPSA", UNTARGETED, LINF_1,
                27))), "no white-box attack at SPSA's budget");
    }

    @Test
    void anAttackAboveTheCleanAccuracyIsRaised() {
        List<SanityFlag> flags = SanityChecks.check(CLEAN, List.of(run("CW", TARGETED, null, 61)), List.of(), null);
        assertEquals(List.of(SanityCheck.ATTACK_ABOVE_CLEAN), flags.stream().map(SanityFlag::check).toList());
        assertEquals("targeted: CW leaves 61.00 % correct, above the clean accuracy 60.00 %", flags.get(0).evidence());
        assertEquals(List.of(), raised(List.of(run("CW", TARGETED, null, 60))), "equal to clean is not above it");
        assertEquals(List.of(), raised(List.of(new AttackFacts(TARGETED, false, null,
                new Measurement("DeepFool", 61, 1.0)))), "a row the protocol did not run raises nothing");
    }

    @Test
    void noiseHurtingMoreThanAnAttackOfTheSameBudgetIsRaised() {
        List<SanityFlag> flags = SanityChecks.check(CLEAN, List.of(run("SPSA", UNTARGETED, LINF_1, 55),
                run("Noise", UNTARGETED, LINF_1, 50)), List.of(), null);
        assertEquals(List.of(SanityCheck.NOISE_STRONGER_THAN_ATTACK), flags.stream().map(SanityFlag::check).toList());
        assertEquals("untargeted: uniform noise leaves 50.00 % correct at L-inf 1/255, SPSA 55.00 %",
                flags.get(0).evidence());
        assertEquals(List.of(), raised(List.of(run("SPSA", UNTARGETED, LINF_1, 45), run("Noise", UNTARGETED,
                LINF_1, 50))));
        assertEquals(List.of(), raised(List.of(run("PGD_L2", UNTARGETED, L2, 55), run("Noise", UNTARGETED, LINF_1,
                50))), "another budget is not comparable");
    }

    @Test
    void zeroGradientsOnMoreThanASmallShareAreRaised() {
        List<SanityFlag> flags = SanityChecks.check(CLEAN, List.of(), List.of(),
                new GradientCensus(100, 12, List.of(3, 17)));
        assertEquals(List.of(SanityCheck.ZERO_GRADIENTS), flags.stream().map(SanityFlag::check).toList());
        assertTrue(flags.get(0).evidence().startsWith("12 of 100 images (12.00 %) have an input gradient of zero"
                + " at the clean point (images 3, 17, ...)"), flags.get(0).evidence());
        assertEquals(List.of(), raised(List.of(), List.of(), new GradientCensus(100, 1, List.of(3))),
                "1 % is within the small share");
    }

    @Test
    void checksHaveKeysInTheFromKeyConvention() {
        for (SanityCheck check : SanityCheck.values()) assertEquals(check, SanityCheck.fromKey(check.key()));
        assertEquals("iterative-weaker-than-one-step", SanityCheck.ITERATIVE_WEAKER_THAN_ONE_STEP.key());
    }

    /** An untargeted L-inf curve: clean, then 1/255 and 2/255. */
    private static BudgetSweep.Curve curve(String attack, double clean, double at1, double at2) {
        return new BudgetSweep.Curve(attack, UNTARGETED, Norm.LINF, true, List.of(new BudgetSweep.Point(0, clean),
                new BudgetSweep.Point(1 / 255.0, at1), new BudgetSweep.Point(2 / 255.0, at2)));
    }
}
