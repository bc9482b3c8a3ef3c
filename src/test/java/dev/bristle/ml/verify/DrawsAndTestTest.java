package dev.bristle.ml.verify;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The secret draws and the one-sided test of the sampled-attacks check. */
class DrawsAndTestTest {

    @Test
    void theUpperTailIsTheBinomialsOwn() {
        // P(X >= 2) for Binomial(3, 0.5) = 4/8.
        assertEquals(0.5, BinomialTest.upperTail(2, 3, 0.5), 1e-12);
        assertEquals(1, BinomialTest.upperTail(0, 10, 0.1), 1e-12);
        assertEquals(0, BinomialTest.upperTail(11, 10, 0.1), 1e-12);
        assertEquals(Math.pow(0.1, 10), BinomialTest.upperTail(10, 10, 0.1), 1e-20);
        // A large sample does not underflow: 30 of 1,000 at p0 = 3 % is ordinary.
        assertTrue(BinomialTest.upperTail(30, 1000, 0.03) > 0.4);
    }

    @Test
    void tenPointsOfInflationAreRejectedAndHonestNoiseIsNot() {
        // 100 images the record calls robust; an honest re-run fools about 3 of them, inflation by a third.
        assertFalse(BinomialTest.rejects(6, 100, 0.03, 0.001));
        assertTrue(BinomialTest.rejects(25, 100, 0.03, 0.001));
    }

    @Test
    void drawsAreSecretSeedsOwnAndStable() {
        Draws draws = new Draws(42);
        int[] students = draws.students(5, 2);
        assertEquals(2, students.length);
        assertArrayEquals(students, new Draws(42).students(5, 2));
        assertArrayEquals(new int[]{0, 1, 2}, draws.students(3, 5));
        String correct = "0110111011".repeat(20);
        int[] images = draws.robustImages(correct, 50, 1, "PGD", "untargeted");
        assertEquals(50, images.length);
        assertTrue(Arrays.stream(images).allMatch(i -> correct.charAt(i) == '1'));
        assertEquals(50, Arrays.stream(images).distinct().count());
        assertNotEquals(Arrays.toString(images), Arrays.toString(new Draws(43).robustImages(correct, 50, 1, "PGD",
                "untargeted")));
        assertNotEquals(Arrays.toString(images), Arrays.toString(draws.robustImages(correct, 50, 1, "FGSM",
                "untargeted")));
        assertEquals(140, draws.robustImages(correct, 500, 0, "PGD", "untargeted").length);
        int trained = draws.trainedStudent(5);
        assertTrue(trained >= 0 && trained < 5);
    }
}
