package dev.bristle.ml.data;

import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The official Fashion-MNIST files as Debian's dataset-fashion-mnist installs them (the pom's datasets.dir). */
class FashionMnistDataTest {

    @TempDir
    Path root;

    @Test
    void readsDebiansLayoutAsADataDirectory() throws Exception {
        DataDirectory data = DataDirectory.offline(SharedData.datasets());
        ImageSet test = data.load(DatasetKind.FASHION_MNIST, Split.TEST);
        assertEquals(10_000, test.count());
        assertEquals(1, test.channels());
        assertEquals(28, test.height());
        assertArrayEquals(new int[]{9, 2, 1, 1, 6}, Arrays.copyOf(test.labels(), 5)); // ankle boot, pullover, ...
        int[] perClass = new int[10];
        for (int label : test.labels()) perClass[label]++;
        assertArrayEquals(new int[]{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        assertEquals(0.2860, mean(test.pixels()), 1e-3); // DatasetKind normalizes with the training split's mean, 0.2860
        assertEquals(SharedData.datasets().resolve("fashion-mnist/t10k-images-idx3-ubyte.gz"),
                data.locate(DatasetKind.FASHION_MNIST, Split.TEST).files().get(0));
    }

    @Test
    void theOfficialContentChecksumsAreThoseOfDebiansFiles() throws Exception {
        for (Split split : Split.values()) {
            for (DownloadSource source : OfficialSources.of(DatasetKind.FASHION_MNIST, split)) {
                Path file = SharedData.datasets().resolve(source.installPath()).resolve(source.fileName());
                try (InputStream in = MaybeGzip.open(file)) {
                    assertEquals(source.contentSha256(), DatasetDownloaderTest.sha256(in.readAllBytes()), file.toString());
                }
            }
        }
    }

    @Test
    void torchvisionsLayoutDecompressedReadsTheSame() throws Exception {
        Path raw = Files.createDirectories(root.resolve("FashionMNIST/raw"));
        for (String name : new String[]{"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
            try (InputStream in = MaybeGzip.open(SharedData.datasets().resolve("fashion-mnist/" + name + ".gz"))) {
                Files.copy(in, raw.resolve(name));
            }
        }
        ImageSet copy = DataDirectory.offline(root).load(DatasetKind.FASHION_MNIST, Split.TEST);
        ImageSet debian = DataDirectory.offline(SharedData.datasets()).load(DatasetKind.FASHION_MNIST, Split.TEST);
        assertArrayEquals(debian.labels(), copy.labels());
        assertArrayEquals(debian.pixels(), copy.pixels());
    }

    @Test
    void saysWhereToPutTheFilesInEitherLayout() {
        var e = assertThrows(DatasetMissingException.class,
                () -> DataDirectory.offline(root).locate(DatasetKind.FASHION_MNIST, Split.TRAIN));
        Path abs = root.toAbsolutePath();
        assertTrue(e.getMessage().startsWith("Fashion-MNIST train set not found under " + abs + ". Put "
                + abs.resolve("fashion-mnist/train-images-idx3-ubyte") + ", "
                + abs.resolve("fashion-mnist/train-labels-idx1-ubyte") + " (each may stay .gz) (extracted from"
                + " train-images-idx3-ubyte.gz from http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
                + "train-images-idx3-ubyte.gz, content SHA-256 c59f468a"), e.getMessage());
        assertTrue(e.getMessage().contains(" or " + abs.resolve("FashionMNIST/raw/train-images-idx3-ubyte")),
                e.getMessage());
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) sum += v;
        return sum / values.length;
    }
}
