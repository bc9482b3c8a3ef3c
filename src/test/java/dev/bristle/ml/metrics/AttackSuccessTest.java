package dev.bristle.ml.metrics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AttackSuccessTest {

    @Test
    void countsOnlyFlipsOfCorrectlyClassifiedSamples() {
        boolean[] clean = AttackSuccess.parseCorrectness("11110");
        boolean[] attacked = AttackSuccess.parseCorrectness("10011");
        AttackSuccess success = AttackSuccess.of(clean, attacked, 6.0);
        assertEquals(4, success.cleanCorrect());
        assertEquals(2, success.flipped());
        assertEquals(50.0, success.asr(), 1e-12);
        assertEquals(3.0, success.ast(), 1e-12);
    }

    @Test
    void undefinedWithoutCorrectSamplesOrSuccesses() {
        AttackSuccess none = AttackSuccess.of(new boolean[] {false, false}, new boolean[] {false, true}, 1.0);
        assertNull(none.asr());
        assertNull(none.ast());
        AttackSuccess noFlip = AttackSuccess.of(new boolean[] {true}, new boolean[] {true}, 1.0);
        assertEquals(0.0, noFlip.asr());
        assertNull(noFlip.ast());
        assertNull(AttackSuccess.of(new boolean[] {true}, new boolean[] {false}, null).ast());
    }

    @Test
    void rejectsMismatchedOrMalformedInput() {
        assertThrows(IllegalArgumentException.class,
                () -> AttackSuccess.of(new boolean[2], new boolean[3], 1.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttackSuccess.parseCorrectness("10x1"));
        assertEquals("correctness string has 'x' at 2; expected 0 or 1", e.getMessage());
    }
}
