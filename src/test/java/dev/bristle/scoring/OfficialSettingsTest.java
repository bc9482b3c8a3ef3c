package dev.bristle.scoring;

import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What makes a run official, and how a run that is not says why. */
class OfficialSettingsTest {

    private static final OfficialSettings SOUND = OfficialSettings.of(AttackProtocol.SOUND);

    @Test
    void theOfficialRunHasNoDifferences() {
        JobSettings official = new JobSettings(1000, 5, null, 0, AttackLibrary.NAMES, List.of("untargeted",
                "targeted"), "sound", true);
        assertEquals(List.of(), SOUND.differences(official, 10_000, 10_000, null));
    }

    @Test
    void everyDifferenceIsNamed() {
        JobSettings issueRun = new JobSettings(20, 1, 200, 0, List.of("FGSM", "PGD", "CW", "DeepFool"),
                List.of("untargeted"), "sound", false);
        assertEquals(List.of("1 of 5 students", "20 of 1,000 epochs", "200 of 10,000 images", "JPEG-decoded test set",
                        "4 of 9 attacks (without PGD_L2, AutoAttack, Square, SPSA, Noise)", "untargeted only"),
                SOUND.differences(issueRun, 200, 10_000, "JPEG-decoded test set"));
        JobSettings more = new JobSettings(2000, 7, null, 0, AttackLibrary.NAMES, List.of("targeted", "untargeted"),
                "beard", false);
        assertEquals(List.of("beard protocol", "7 students instead of 5", "2,000 epochs instead of 1,000"),
                SOUND.differences(more, 10_000, 10_000, null));
    }
}
