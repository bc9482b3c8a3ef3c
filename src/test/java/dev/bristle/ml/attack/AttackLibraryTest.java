package dev.bristle.ml.attack;

import ai.djl.ndarray.NDArray;
import dev.bristle.ml.metrics.AttackMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every attack on the real BACON student, sound protocol, 32 images with few steps: the suite's invariant checks pass
 * (budget, box, eps = 0), seeds reproduce, pass counts are what the algorithms spend, and the attacks rank as they
 * must (noise hurts less than FGSM, PGD at least as much as FGSM).
 */
class AttackLibraryTest {

    private static final double EPS = 8 / 255.0;
    private static final int N = 32;

    private static AttackTarget sound;
    private static float[] pixels;
    private static int[] labels;
    private static AttackSuite suite;
    private static CleanRun clean;

    @BeforeAll
    static void load() {
        sound = Bacon.target(AttackProtocol.SOUND);
        pixels = Bacon.pixels(N);
        labels = Bacon.labels(N);
        suite = new AttackSuite(sound, 16, 7, 1, AttackSuite.Progress.NONE);
        clean = suite.clean(pixels, labels);
    }

    @AfterAll
    static void close() {
        sound.model().close();
    }

    /** Every attack with few steps, so the whole library runs in seconds. */
    /** Every attack in every mode the suite runs it in. */
    static List<AttackRun> runAll(AttackSuite suite, List<Attack> attacks, List<AttackMode> modes, float[] pixels,
                                  int[] labels, CleanRun clean) {
        List<AttackRun> runs = new ArrayList<>();
        for (Attack attack : attacks) {
            for (AttackMode mode : modes) {
                if (suite.runs(attack, mode)) runs.add(suite.run(attack, mode, pixels, labels, clean));
            }
        }
        return runs;
    }

    static List<Attack> quickLibrary(double eps) {
        return List.of(
                new Fgsm(eps),
                new Pgd(eps, 2 / 255.0, 3, true),
                new PgdL2(eps * 16, eps * 2, 3, true),
                new CarliniWagnerL2(1, 0, 5, 0.01, true),
                new DeepFool(3, 0.02, DeepFool.Logits.BATCHED),
                new AutoAttack(AutoAttack.Version.TORCHATTACKS, eps, List.of(
                        new Apgd(Apgd.Loss.CE, eps, 3, 1, 0.75, 0),
                        new Apgd(Apgd.Loss.DLR_TARGETED, eps, 3, 1, 0.75, 2),
                        new Fab(eps, 3, 1, 0.1, 1.05, 0.9, 2),
                        new Square(eps, 10, 0.8, true, 1))),
                new Square(eps, 15, 0.8, true, 1),
                new Spsa(eps, 0.01, 0.01, 1, 4),
                new UniformNoise(eps));
    }

    @Test
    void everyAttackKeepsTheSoundInvariantsInBothModes() {
        List<AttackRun> runs = runAll(suite, quickLibrary(EPS), List.of(AttackMode.values()), pixels, labels, clean);
        assertEquals(9 + 6, runs.size(), "untargeted for all nine, targeted for the six that can aim");
        for (AttackRun run : runs) {
            assertTrue(run.executed());
            for (int i = 0; i < N; i++) {
                Optional<Budget> budget = quickLibrary(EPS).stream().filter(a -> a.name().equals(run.attack()))
                        .findFirst().orElseThrow().budget();
                if (budget.isPresent() && budget.get().norm() == Norm.LINF) {
                    assertTrue(run.linf()[i] <= EPS + 1e-5, run.attack() + " sample " + i + ": " + run.linf()[i]);
                }
            }
        }
    }

    @Test
    void epsZeroGivesTheCleanAccuracy() {
        for (Attack attack : List.of(new Fgsm(0), new Pgd(0, 2 / 255.0, 3, true), new PgdL2(0, 0.1, 3, true),
                new Square(0, 10, 0.8, true, 1), new Spsa(0, 0.01, 0.01, 1, 2), new UniformNoise(0))) {
            AttackRun run = suite.run(attack, AttackMode.UNTARGETED, pixels, labels, clean);
            assertEquals(clean.correctness(), run.correctness(), attack.name());
            for (float norm : run.l2()) assertEquals(0f, norm, attack.name());
        }
    }

