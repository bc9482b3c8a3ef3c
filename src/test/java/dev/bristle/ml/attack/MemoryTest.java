package dev.bristle.ml.attack;

import dev.bristle.bench.ResidentMemory;
import dev.bristle.ml.metrics.AttackMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Native memory stays flat: resident memory after running the whole (quick) library twice on the student stays within
 * a loose bound of what it was after once. The benchmark prints the precise figure.
 */
class MemoryTest {

    @Test
    void runningTheLibraryAgainDoesNotGrowResidentMemory() throws IOException {
        AttackTarget target = Bacon.target(AttackProtocol.SOUND);
        try {
            float[] pixels = Bacon.pixels(8);
            int[] labels = Bacon.labels(8);
            AttackSuite suite = new AttackSuite(target, 8, 0, 1, AttackSuite.Progress.NONE);
            CleanRun clean = suite.clean(pixels, labels);
            List<Attack> library = AttackLibraryTest.quickLibrary(8 / 255.0);
            AttackLibraryTest.runAll(suite, library, List.of(AttackMode.UNTARGETED), pixels, labels, clean);
            long afterOne = ResidentMemory.kilobytes();
            AttackLibraryTest.runAll(suite, library, List.of(AttackMode.UNTARGETED), pixels, labels, clean);
            AttackLibraryTest.runAll(suite, library, List.of(AttackMode.UNTARGETED), pixels, labels, clean);
            long afterThree = ResidentMemory.kilobytes();
            System.out.printf("RSS after one run of the quick library: %d MB, after three: %d MB%n", afterOne / 1024,
                    afterThree / 1024);
            assertTrue(afterThree < afterOne * 1.15 + 64 * 1024, "resident memory grew from " + afterOne / 1024
                    + " MB to " + afterThree / 1024 + " MB");
        } finally {
            target.model().close();
        }
    }
}
