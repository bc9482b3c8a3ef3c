package dev.bristle.ml.torch;

import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class TorchCheckpointTest {

    private static final Path BACON = SharedData.path("beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth");

    @TempDir
    Path temp;

    @Test
    void readsABeardStudentStateDict() throws Exception {
        LinkedHashMap<String, HostTensor> state = TorchCheckpoint.readStateDict(BACON);
        assertEquals(14, state.size());
        assertEquals("features.0.weight", state.keySet().iterator().next());
        HostTensor conv = state.get("features.0.weight");
        assertArrayEquals(new long[]{128, 3, 3, 3}, conv.shape());
        assertArrayEquals(new long[]{10, 2048}, state.get("classifier.weight").shape());
        // the pickle maps features.0.weight to storage key 0: compare with its raw little-endian bytes
        try (ZipFile zip = new ZipFile(BACON.toFile())) {
            byte[] raw = zip.getInputStream(zip.getEntry("archive/data/0")).readAllBytes();
            float[] expected = new float[raw.length / 4];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(expected);
            assertArrayEquals(expected, conv.floats());
        }
        TensorChecks.requireFinite(state, BACON.toString());
    }

    @Test
    void roundTripsAStudentBitForBitWithAlignedStorages() throws Exception {
        LinkedHashMap<String, HostTensor> original = TorchCheckpoint.readStateDict(BACON);
        Path written = temp.resolve("student.pth");
        TorchCheckpoint.writeStateDict(original, written);
        LinkedHashMap<String, HostTensor> back = TorchCheckpoint.readStateDict(written);
        assertEquals(List.copyOf(original.keySet()), List.copyOf(back.keySet()));
        original.forEach((name, tensor) -> {
            HostTensor copy = back.get(name);
            assertEquals(tensor.dtype(), copy.dtype(), name);
            assertArrayEquals(tensor.shape(), copy.shape(), name);
            assertArrayEquals(rawBits(tensor), rawBits(copy), name);
        });
        assertEquals(List.of(0L), storageOffsetsModulo64(written).stream().distinct().toList());
        Path again = Files.createDirectory(temp.resolve("again")).resolve("student.pth");
        TorchCheckpoint.writeStateDict(back, again);
        assertArrayEquals(Files.readAllBytes(written), Files.readAllBytes(again), "writing is deterministic");
        assertEquals(List.of(), leftovers());
    }

    @Test
    void materializesOffsetsNonContiguousStridesAndSharedStorages() throws Exception {
        float[] storage = new float[12];
        for (int i = 0; i < storage.length; i++) storage[i] = i;
        PickleWriter p = new PickleWriter().global("collections", "OrderedDict").emptyTuple().reduce().mark();
        tensorCall(p, "transposed", 12, 1, new long[]{3, 2}, new long[]{1, 3});
        tensorCall(p, "row", 12, 4, new long[]{4}, new long[]{1});
        Path file = temp.resolve("views.pt");
        writeZip(file, Map.of("views/data.pkl", p.setItems().stop(), "views/data/0", floatBytes(storage)));

        Map<String, HostTensor> state = TorchCheckpoint.readStateDict(file);
        assertArrayEquals(new float[]{1, 4, 2, 5, 3, 6}, state.get("transposed").floats());
        assertArrayEquals(new long[]{3, 2}, state.get("transposed").shape());
        assertArrayEquals(new float[]{4, 5, 6, 7}, state.get("row").floats());
    }

    @Test
    void reportsATruncatedArchive() throws Exception {
        Path cut = temp.resolve("cut.pth");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(BACON), 600_000));
        var e = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.readStateDict(cut));
        assertTrue(e.getMessage().startsWith(cut + " starts like a zip archive but cannot be read as one (truncated"),
                e.getMessage());
    }

    @Test
    void reportsAMissingStorageEntry() throws Exception {
        Path file = temp.resolve("missing.pth");
        Map<String, byte[]> entries = entriesOf(BACON);
        entries.remove("archive/data/3");
        writeZip(file, entries);
        var e = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.readStateDict(file));
        assertTrue(e.getMessage().matches("storage archive/data/3 referenced at byte \\d+ in archive/data.pkl in "
                + java.util.regex.Pattern.quote(file.toString()) + " is missing from the archive .*"), e.getMessage());
    }

    @Test
    void reportsAStorageSmallerThanTheView() throws Exception {
        PickleWriter p = new PickleWriter().global("collections", "OrderedDict").emptyTuple().reduce().mark();
        tensorCall(p, "w", 4, 0, new long[]{6}, new long[]{1});
        Path file = temp.resolve("small.pt");
        writeZip(file, Map.of("small/data.pkl", p.setItems().stop(), "small/data/0", floatBytes(new float[4])));
        var e = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.readStateDict(file));
        assertTrue(e.getMessage().contains("needs 6 storage elements, the storage has 4"), e.getMessage());
        assertTrue(e.getMessage().contains("small/data/0 in " + file), e.getMessage());

        writeZip(file, Map.of("small/data.pkl", p.stop(), "small/data/0", floatBytes(new float[2])));
        var shortStorage = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.read(file));
        assertTrue(shortStorage.getMessage().contains(
                "has 8 bytes, but its persistent id declares 4 FloatStorage elements (16 bytes)"), shortStorage.getMessage());
    }

    @Test
    void refusesAForbiddenGlobalAndAnUnknownOpcodeNamingTheFile() throws Exception {
        Path file = temp.resolve("evil.pth");
        writeZip(file, Map.of("archive/data.pkl",
                HexFormat.of().parseHex("8002636f730a73797374656d0a710058020000006c73710185710252712e")));
        var e = assertThrows(UnsafePickleException.class, () -> TorchCheckpoint.read(file));
        assertEquals("forbidden global os.system at byte 2 in archive/data.pkl in " + file, e.getMessage());

        writeZip(file, Map.of("archive/data.pkl", HexFormat.of().parseHex("8002817d2e")));
        var opcode = assertThrows(UnsafePickleException.class, () -> TorchCheckpoint.read(file));
        assertEquals("opcode 0x81 (NEWOBJ) at byte 2 in archive/data.pkl in " + file + " is not allowed",
                opcode.getMessage());
    }

    @Test
    void refusesWhatIsNotAZipAndTheLegacyFormat() throws Exception {
        Path text = temp.resolve("notes.pth");
        Files.writeString(text, "hello, not a checkpoint");
        var notZip = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.read(text));
        assertEquals(text + " is not a zip archive (23 bytes; first bytes 68 65 6c 6c 6f 2c 20 6e, expected 50 4b 03 04)",
                notZip.getMessage());

        Path legacy = temp.resolve("legacy.pth");
        // torch<1.6 files start with the pickled magic number 0x1950a86a20f9469cfc6c (LONG1, 10 bytes)
        Files.write(legacy, HexFormat.of().parseHex("80028a0a6cfc9c46f9206aa850190a2e"));
        var e = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.read(legacy));
        assertTrue(e.getMessage().contains("legacy torch serialization is not supported; re-save with torch>=1.6"),
                e.getMessage());
    }

    @Test
    void refusesAZipBombAndEntriesAboveTheTotalLimit() throws Exception {
        Path bomb = temp.resolve("bomb.zip");
        try (var zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            zip.setLevel(Deflater.BEST_COMPRESSION);
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) zip.write(zeros);
            zip.closeEntry();
        }
        var ratio = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.read(bomb));
        assertTrue(ratio.getMessage().matches(".*entry archive/data.pkl expands \\d+ to 67108864 bytes, a compression"
                + " ratio above 1000 \\(zip bomb\\?\\); refused"), ratio.getMessage());

        var total = assertThrows(TorchFormatException.class,
                () -> TorchCheckpoint.read(BACON, new SafeZip.Limits(1 << 20, 1000)));
        assertTrue(total.getMessage().contains("entries declare more than 1048576 uncompressed bytes in total"),
                total.getMessage());
    }

    @Test
    void capsTheBytesOfAllTensorsMaterializedFromSharedStorages() throws Exception {
        // 20 views of one 64 KiB storage: each is a copy, 1.25 MiB in all, from an archive of 64 KiB.
        PickleWriter p = new PickleWriter().global("collections", "OrderedDict").emptyTuple().reduce().mark();
        for (int i = 0; i < 20; i++) tensorCall(p, "w" + i, 16384, 0, new long[]{16384}, new long[]{1});
        Path shared = temp.resolve("shared.pt");
        writeZip(shared, Map.of("shared/data.pkl", p.setItems().stop(), "shared/data/0", floatBytes(new float[16384])));
        SafeZip.Limits oneMebibyte = new SafeZip.Limits(1 << 20, 1000);
        var e = assertThrows(UnsafePickleException.class, () -> TorchCheckpoint.read(shared, oneMebibyte));
        assertTrue(e.getMessage().startsWith("pickle shared/data.pkl in " + shared + " materializes more than 1048576"
                + " bytes of tensors in all (limit reached by the tensor of size [16384] on storage shared/data/0 in "),
                e.getMessage());
        assertEquals(20, TorchCheckpoint.readStateDict(shared).size(), "the default limits read it");

        // One element viewed a million times over with stride 0: 4 MiB from a 4-byte storage.
        PickleWriter zeroStride = new PickleWriter().global("collections", "OrderedDict").emptyTuple().reduce().mark();
        tensorCall(zeroStride, "w", 1, 0, new long[]{1 << 20}, new long[]{0});
        Path repeated = temp.resolve("repeated.pt");
        writeZip(repeated, Map.of("repeated/data.pkl", zeroStride.setItems().stop(),
                "repeated/data/0", floatBytes(new float[1])));
        var stride = assertThrows(UnsafePickleException.class, () -> TorchCheckpoint.read(repeated, oneMebibyte));
        assertTrue(stride.getMessage().contains(" materializes more than 1048576 bytes of tensors in all"),
                stride.getMessage());
    }

    @Test
    void refusesAnEntryThatInflatesBeyondItsDeclaredSize() throws Exception {
        Path file = temp.resolve("lying.pth");
        writeZip(file, Map.of("archive/data.pkl", HexFormat.of().parseHex("80027d712e")));
        byte[] zip = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int central = buffer.getInt(zip.length - 6); // end record: offset of the central directory
        buffer.putInt(central + 24, 3); // the entry now declares 3 uncompressed bytes instead of 5
        Files.write(file, zip);
        var e = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.read(file));
        assertTrue(e.getMessage().contains("entry archive/data.pkl produces more bytes than declared (3)"), e.getMessage());
    }

    @Test
    void refusesAnObjectThatIsNotAStateDict() throws Exception {
        Path dc = SharedData.path("data/distilled/DC/res_DC_CIFAR10_ConvNet_1ipc.pt");
        var e = assertThrows(TorchFormatException.class, () -> TorchCheckpoint.readStateDict(dc));
        assertTrue(e.getMessage().contains("is not a state_dict: entry 'data' holds a list of 1 items instead of a tensor (top-level keys: 'data', 'accs_all_exps')"),
                e.getMessage());
    }

    @Test
    void namesTheFirstNonFiniteValue() {
        HostTensor tensor = HostTensor.ofFloats(new float[]{0, 1, 2, Float.NaN, 4, Float.POSITIVE_INFINITY}, 2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> TensorChecks.requireFinite("conv.weight", tensor));
        assertEquals("conv.weight has a non-finite value NaN at flat index 3 (position [1, 0] in shape [2, 3])",
                e.getMessage());
    }

    // --- helpers ---

    private static void tensorCall(PickleWriter p, String name, long storageElements, long offset, long[] size,
                                   long[] stride) {
        p.unicode(name).global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().unicode("storage").global("torch", "FloatStorage").unicode("0").unicode("cpu")
                .integer(storageElements).tuple().binPersId()
                .integer(offset).integers(size).integers(stride).bool(false)
                .global("collections", "OrderedDict").emptyTuple().reduce().tuple().reduce();
    }

    private static byte[] floatBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    private static int[] rawBits(HostTensor tensor) {
        float[] values = tensor.floats();
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) bits[i] = Float.floatToRawIntBits(values[i]);
        return bits;
    }

    private static Map<String, byte[]> entriesOf(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                entries.put(entry.getName(), zip.getInputStream(entry).readAllBytes());
            }
        }
        return entries;
    }

    private static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); var zip = new ZipOutputStream(out)) {
            for (var entry : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
    }

    /** Walks the local file headers and returns each storage's data offset modulo 64. */
    private static List<Long> storageOffsetsModulo64(Path file) throws IOException {
        ByteBuffer zip = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Long> offsets = new java.util.ArrayList<>();
        int at = 0;
        while (zip.getInt(at) == 0x04034b50) {
            int nameLength = zip.getShort(at + 26) & 0xffff;
            int extraLength = zip.getShort(at + 28) & 0xffff;
            long size = zip.getInt(at + 18) & 0xffffffffL;
            String name = new String(zip.array(), at + 30, nameLength, java.nio.charset.StandardCharsets.UTF_8);
            long dataStart = at + 30L + nameLength + extraLength;
            if (name.contains("/data/")) offsets.add(dataStart % 64);
            at = (int) (dataStart + size);
        }
        assertTrue(offsets.size() == 14, "found " + offsets.size() + " storages");
        return offsets;
    }

    private List<Path> leftovers() throws IOException {
        try (var files = Files.list(temp)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
