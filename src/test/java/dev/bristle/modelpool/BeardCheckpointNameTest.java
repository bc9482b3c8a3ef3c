package dev.bristle.modelpool;

import dev.bristle.leaderboard.Dataset;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BeardCheckpointNameTest {

    @Test
    void readsEveryPartOfBeardsNames() {
        BeardCheckpointName bacon = BeardCheckpointName.parse("BACON_ConvNet_CIFAR10_50_None_0.6995.pth");
        assertEquals("BACON", bacon.method());
        assertEquals("ConvNet", bacon.architecture());
        assertEquals(Dataset.CIFAR_10, bacon.dataset());
        assertEquals(50, bacon.ipc());
        assertEquals("None", bacon.augmentation());
        assertEquals(69.95, bacon.reportedAccuracy());

        assertNull(BeardCheckpointName.parse("DC_ConvNet_CIFAR10_50_None.pth").reportedAccuracy());
        assertEquals(60.48, BeardCheckpointName.parse("DSA_ConvNet_CIFAR10_50_None_0.6048.pth").reportedAccuracy());
        assertEquals(Dataset.CIFAR_100, BeardCheckpointName.parse("DM_ConvNet_CIFAR100_10_None.pth").dataset());
        assertEquals(Dataset.TINY_IMAGENET, BeardCheckpointName.parse("DM_ConvNet_Tiny_1_None.pth").dataset());
    }

    @Test
    void refusesOtherNamesWithAClearMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> BeardCheckpointName.parse("student.pth"));
        assertTrue(e.getMessage().contains("not a BEARD student file name"), e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class,
                () -> BeardCheckpointName.parse("DC_ConvNet_SVHN_10_None.pth"));
        assertTrue(unknown.getMessage().contains("unknown data set code 'SVHN'"), unknown.getMessage());
    }
}
