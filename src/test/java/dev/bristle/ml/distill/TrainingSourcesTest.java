package dev.bristle.ml.distill;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.DataDirectory;
import dev.bristle.ml.data.DatasetKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Where the distillers' real images come from: the official training splits, or CIFAR-10's exact partial file. */
class TrainingSourcesTest {

    @Test
    void cifar10BaselinesComeFromTheExactPartialTrainingFileAndSaySo() throws Exception {
        SourceImages source = TrainingSources.load(DatasetKind.CIFAR10, DataDirectory.offline(SharedData.path("data")));
        assertEquals(4660, source.images().count());
        assertEquals(4660, source.images().labels().length);
        assertEquals("the first 932 exact images of each of CIFAR-10's five official training batches (4,660 of the"
                + " 50,000 training images): cifar-10-partial-official/train_first932_per_batch.bin",
                source.description(), "the file under the data directory, not where that is");
        int smallest = Integer.MAX_VALUE;
        for (int[] members : source.byClass()) smallest = Math.min(smallest, members.length);
        assertTrue(smallest >= 50, "every class has the 50 images IPC 50 needs, the smallest " + smallest);

        var herding = Distillation.run(source, new DistillationSettings(DistillationMethod.HERDING, 1, 0, 1, 0.01, 5,
                "cpu"), DistillationProgress.NONE);
        assertEquals(source.description(), herding.provenance().sourceData());
        assertEquals("CIFAR-10", herding.provenance().dataset());
        assertArrayEquals(new int[]{10, 3, 32, 32}, herding.set().shape());
        var random = Distillation.run(source, DistillationSettings.defaults(DistillationMethod.RANDOM, 50, 0),
                DistillationProgress.NONE);
        assertEquals(500, random.set().count());
    }

    @Test
    void fashionMnistComesFromItsOfficialTrainingSplit() throws Exception {
        SourceImages source = TrainingSources.load(DatasetKind.FASHION_MNIST, DataDirectory.offline(SharedData.datasets()));
        assertEquals(60_000, source.images().count());
        assertEquals("Fashion-MNIST's official training split (60,000 images): train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz", source.description(), "the files by name, not where they are");
        for (int[] members : source.byClass()) assertEquals(6000, members.length);
    }
}
