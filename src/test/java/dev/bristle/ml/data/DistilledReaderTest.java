package dev.bristle.ml.data;

import dev.bristle.ml.SharedData;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;
import dev.bristle.ml.torch.TorchFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static dev.bristle.ml.data.DistilledReader.NormalizationChoice;
import static org.junit.jupiter.api.Assertions.*;

class DistilledReaderTest {

    private static final Path DC = SharedData.path("data/distilled/DC");
    private static final NormalizationChoice DETECT_CIFAR10 = NormalizationChoice.detect(DatasetKind.CIFAR10);

    @TempDir
    Path temp;

    @Test
    void dcResultFilesEqualTheirRawExports() throws Exception {
        for (String name : new String[]{"res_DC_CIFAR10_ConvNet_1ipc", "res_DC_CIFAR10_ConvNet_10ipc"}) {
            Path file = DC.resolve(name + ".pt");
            assertEquals(1, DistilledReader.experimentCount(file));
            DistilledSet set = DistilledReader.readDcResult(file, DETECT_CIFAR10).validateFor(DatasetKind.CIFAR10);

            byte[] raw = Files.readAllBytes(DC.resolve(name + ".images.f32le"));
            float[] expected = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
            assertArrayEquals(expected, set.images(), name);
            byte[] labels = Files.readAllBytes(DC.resolve(name + ".labels.u8"));
            assertArrayEquals(toInts(labels), set.labels(), name);
            assertEquals(expected.length / 3072, set.count());
            assertArrayEquals(new int[]{set.count(), 3, 32, 32}, set.shape());

            assertEquals(Normalization.meanStd(DatasetKind.CIFAR10), set.normalization().normalization());
            assertTrue(set.normalization().reason().startsWith("detected: values span [-"), set.normalization().reason());
            assertTrue(set.normalization().reason().contains("negative values are not pixels"));
            assertEquals(file + " (experiment 0 of 1)", set.source());
        }
    }

    @Test
    void convertsNormalizedImagesToPixels() throws Exception {
        DistilledSet set = DistilledReader.readDcResult(DC.resolve("res_DC_CIFAR10_ConvNet_1ipc.pt"), DETECT_CIFAR10);
        DistilledSet pixels = set.toPixels();
        int blue = 2 * 1024 + 7; // image 0, blue plane, pixel 7
        assertEquals(set.images()[blue] * 0.2010f + 0.4465f, pixels.images()[blue], 1e-6);
        assertEquals(set.images()[3072] * 0.2023f + 0.4914f, pixels.images()[3072], 1e-6);
        assertEquals(Normalization.PIXELS_0_1, pixels.normalization().normalization());
        assertTrue(pixels.normalization().reason().startsWith("converted to pixels from CIFAR-10 mean"));
        assertSame(pixels, pixels.toPixels());
    }

    @Test
    void refusesAMissingExperimentAndFilesThatAreNoResult() throws Exception {
        Path file = DC.resolve("res_DC_CIFAR10_ConvNet_1ipc.pt");
        var e = assertThrows(IllegalArgumentException.class, () -> DistilledReader.readDcResult(file, 1, DETECT_CIFAR10));
        assertEquals(file + " holds 1 experiment(s) (0 to 0); experiment 1 does not exist", e.getMessage());

        Path student = SharedData.path("beard/model-pool/DC_ConvNet_CIFAR10_50_None.pth");
        var notResult = assertThrows(DatasetFormatException.class, () -> DistilledReader.readDcResult(student, DETECT_CIFAR10));
        assertTrue(notResult.getMessage().startsWith(student + " is not a DC/DSA/DM result file"), notResult.getMessage());
    }

