package dev.bristle.ml.data;

import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CifarReadersTest {

    private static final Path FIRST_932 = SharedData.path("data/cifar-10-partial-official/test_first932.bin");

    @TempDir
    Path temp;

    private static int[] officialTestLabels(int n) throws Exception {
        return Files.readAllLines(SharedData.path("data/cifar-10-partial-official/test_labels.txt")).stream()
                .limit(n).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void readsTheExactOfficialTestImages() throws Exception {
        ImageSet set = CifarBinaryReader.read(DatasetKind.CIFAR10, FIRST_932);
        assertEquals(932, set.count());
        assertEquals(List.of(3, 32, 32, 10), List.of(set.channels(), set.height(), set.width(), set.classCount()));
        assertArrayEquals(officialTestLabels(932), set.labels());
        byte[] raw = Files.readAllBytes(FIRST_932);
        assertEquals((raw[1] & 0xff) / 255f, set.pixels()[0]); // first red value of image 0
        assertEquals((raw[3073 + 1 + 1024] & 0xff) / 255f, set.pixels()[3072 + 1024]); // first green of image 1

        ImageSet first10 = set.subset(10);
        assertEquals(10, first10.count());
        assertArrayEquals(Arrays.copyOf(set.pixels(), 30720), first10.pixels());
        assertArrayEquals(new long[]{10, 3, 32, 32}, first10.imagesTensor().shape());
        assertEquals(set.labels()[9], first10.labelsTensor().longs()[9]);
    }

    @Test
    void readsTheFullJpegDecodedTestSetInOfficialOrder() throws Exception {
        ImageSet set = CifarBinaryReader.read(DatasetKind.CIFAR10,
                SharedData.path("data/cifar-10-test-jpeg/test_batch_jpeg_decoded.bin"));
        assertEquals(10_000, set.count());
        assertArrayEquals(officialTestLabels(10_000), set.labels());
    }

    @Test
    void readsAPythonBatchIdenticalToTheBinaryRecords() throws Exception {
        ImageSet binary = CifarBinaryReader.read(DatasetKind.CIFAR10, FIRST_932);
        Path batch = temp.resolve("test_batch");
        Files.write(batch, officialStylePickle(Files.readAllBytes(FIRST_932), 932));
        ImageSet python = CifarPickleReader.read(DatasetKind.CIFAR10, batch);
        assertArrayEquals(binary.labels(), python.labels());
        assertArrayEquals(binary.pixels(), python.pixels());
    }

    @Test
    void refusesAPickleThatIsNoBatch() {
        Path meta = SharedData.path("data/cifar-10-batches-py/batches.meta");
        var e = assertThrows(DatasetFormatException.class, () -> CifarPickleReader.read(DatasetKind.CIFAR10, meta));
        assertEquals(meta + ": 'data' should be a uint8 array of shape (N, 3072), found None (keys: "
                + "'num_cases_per_batch', 'label_names', 'num_vis')", e.getMessage());
    }

    @Test
    void readsCifar100FineLabelsFromBothFormats() throws Exception {
        byte[] records = new byte[2 * 3074];
        records[0] = 4;    // coarse
        records[1] = 73;   // fine
        records[3074] = 19;
        records[3075] = 99;
        records[3074 + 2 + 5] = (byte) 255;
        Path bin = temp.resolve("test.bin");
        Files.write(bin, records);
        ImageSet set = CifarBinaryReader.read(DatasetKind.CIFAR100, bin);
        assertArrayEquals(new int[]{73, 99}, set.labels());
        assertEquals(1f, set.pixels()[3072 + 5]);
        assertEquals(100, set.classCount());
    }

    @Test
    void refusesTruncatedBinaryFilesAndLabelsOutOfRange() throws Exception {
        Path cut = temp.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(FIRST_932), 3073 * 5 - 100));
        var e = assertThrows(DatasetFormatException.class, () -> CifarBinaryReader.read(DatasetKind.CIFAR10, cut));
        assertEquals(cut + " has 15265 bytes, not a positive multiple of the 3073-byte CIFAR-10 record (truncated, or"
                + " not a CIFAR-10 binary batch?)", e.getMessage());

        byte[] bad = Arrays.copyOf(Files.readAllBytes(FIRST_932), 3073 * 2);
        bad[3073] = 10;
        Files.write(cut, bad);
        var label = assertThrows(DatasetFormatException.class, () -> CifarBinaryReader.read(DatasetKind.CIFAR10, cut));
        assertEquals(cut + ": record 1 has label 10, outside [0, 10) for CIFAR-10", label.getMessage());
    }

    @Test
    void readsClassNamesFromTheOfficialMetadata() throws Exception {
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                CifarMetaReader.labelNames(SharedData.path("data/cifar-10-batches-py/batches.meta")));
        Path meta100 = SharedData.path("data/cifar-100-python/meta");
        List<String> fine = CifarMetaReader.labelNames(meta100);
        assertEquals(100, fine.size());
        assertEquals("apple", fine.get(0));
        assertEquals("worm", fine.get(99));
        assertEquals(20, CifarMetaReader.coarseLabelNames(meta100).size());
    }

    /**
     * A batch as the official CIFAR-10 python files store it (cPickle protocol 2 under Python 2): a dict of Python 2
     * strings whose 'data' is rebuilt by numpy's _reconstruct and filled by BUILD with a BINSTRING of raw bytes.
     */
    private static byte[] officialStylePickle(byte[] records, int n) {
        byte[] pixels = new byte[n * 3072];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x80, 2, '}', '('});
        shortString(out, "labels");
        out.writeBytes(new byte[]{']', '('});
        for (int i = 0; i < n; i++) {
            out.writeBytes(new byte[]{'K', records[i * 3073]});
            System.arraycopy(records, i * 3073 + 1, pixels, i * 3072, 3072);
        }
        out.write('e');
        shortString(out, "data");
        out.writeBytes("cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\0\u0085".getBytes(StandardCharsets.ISO_8859_1));
        shortString(out, "b");
        out.writeBytes(new byte[]{(byte) 0x87, 'R', '(', 'K', 1, 'M', (byte) (n & 0xff), (byte) (n >> 8), 'M', 0, 12,
                (byte) 0x86});
        out.writeBytes("cnumpy\ndtype\n".getBytes(StandardCharsets.ISO_8859_1));
        shortString(out, "u1");
        out.writeBytes(new byte[]{'K', 0, 'K', 1, (byte) 0x87, 'R', '(', 'K', 3});
        shortString(out, "|");
        out.writeBytes(new byte[]{'N', 'N', 'N', 'J', -1, -1, -1, -1, 'J', -1, -1, -1, -1, 'K', 0, 't', 'b',
                (byte) 0x89, 'T'});
        out.writeBytes(new byte[]{(byte) pixels.length, (byte) (pixels.length >> 8), (byte) (pixels.length >> 16), 0});
        out.writeBytes(pixels);
        out.writeBytes(new byte[]{'t', 'b', 'u', '.'});
        return out.toByteArray();
    }

    private static void shortString(ByteArrayOutputStream out, String s) {
        out.write('U');
        out.write(s.length());
        out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A dataset without a CIFAR binary format is the user's mistake (a 400, exit 2), not a bug. */
    @Test
    void aDatasetWithoutTheBinaryFormatIsTheUsersMistake() {
        Path test = SharedData.path("data/cifar-10-partial-official/test_first932.bin");
        var e = assertThrows(dev.bristle.input.InvalidInputException.class,
                () -> CifarBinaryReader.read(DatasetKind.TINY_IMAGENET, test));
        assertTrue(e.getMessage().contains("TinyImageNet has no CIFAR binary format"), e.getMessage());
    }
}
