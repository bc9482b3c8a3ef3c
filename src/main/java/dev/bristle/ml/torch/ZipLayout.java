package dev.bristle.ml.torch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Checks a zip archive's records before the JDK reads it, for what the JDK lets through: bytes after the
 * end-of-central-directory record and its comment, and an entry whose local header (which the JDK never looks at)
 * says it is encrypted or compressed other than stored or deflated. The central directory's own flags are checked
 * too, so such an entry gets this message rather than the JDK's. Zip64 records are followed.
 */
final class ZipLayout {

    private static final int END_SIGNATURE = 0x06054b50;
    private static final int END_SIZE = 22;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_END_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int CENTRAL_SIZE = 46;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int LOCAL_SIZE = 30;
    private static final int ZIP64_EXTRA_ID = 0x0001;
    private static final int FLAG_ENCRYPTED = 1;
    private static final int STORED = 0;
    private static final int DEFLATED = 8;
    private static final long UNSIGNED_32 = 0xffffffffL;

    private final Path file;
    private final FileChannel channel;

    private ZipLayout(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Refuses trailing bytes, encrypted entries and compression methods other than stored and deflated. An archive
     * without an end record is left to the JDK, which reports it as truncated.
     */
    static void check(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            new ZipLayout(file, channel).check();
        }
    }

    private void check() throws IOException {
        long size = channel.size();
        int tailLength = (int) Math.min(size, END_SIZE + 0xffff);
        ByteBuffer tail = read(size - tailLength, tailLength);
        long end = -1;
        long nearestEndOfComment = -1;
        for (int at = tailLength - END_SIZE; at >= 0; at--) {
            if (tail.getInt(at) != END_SIGNATURE) continue;
            long endOfComment = size - tailLength + at + END_SIZE + (tail.getShort(at + 20) & 0xffff);
            if (endOfComment == size) {
                end = size - tailLength + at;
                break;
            }
            if (endOfComment < size && nearestEndOfComment < 0) nearestEndOfComment = endOfComment;
        }
        if (end < 0) {
            if (nearestEndOfComment >= 0) {
                throw new TorchFormatException(file + " has " + (size - nearestEndOfComment) + " bytes after the end"
                        + " of its zip archive (after the end-of-central-directory record and its comment); refused");
            }
            return;
        }
        CentralDirectory central = centralDirectory(end);
        // Bytes before the first entry (a self-extracting stub) shift every offset; the JDK allows them.
        long shift = central.start() - central.offset();
        if (central.start() < 0 || shift < 0) throw damaged("its central directory lies outside the file");
        if (central.entries() > SafeZip.MAX_ENTRIES) return; // SafeZip refuses the archive for its entry count
        long at = central.start();
        for (long i = 0; i < central.entries(); i++) {
            at = checkEntry(at, shift);
        }
    }

    /** Where the central directory starts in the file, the offset its end record states, and its entry count. */
    private record CentralDirectory(long entries, long start, long offset) {
    }

    /** From the zip64 end record when a locator precedes the end record (torch writes one always), as the JDK does. */
    private CentralDirectory centralDirectory(long end) throws IOException {
        if (end >= 20) {
            ByteBuffer locator = read(end - 20, 20);
            if (locator.getInt(0) == ZIP64_LOCATOR_SIGNATURE) {
                long zip64End = locator.getLong(8);
                ByteBuffer zip64 = read(zip64End, 56);
                if (zip64.getInt(0) != ZIP64_END_SIGNATURE) throw damaged("its zip64 end record is missing");
                return new CentralDirectory(zip64.getLong(32), zip64End - zip64.getLong(40), zip64.getLong(48));
            }
        }
        ByteBuffer record = read(end, END_SIZE);
        long entries = record.getShort(10) & 0xffff;
        long size = record.getInt(12) & UNSIGNED_32;
        long offset = record.getInt(16) & UNSIGNED_32;
        if (entries == 0xffff || size == UNSIGNED_32 || offset == UNSIGNED_32) {
            throw damaged("its zip64 end record is missing");
        }
        return new CentralDirectory(entries, end - size, offset);
    }

    /** Checks the central directory header at {@code at} and its entry's local header; returns the next header. */
    private long checkEntry(long at, long shift) throws IOException {
        ByteBuffer header = read(at, CENTRAL_SIZE);
        if (header.getInt(0) != CENTRAL_SIGNATURE) throw damaged("its central directory is cut short");
        int nameLength = header.getShort(28) & 0xffff;
        int extraLength = header.getShort(30) & 0xffff;
        int commentLength = header.getShort(32) & 0xffff;
        ByteBuffer variable = read(at + CENTRAL_SIZE, nameLength + extraLength);
        String name = SafeZip.shortName(new String(variable.array(), 0, nameLength, StandardCharsets.UTF_8));
        checkFlags(name, header.getShort(8) & 0xffff, header.getShort(10) & 0xffff);
        long localOffset = header.getInt(42) & UNSIGNED_32;
        if (localOffset == UNSIGNED_32) {
            localOffset = zip64LocalOffset(variable, nameLength, extraLength, header, name);
        }
        ByteBuffer local = read(shift + localOffset, LOCAL_SIZE);
        if (local.getInt(0) != LOCAL_SIGNATURE) throw damaged("entry " + name + " has no local header");
        checkFlags(name, local.getShort(6) & 0xffff, local.getShort(8) & 0xffff);
        return at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    }

    private void checkFlags(String name, int flags, int method) throws TorchFormatException {
        if ((flags & FLAG_ENCRYPTED) != 0) {
            throw new TorchFormatException(file + ": entry " + name + " is encrypted; encrypted archives are refused");
        }
        if (method != STORED && method != DEFLATED) {
            throw new TorchFormatException(file + ": entry " + name + " uses compression method " + method
                    + "; only stored (0) and deflated (8) entries are accepted");
        }
    }

    /** The local header offset from the zip64 extra field, after the sizes that are also deferred to it. */
    private long zip64LocalOffset(ByteBuffer variable, int nameLength, int extraLength, ByteBuffer header, String name)
            throws TorchFormatException {
        int skip = ((header.getInt(24) & UNSIGNED_32) == UNSIGNED_32 ? 8 : 0)
                + ((header.getInt(20) & UNSIGNED_32) == UNSIGNED_32 ? 8 : 0);
        int at = nameLength;
        int extraEnd = nameLength + extraLength;
        while (at + 4 <= extraEnd) {
            int id = variable.getShort(at) & 0xffff;
            int length = variable.getShort(at + 2) & 0xffff;
            if (id == ZIP64_EXTRA_ID && skip + 8 <= length && at + 4 + length <= extraEnd) {
                return variable.getLong(at + 4 + skip);
            }
            at += 4 + length;
        }
        throw damaged("entry " + name + " has no zip64 offset of its local header");
    }

    private ByteBuffer read(long position, int length) throws IOException {
        if (position < 0 || position > channel.size() - length) throw damaged("a record lies outside the file");
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) throw damaged("a record lies outside the file");
        }
        return buffer;
    }

    private TorchFormatException damaged(String detail) {
        return new TorchFormatException(file + " starts like a zip archive but cannot be read as one (damaged: "
                + detail + ")");
    }
}
