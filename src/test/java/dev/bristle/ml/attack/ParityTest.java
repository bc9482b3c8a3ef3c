package dev.bristle.ml.attack;

import dev.bristle.ml.metrics.AttackMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Parity with torchattacks 3.5.1 on BEARD's BACON student (golden files in shared/golden/BACON): per-image
 * correctness of FGSM, PGD and PGD-L2 under both protocols on the first 256 images by default, all 932 with
 * -Dheavy.tests=true; C&W, DeepFool and AutoAttack on the first 100 behind the same flag.
 */
class ParityTest {

    private static final double EPS = 8 / 255.0;
    private static final int DEFAULT_IMAGES = 256;
    private static final int ALL_IMAGES = 932;
    private static final int MAX_DIFFERENT = 2;

    private static AttackTarget beard;
    private static AttackTarget sound;

    @BeforeAll
    static void load() {
        beard = Bacon.target(AttackProtocol.BEARD);
        sound = Bacon.target(AttackProtocol.SOUND);
    }

    @AfterAll
    static void close() {
        beard.model().close();
        sound.model().close();
    }

    static Map<String, Attack> gradientAttacks() {
        Map<String, Attack> attacks = new LinkedHashMap<>();
        attacks.put("FGSM", new Fgsm(EPS));
        attacks.put("PGD", new Pgd(EPS, 2 / 225.0, 10, false));
        attacks.put("PGD_L2", new PgdL2(128 / 255.0, 15 / 255.0, 10, false));
        return attacks;
    }

    @Test
    void gradientAttacksMatchTorchattacksOnTheFirst256() {
        checkGradientAttacks(DEFAULT_IMAGES);
    }

    @Test
    @EnabledIfSystemProperty(named = "heavy.tests", matches = "true")
    void gradientAttacksMatchTorchattacksOnAll932() {
        checkGradientAttacks(ALL_IMAGES);
    }

    @Test
    @EnabledIfSystemProperty(named = "heavy.tests", matches = "true")
    void carliniWagnerAndDeepFoolMatchOnTheFirst100() {
        Map<String, Attack> attacks = new LinkedHashMap<>();
        attacks.put("CW", new CarliniWagnerL2(1, 0, 100, 0.01, true));
        attacks.put("Deepfool", new DeepFool(50, 0.02));
        check(beard, "beard_cw_deepfool_first100.json", attacks, 100);
        check(sound, "sound_cw_deepfool_first100.json", attacks, 100);
    }

    @Test
    @EnabledIfSystemProperty(named = "heavy.tests", matches = "true")
    void autoAttackAccuracyMatchesOnTheFirst100() {
        int n = 100;
        double expected = Bacon.goldenAccuracy("beard_autoattack_first100.json", "AA/untargeted");
        AttackSuite suite = new AttackSuite(beard, 256, 0, 1, AttackSuite.Progress.NONE);
        float[] pixels = Bacon.pixels(n);
        int[] labels = Bacon.labels(n);
        AttackRun run = suite.run(new AutoAttack(AutoAttack.Version.TORCHATTACKS, EPS, 10), AttackMode.UNTARGETED,
                pixels, labels, suite.clean(pixels, labels));
        int different = Bacon.differences(Bacon.golden("beard_autoattack_first100.json").get("AA/untargeted"),
                run.correctness(), n);
        System.out.printf("parity beard AutoAttack untargeted on %d: accuracy %.2f %% (torchattacks %.2f %%),"
                + " %d images differ, %.1f s%n", n, run.accuracy(), expected, different, run.seconds());
        assertEquals(expected, run.accuracy(), 3.0);
    }

    private void checkGradientAttacks(int n) {
        Map<String, String> beardGolden = new LinkedHashMap<>(Bacon.golden("beard_clean_fgsm.json"));
        beardGolden.putAll(Bacon.golden("beard_pgd_pgdl2.json"));
        check(beard, beardGolden, gradientAttacks(), n);
        check(sound, Bacon.golden("sound_clean_fgsm_pgd_pgdl2.json"), gradientAttacks(), n);
    }

    private void check(AttackTarget target, String goldenFile, Map<String, Attack> attacks, int n) {
        check(target, Bacon.golden(goldenFile), attacks, n);
    }

    private void check(AttackTarget target, Map<String, String> golden, Map<String, Attack> attacks, int n) {
        AttackSuite suite = new AttackSuite(target, 256, 0, 1, AttackSuite.Progress.NONE);
        float[] pixels = Bacon.pixels(n);
        int[] labels = Bacon.labels(n);
        CleanRun clean = suite.clean(pixels, labels);
        if (golden.containsKey("Clean/untargeted")) {
            assertEquals(golden.get("Clean/untargeted").substring(0, n), clean.correctness(), "clean correctness");
        }
        for (Map.Entry<String, Attack> entry : attacks.entrySet()) {
            for (AttackMode mode : AttackMode.values()) {
                String expected = golden.get(Bacon.key(entry.getKey(), mode));
                if (expected == null) continue;
                AttackRun run = suite.run(entry.getValue(), mode, pixels, labels, clean);
                int different = Bacon.differences(expected, run.correctness(), n);
                System.out.printf("parity %s %s %s on %d: accuracy %.2f %%, %d images differ, %.1f s%n",
                        target.protocol().key(), entry.getKey(), mode.key(), n, run.accuracy(), different,
                        run.seconds());
                assertTrue(different <= MAX_DIFFERENT, target.protocol().key() + " " + entry.getKey() + " "
                        + mode.key() + ": " + different + " of " + n + " images differ from torchattacks");
            }
        }
    }
}