    @Test
    void anAttackOutsideItsBudgetIsStoppedLoudly() {
        Attack cheating = new Attack() {
            public String name() {
                return "Cheating";
            }

            public Map<String, Object> hyperparameters() {
                return Map.of("eps", EPS);
            }

            public boolean supportsTargeted() {
                return false;
            }

            public Optional<Budget> budget() {
                return Optional.of(new Budget(Norm.LINF, EPS));
            }

            public AttackBatch run(AttackTarget target, NDArray images, NDArray labels, NDArray targets, long seed) {
                return new AttackBatch(images.add((float) (2 * EPS)).clip(0f, 1f));
            }
        };
        AttackInvariantViolation violation = assertThrows(AttackInvariantViolation.class,
                () -> suite.run(cheating, AttackMode.UNTARGETED, pixels, labels, clean));
        assertTrue(violation.getMessage().contains("exceeded its LINF budget"), violation.getMessage());
    }

    @Test
    void sameSeedSameResult() {
        for (Attack attack : List.of(new Pgd(EPS, 2 / 255.0, 2, true), new Square(EPS, 15, 0.8, true, 1),
                new Spsa(EPS, 0.01, 0.01, 1, 2), new UniformNoise(EPS))) {
            AttackSuite again = new AttackSuite(sound, 16, 7, 1, AttackSuite.Progress.NONE);
            AttackRun first = suite.run(attack, AttackMode.UNTARGETED, pixels, labels, clean);
            AttackRun second = again.run(attack, AttackMode.UNTARGETED, pixels, labels, clean);
            assertArrayEquals(first.adversarialPredictions(), second.adversarialPredictions(), attack.name());
            assertArrayEquals(first.l2(), second.l2(), attack.name());
            AttackRun otherSeed = new AttackSuite(sound, 16, 8, 1, AttackSuite.Progress.NONE)
                    .run(attack, AttackMode.UNTARGETED, pixels, labels, clean);
            assertFalse(java.util.Arrays.equals(first.l2(), otherSeed.l2()), attack.name() + " ignores its seed");
        }
    }

    @Test
    void passCountsAreWhatTheAlgorithmsSpend() {
        AttackRun fgsm = suite.run(new Fgsm(EPS), AttackMode.UNTARGETED, pixels, labels, clean);
        assertEquals(1.0, fgsm.forwardPassesPerSample());
        assertEquals(1.0, fgsm.backwardPassesPerSample());
        AttackRun pgd = suite.run(new Pgd(EPS, 2 / 255.0, 4, false), AttackMode.TARGETED, pixels, labels, clean);
        int[] targets = suite.targets(labels);
        for (int i = 0; i < N; i++) {
            // The sound protocol stops on success: a sample leaves PGD at the first step whose iterate hits the target.
            long spent = pgd.forwardPasses()[i];
            assertEquals(spent, pgd.backwardPasses()[i], "sample " + i);
            assertTrue(spent >= 1 && spent <= 4, "sample " + i + ": " + spent);
            if (spent < 4) assertEquals(targets[i], pgd.adversarialPredictions()[i], "retired sample " + i);
            if (clean.predictions()[i] == targets[i]) assertEquals(1, spent, "sample " + i + " is at its target");
        }
        assertTrue(pgd.forwardPassesPerSample() < 4, "some sample reached its target before the last step");
        AttackRun noise = suite.run(new UniformNoise(EPS), AttackMode.UNTARGETED, pixels, labels, clean);
        assertEquals(0.0, noise.forwardPassesPerSample());
        AttackRun deepFool = suite.run(new DeepFool(3, 0.02, DeepFool.Logits.BATCHED), AttackMode.UNTARGETED, pixels,
                labels, clean);
        AttackRun singleImage = suite.run(new DeepFool(3, 0.02, DeepFool.Logits.SINGLE_IMAGE), AttackMode.UNTARGETED,
                pixels, labels, clean);
        for (int i = 0; i < N; i++) {
            // Ten classes: each step of a sample costs nine Jacobian rows (each other class's logit minus the
            // label's); a misclassified sample stops after one.
            assertEquals(0, deepFool.forwardPasses()[i] % 9, "sample " + i);
            assertEquals(deepFool.forwardPasses()[i], deepFool.backwardPasses()[i], "sample " + i);
            assertTrue(deepFool.forwardPasses()[i] >= 9 && deepFool.forwardPasses()[i] <= 27, "sample " + i);
            if (!clean.correct()[i]) assertEquals(9, deepFool.forwardPasses()[i], "misclassified sample " + i);
            // One more forward pass per step for the image alone.
            long stepsTaken = singleImage.backwardPasses()[i] / 9;
            assertEquals(10 * stepsTaken, singleImage.forwardPasses()[i], "sample " + i);
        }
        // Both take the same steps from the same Jacobians; only the logits that decide differ (the batched Jacobian
        // pass's, or a pass of the image alone), so where an iterate sits within float resolution of the boundary the
        // two can round to different decisions, depending on the CPU's kernels (one of the 32 does on some machines).
        // Anywhere else they agree, and where they differ both stopped at the same point.
        int differing = 0;
        for (int i = 0; i < N; i++) {
            if (deepFool.correct()[i] == singleImage.correct()[i]) continue;
            differing++;
            assertEquals(deepFool.backwardPasses()[i], singleImage.backwardPasses()[i], "sample " + i + "'s steps");
            assertEquals(deepFool.l2()[i], singleImage.l2()[i], 1e-6f, "sample " + i + "'s last iterate");
        }
        assertTrue(differing <= 1, deepFool.correctness() + " (batched) against " + singleImage.correctness());
    }