    @Test
    void validatesAgainstTheDataset() throws Exception {
        DistilledSet set = DistilledReader.readDcResult(DC.resolve("res_DC_CIFAR10_ConvNet_1ipc.pt"), DETECT_CIFAR10);
        String source = set.source();
        assertEquals(source + ": images have 3 channels, MNIST has 1",
                assertThrows(IllegalArgumentException.class, () -> set.validateFor(DatasetKind.MNIST)).getMessage());
        assertEquals(source + ": images are 32x32, TinyImageNet images are 64x64",
                assertThrows(IllegalArgumentException.class, () -> set.validateFor(DatasetKind.TINY_IMAGENET)).getMessage());
        assertEquals(source + ": labels cover 10 classes, CIFAR-100 has 100 (class count mismatch)",
                assertThrows(IllegalArgumentException.class, () -> set.validateFor(DatasetKind.CIFAR100)).getMessage());
    }

    @Test
    void readsMttBareTensorsAndNpzArrays() throws Exception {
        float[] images = new float[10 * 3 * 32 * 32];
        for (int i = 0; i < images.length; i++) images[i] = (i % 256) / 255f;
        long[] labels = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Path imagesFile = temp.resolve("images_best.pt");
        Path labelsFile = temp.resolve("labels_best.pt");
        TorchCheckpoint.writeTensor(HostTensor.ofFloats(images, 10, 3, 32, 32), imagesFile);
        TorchCheckpoint.writeTensor(HostTensor.ofLongs(labels, 10), labelsFile);
        DistilledSet mtt = DistilledReader.readMtt(imagesFile, labelsFile, DETECT_CIFAR10).validateFor(DatasetKind.CIFAR10);
        assertArrayEquals(images, mtt.images());
        assertArrayEquals(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, mtt.labels());
        assertEquals(Normalization.PIXELS_0_1, mtt.normalization().normalization());
        assertEquals("detected: values span [0.0000, 1.0000], inside [0, 1]", mtt.normalization().reason());

        Path npz = temp.resolve("set.npz");
        writeNpz(npz, Map.of("x.npy", npy("<f4", "(10, 3, 32, 32)", floatBytes(images)),
                "y.npy", npy("|u1", "(10,)", new byte[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})));
        DistilledSet fromNpz = DistilledReader.readNpz(npz, NormalizationChoice.declared(Normalization.PIXELS_0_1));
        assertArrayEquals(images, fromNpz.images());
        assertArrayEquals(mtt.labels(), fromNpz.labels());
        assertEquals("declared by the caller", fromNpz.normalization().reason());
    }

    @Test
    void readsAnNpyWrittenByNumpy() throws Exception {
        // np.save of np.array([[[[0.5, -1.0], [2.0, 3.0]]]], '<f4') and np.array([1], '<i8'), numpy 2.4
        byte[] images = HexFormat.of().parseHex("934e554d5059010076007b276465736372273a20273c6634272c2027666f727472616e5f6f72646572273a2046616c73652c"
                + "20277368617065273a2028312c20312c20322c2032292c207d20202020202020202020202020202020202020202020202020"
                + "2020202020202020202020202020202020202020202020202020200a0000003f000080bf0000004000004040");
        byte[] labels = HexFormat.of().parseHex("934e554d5059010076007b276465736372273a20273c6938272c2027666f727472616e5f6f72646572273a2046616c73652c"
                + "20277368617065273a2028312c292c207d202020202020202020202020202020202020202020202020202020202020202020"
                + "2020202020202020202020202020202020202020202020202020200a0100000000000000");
        Path npz = temp.resolve("numpy.npz");
        writeNpz(npz, Map.of("images.npy", images, "labels.npy", labels));
        DistilledSet set = DistilledReader.readNpz(npz, NormalizationChoice.detect(DatasetKind.MNIST));
        assertArrayEquals(new float[]{0.5f, -1f, 2f, 3f}, set.images());
        assertArrayEquals(new int[]{1}, set.labels());
        assertArrayEquals(new int[]{1, 1, 2, 2}, set.shape());
        assertEquals(Normalization.meanStd(DatasetKind.MNIST), set.normalization().normalization());
    }

