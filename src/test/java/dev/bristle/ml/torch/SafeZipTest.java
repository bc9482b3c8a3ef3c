package dev.bristle.ml.torch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Archives the JDK reads but that no accepted format writes: an entry flagged encrypted, an unknown compression
 * method, bytes after the archive. Each is an ordinary archive with a few bytes changed.
 */
class SafeZipTest {

    private static final byte[] CONTENT = "hello".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path temp;

    /** One stored entry, a.npy, with an archive comment of {@code comment}. */
    private static byte[] archive(String comment) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            ZipEntry entry = new ZipEntry("a.npy");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(CONTENT.length);
            CRC32 crc = new CRC32();
            crc.update(CONTENT);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(CONTENT);
            zip.closeEntry();
            zip.setComment(comment);
        }
        return bytes.toByteArray();
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Offset of the one central directory header (the local header is at 0). */
    private static int central(byte[] zip) {
        return le(zip).getInt(endRecord(zip) + 16);
    }

    private static int endRecord(byte[] zip) {
        for (int at = zip.length - 22; at >= 0; at--) {
            if (le(zip).getInt(at) == 0x06054b50) return at;
        }
        throw new AssertionError("no end record");
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(temp.resolve(name), bytes);
    }

    private byte[] read(Path file) throws Exception {
        try (SafeZip zip = SafeZip.open(file)) {
            return zip.read("a.npy");
        }
    }

    private String refusal(Path file) {
        return assertThrows(TorchFormatException.class, () -> read(file)).getMessage();
    }

    @Test
    void readsAnOrdinaryArchiveWithAComment() throws Exception {
        assertArrayEquals(CONTENT, read(write("plain.npz", archive("a comment, PK\u0005\u0006 inside"))));
    }

    @Test
    void refusesAnEntryFlaggedEncrypted() throws Exception {
        byte[] local = archive("");
        local[6] |= 1; // general-purpose flag bit 0 of the local header: the JDK never reads it
        Path onlyLocal = write("local.npz", local);
        assertEquals(onlyLocal + ": entry a.npy is encrypted; encrypted archives are refused", refusal(onlyLocal));

        byte[] both = local.clone();
        both[central(both) + 8] |= 1;
        Path flagged = write("both.npz", both);
        assertEquals(flagged + ": entry a.npy is encrypted; encrypted archives are refused", refusal(flagged));
    }

    @Test
    void refusesAnUnknownCompressionMethod() throws Exception {
        byte[] local = archive("");
        le(local).putShort(8, (short) 99); // AES; the local header's method, which the JDK never reads
        Path onlyLocal = write("local.npz", local);
        assertEquals(onlyLocal + ": entry a.npy uses compression method 99; only stored (0) and deflated (8) entries"
                + " are accepted", refusal(onlyLocal));

        byte[] both = local.clone();
        le(both).putShort(central(both) + 10, (short) 12); // bzip2
        Path bzip2 = write("both.npz", both);
        assertEquals(bzip2 + ": entry a.npy uses compression method 12; only stored (0) and deflated (8) entries"
                + " are accepted", refusal(bzip2));
    }

    @Test
    void refusesBytesAfterTheArchive() throws Exception {
        byte[] zip = archive("note");
        Path trailing = write("trailing.npz", Arrays.copyOf(zip, zip.length + 100));
        assertEquals(trailing + " has 100 bytes after the end of its zip archive (after the end-of-central-directory"
                + " record and its comment); refused", refusal(trailing));

        byte[] appended = Arrays.copyOf(zip, zip.length + 3);
        appended[zip.length] = 'P';
        Path one = write("appended.npz", appended);
        assertTrue(refusal(one).contains(" has 3 bytes after the end of its zip archive"), refusal(one));
    }

    @Test
    void followsZip64Records() throws Exception {
        // The same archive with its end record deferring to a zip64 end record and locator, as large archives have.
        byte[] zip = archive("");
        int end = endRecord(zip);
        int centralSize = le(zip).getInt(end + 12);
        int centralOffset = le(zip).getInt(end + 16);
        ByteBuffer out = ByteBuffer.allocate(end + 56 + 20 + 22).order(ByteOrder.LITTLE_ENDIAN);
        out.put(zip, 0, end);
        out.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                .putLong(1).putLong(1).putLong(centralSize).putLong(centralOffset);
        out.putInt(0x07064b50).putInt(0).putLong(end).putInt(1);
        out.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xffff)
                .putShort((short) 0xffff).putInt(-1).putInt(-1).putShort((short) 0);
        Path zip64 = write("zip64.npz", out.array());
        assertArrayEquals(CONTENT, read(zip64));

        byte[] encrypted = out.array().clone();
        encrypted[6] |= 1;
        Path flagged = write("zip64-encrypted.npz", encrypted);
        assertEquals(flagged + ": entry a.npy is encrypted; encrypted archives are refused", refusal(flagged));
    }
}
