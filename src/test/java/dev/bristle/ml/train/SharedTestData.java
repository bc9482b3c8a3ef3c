package dev.bristle.ml.train;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledReader;
import dev.bristle.ml.data.ImageSet;

import java.io.IOException;

/** The real data the training tests use: DC's distilled CIFAR-10 sets and the 932 exact CIFAR-10 test images. */
final class SharedTestData {

    private SharedTestData() {
    }

    /** DC's CIFAR-10 set at {@code ipc} images per class, read from its {@code res_*.pt} file. */
    static TrainingImages dcCifar10(int ipc) throws IOException {
        return TrainingImages.from(DistilledReader.readDcResult(
                SharedData.dcCifar10(ipc),
                DistilledReader.NormalizationChoice.detect(DatasetKind.CIFAR10)), DatasetKind.CIFAR10);
    }

    /** The first 932 official CIFAR-10 test images, exact, in pixel space. */
    static ImageSet cifar10TestFirst932() throws IOException {
        return CifarBinaryReader.read(DatasetKind.CIFAR10,
                SharedData.path("data/cifar-10-partial-official/test_first932.bin"));
    }
}