    @Test
    void refusesBadContentWithClearMessages() throws Exception {
        Path npz = temp.resolve("bad.npz");
        float[] one = new float[3 * 32 * 32];
        byte[] images = npy("<f4", "(1, 3, 32, 32)", floatBytes(one));

        writeNpz(npz, Map.of("images.npy", images, "labels.npy", npy("<i8", "(2,)", new byte[16])));
        assertEquals(npz + " has 1 images but 2 labels", assertThrows(DatasetFormatException.class,
                () -> DistilledReader.readNpz(npz, DETECT_CIFAR10)).getMessage());

        writeNpz(npz, Map.of("images.npy", images, "labels.npy", npy("|u1", "(1,)", new byte[]{12})));
        DistilledSet outOfRange = DistilledReader.readNpz(npz, NormalizationChoice.declared(Normalization.PIXELS_0_1));
        assertEquals(npz + ": label 12 of image 0 is outside [0, 10) for CIFAR-10",
                assertThrows(IllegalArgumentException.class, () -> outOfRange.validateFor(DatasetKind.CIFAR10)).getMessage());

        float[] withNaN = one.clone();
        withNaN[1025] = Float.NaN;
        writeNpz(npz, Map.of("images.npy", npy("<f4", "(1, 3, 32, 32)", floatBytes(withNaN)),
                "labels.npy", npy("|u1", "(1,)", new byte[]{0})));
        assertEquals("images of " + npz + " has a non-finite value NaN at flat index 1025 (position [0, 1, 0, 1] in"
                        + " shape [1, 3, 32, 32])",
                assertThrows(DatasetFormatException.class, () -> DistilledReader.readNpz(npz, DETECT_CIFAR10)).getMessage());

        writeNpz(npz, Map.of("images.npy", Arrays.copyOf(images, images.length - 8),
                "labels.npy", npy("|u1", "(1,)", new byte[]{0})));
        assertTrue(assertThrows(DatasetFormatException.class, () -> DistilledReader.readNpz(npz, DETECT_CIFAR10))
                .getMessage().endsWith("needs 12288 data bytes, the file has 12280 (truncated?)"));

        float[] bytesRange = one.clone();
        bytesRange[0] = 200;
        writeNpz(npz, Map.of("images.npy", npy("<f4", "(1, 3, 32, 32)", floatBytes(bytesRange)),
                "labels.npy", npy("|u1", "(1,)", new byte[]{0})));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DistilledReader.readNpz(npz, DETECT_CIFAR10))
                .getMessage().contains("values span [0.0000, 200.0000] are neither pixels"));
    }

    @Test
    void refusesTruncatedFiles() throws Exception {
        Path cutPt = temp.resolve("cut.pt");
        byte[] pt = Files.readAllBytes(DC.resolve("res_DC_CIFAR10_ConvNet_10ipc.pt"));
        Files.write(cutPt, Arrays.copyOf(pt, pt.length / 2));
        assertTrue(assertThrows(TorchFormatException.class, () -> DistilledReader.readDcResult(cutPt, DETECT_CIFAR10))
                .getMessage().contains("(truncated or damaged"));

        Path npz = temp.resolve("whole.npz");
        writeNpz(npz, Map.of("images.npy", npy("<f4", "(1, 3, 32, 32)", new byte[12288]),
                "labels.npy", npy("|u1", "(1,)", new byte[]{0})));
        Path cutNpz = temp.resolve("cut.npz");
        byte[] whole = Files.readAllBytes(npz);
        Files.write(cutNpz, Arrays.copyOf(whole, whole.length - 30));
        assertTrue(assertThrows(TorchFormatException.class, () -> DistilledReader.readNpz(cutNpz, DETECT_CIFAR10))
                .getMessage().startsWith(cutNpz + " starts like a zip archive but cannot be read as one"));
    }

    // --- helpers ---

    private static int[] toInts(byte[] bytes) {
        int[] ints = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) ints[i] = bytes[i] & 0xff;
        return ints;
    }

    private static byte[] floatBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** A version-1 .npy: magic, version, header length, dict literal padded to 64 bytes with a newline. */
    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int padded = ((10 + dict.length() + 1 + 63) / 64) * 64 - 10;
        String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) padded, (byte) (padded >> 8)});
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static void writeNpz(Path file, Map<String, byte[]> arrays) throws IOException {
        try (var zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (var entry : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
    }
}
