package dev.bristle.ml.attack;

import dev.bristle.ml.metrics.AttackMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sound protocol runs Square and AutoAttack over the whole set in full batches (issue 25): images of later batches
 * join as earlier ones are fooled, results stay per image in data order, passes are counted to the images, and every
 * run records its passes per second and the batch sizes its passes ran at.
 */
class PooledAttackTest {

    private static final double EPS = 8 / 255.0;
    private static final int N = 40;
    private static AttackTarget sound;
    private static AttackTarget beard;
    private static float[] pixels;
    private static int[] labels;

    @BeforeAll
    static void load() {
        sound = Bacon.target(AttackProtocol.SOUND);
        beard = Bacon.target(AttackProtocol.BEARD);
        pixels = Bacon.pixels(N);
        labels = Bacon.labels(N);
    }

    @AfterAll
    static void close() {
        sound.model().close();
        beard.model().close();
    }

    private static AttackRun run(AttackTarget target, Attack attack, int batchSize) {
        AttackSuite suite = new AttackSuite(target, batchSize, 3, 1, AttackSuite.Progress.NONE);
        return suite.run(attack, AttackMode.UNTARGETED, pixels, labels, suite.clean(pixels, labels));
    }

    @Test
    void squareKeepsItsBatchesFullAcrossTheSuitesBatches() {
        int queries = 60;
        AttackRun pooled = run(sound, new Square(EPS, queries, 0.8, true, 1), 8);
        PassRate rate = pooled.rate();
        // 40 images in batches of 8: the clean check runs on five full batches, then every step on 8 open images
        // until fewer than 8 are left in the whole set.
        assertTrue(rate.shareAtLeast(8) > 0.8, "passes by batch size: " + rate.passesBySize());
        assertEquals(8, rate.batchSizes().get(rate.batchSizes().size() - 1));
        long spent = 0;
        boolean[] cleanCorrect = pooled.cleanCorrect();
        for (int i = 0; i < N; i++) {
            assertEquals(0, pooled.backwardPasses()[i], "image " + i);
            long forward = pooled.forwardPasses()[i];
            if (!cleanCorrect[i]) assertEquals(1, forward, "misclassified image " + i + ": its clean check only");
            // The clean check, the stripes start and at most one pass per query.
            assertTrue(forward >= 1 && forward <= 2 + queries, "image " + i + ": " + forward);
            if (forward < 2 + queries && cleanCorrect[i]) {
                assertEquals(false, pooled.correct()[i], "image " + i + " left early, so it was fooled");
            }
            spent += forward;
        }
        assertEquals(spent + N, rate.passes(), "the counted passes and the scoring pass");
        assertTrue(rate.passesPerSecond() > 0);
        assertEquals(rate.batchSizes(), pooled.measurement(false).batchSizes(), "what the record's outcome carries");
        assertTrue(pooled.accuracy() < 100.0 * count(cleanCorrect) / N, "Square fools some image");
    }

    @Test
    void anImagesResultDependsOnItsPlaceInTheDataNotOnItsBatches() {
        Square square = new Square(EPS, 40, 0.8, true, 1);
        AttackRun eight = run(sound, square, 8);
        AttackRun five = run(sound, square, 5);
        int differing = 0;
        for (int i = 0; i < N; i++) if (eight.adversarialPredictions()[i] != five.adversarialPredictions()[i]) differing++;
        // Each image draws from its own stream; only float rounding of passes over other batches may tip a decision.
        assertTrue(differing <= 1, differing + " images differ between batch sizes 8 and 5");
    }

    @Test
    void autoAttackRunsEachComponentOverTheWholeSetInFullBatches() {
        AutoAttack autoAttack = new AutoAttack(AutoAttack.Version.TORCHATTACKS, EPS, List.of(
                new Apgd(Apgd.Loss.CE, EPS, 2, 1, 0.75, 0),
                new Fab(EPS, 2, 1, 0.1, 1.05, 0.9, 2),
                new Square(EPS, 30, 0.8, true, 1)));
        AttackRun pooled = run(sound, autoAttack, 8);
        Map<Integer, Long> sizes = pooled.rate().passesBySize();
        long total = 0;
        for (int i = 0; i < N; i++) total += pooled.forwardPasses()[i] + pooled.backwardPasses()[i];
        assertEquals(total + N, pooled.rate().passes(), "passes by batch size: " + sizes);
        assertTrue(pooled.rate().shareAtLeast(8) > 0.5, "passes by batch size: " + sizes);
        Map<Integer, Double> seconds = pooled.rate().modelSecondsBySize();
        assertEquals(sizes.keySet(), seconds.keySet(), "every batch size a pass ran at has its seconds");
        assertTrue(seconds.values().stream().allMatch(s -> s > 0), "seconds by batch size: " + seconds);
        assertEquals(pooled.rate().modelSeconds(), seconds.values().stream().mapToDouble(Double::doubleValue).sum(),
                1e-6, "the seconds by batch size add up to the seconds inside the passes");
        assertTrue(pooled.accuracy() <= run(sound, new Apgd(Apgd.Loss.CE, EPS, 2, 1, 0.75, 0), 8).accuracy(),
                "AutoAttack is at least as strong as its first component");
    }

    @Test
    void theBeardProtocolKeepsTheReferencesBatches() {
        AttackRun run = run(beard, new Square(EPS, 20, 0.8, true, 1), 16);
        // Batches of 16, 16 and 8: no pass runs on more images than its batch holds; the images still open in
        // the first batch run on their own as it shrinks, never joined by later batches.
        List<Integer> sizes = run.rate().batchSizes();
        assertTrue(sizes.stream().allMatch(size -> size <= 16), run.rate().passesBySize().toString());
        assertTrue(run.rate().shareAtLeast(16) < 0.5, run.rate().passesBySize().toString());
    }

    private static int count(boolean[] flags) {
        int count = 0;
        for (boolean flag : flags) if (flag) count++;
        return count;
    }
}