    @Test
    void noiseHurtsLessThanFgsmAndPgdAtLeastAsMuch() {
        AttackRun noise = suite.run(new UniformNoise(EPS), AttackMode.UNTARGETED, pixels, labels, clean);
        AttackRun fgsm = suite.run(new Fgsm(EPS), AttackMode.UNTARGETED, pixels, labels, clean);
        AttackRun pgd = suite.run(new Pgd(EPS, 2 / 255.0, 10, false), AttackMode.UNTARGETED, pixels, labels, clean);
        System.out.printf("BACON, %d images: clean %.1f %%, noise %.1f %%, FGSM %.1f %%, PGD %.1f %%%n", N,
                clean.accuracy(), noise.accuracy(), fgsm.accuracy(), pgd.accuracy());
        assertTrue(noise.accuracy() > fgsm.accuracy(), "noise " + noise.accuracy() + " vs FGSM " + fgsm.accuracy());
        assertTrue(pgd.accuracy() <= fgsm.accuracy(), "PGD " + pgd.accuracy() + " vs FGSM " + fgsm.accuracy());
    }

    @Test
    void fabAlwaysAimsAtAClass() {
        IllegalArgumentException untargeted = assertThrows(IllegalArgumentException.class,
                () -> new Fab(0.03, 10, 1, 0.1, 1.05, 0.9, 0));
        assertEquals("FAB-T needs at least one target class", untargeted.getMessage());
        assertEquals("FAB-T", new Fab(0.03, 10, 1, 0.1, 1.05, 0.9, 9).name());
    }

    @Test
    void targetsAreTheNextClass() {
        assertArrayEquals(new int[] {1, 0, 4}, suite.targets(new int[] {0, 9, 3}));
    }

    @Test
    void beardScoresCleanImagesForTargetedDeepFool() {
        AttackTarget beard = Bacon.target(AttackProtocol.BEARD);
        try {
            AttackSuite beardSuite = new AttackSuite(beard, 16, 0, 1, AttackSuite.Progress.NONE);
            CleanRun beardClean = beardSuite.clean(pixels, labels);
            assertEquals(clean.correctness(), beardClean.correctness(), "normalizing outside = normalizing inside");
            AttackRun run = beardSuite.run(new DeepFool(2, 0.02, DeepFool.Logits.SINGLE_IMAGE), AttackMode.TARGETED,
                    pixels, labels, beardClean);
            assertFalse(run.executed());
            assertEquals(beardClean.correctness(), run.correctness());
            assertThrows(IllegalArgumentException.class,
                    () -> suite.run(new DeepFool(2, 0.02, DeepFool.Logits.BATCHED), AttackMode.TARGETED, pixels, labels,
                            clean));
        } finally {
            beard.model().close();
        }
    }
}
