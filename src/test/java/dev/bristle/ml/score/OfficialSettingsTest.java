package dev.bristle.ml.score;

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
        OfficialSettings.Run official = new OfficialSettings.Run("sound", 5, 1000, AttackLibrary.NAMES,
                List.of("untargeted", "targeted"));
        assertEquals(List.of(), SOUND.differences(official, 10_000, 10_000, null));
    }

    @Test
    void everyDifferenceIsNamed() {
        OfficialSettings.Run issueRun = new OfficialSettings.Run("sound", 1, 20, List.of("FGSM", "PGD", "CW",
                "DeepFool"), List.of("untargeted"));
        assertEquals(List.of("1 of 5 students", "20 of 1,000 epochs", "200 of 10,000 images", "JPEG-decoded test set",
                        "4 of 9 attacks (without PGD_L2, AutoAttack, Square, SPSA, Noise)", "untargeted only"),
                SOUND.differences(issueRun, 200, 10_000, "JPEG-decoded test set"));
        OfficialSettings.Run more = new OfficialSettings.Run("beard", 7, 2000, AttackLibrary.NAMES,
                List.of("targeted", "untargeted"));
        assertEquals(List.of("beard protocol", "7 students instead of 5", "2,000 epochs instead of 1,000"),
                SOUND.differences(more, 10_000, 10_000, null));
    }

    @Test
    void scaledSettingsKeepWhatIsNotScaled() {
        OfficialSettings scaled = SOUND.scaled(1, 10, 100, null, List.of("untargeted"));
        assertEquals(new OfficialSettings(AttackProtocol.SOUND, 1, 10, 100, AttackLibrary.NAMES, List.of("untargeted")),
                scaled);
        assertEquals(100, scaled.imagesOf(10_000));
        assertEquals(10_000, SOUND.imagesOf(10_000));
    }

    @Test
    void aCheckpointsEpochsAreNotCounted() {
        OfficialSettings.Run checkpoint = new OfficialSettings.Run("sound", 1, 0, AttackLibrary.NAMES,
                List.of("targeted", "untargeted"));
        assertEquals(List.of(OfficialSettings.CHECKPOINT, "1 of 5 students"),
                SOUND.checkpointDifferences(checkpoint, 10_000, 10_000, null));
    }
}
