package dev.bristle.ml.torch;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A zip archive opened with a zip-bomb guard: the number of entries, the declared sizes of all entries together, the
 * bytes actually inflated, and each entry's compression ratio are held to {@link Limits}; every entry read is checked
 * against its CRC-32 (the JDK checks it for none). Encrypted entries, compression methods other than stored and
 * deflated, and bytes after the archive are refused ({@link ZipLayout}). Also tells a truncated archive, a legacy
 * (pre-1.6, non-zip) torch file and something that is not a zip at all apart. Messages name entries in at most
 * {@value #NAME_CHARS} characters.
 */
public final class SafeZip implements Closeable {

    /**
     * @param maxTotalBytes    most uncompressed bytes all entries may declare or produce together
     * @param maxRatio         most uncompressed bytes per compressed byte of any one entry
     */
    public record Limits(long maxTotalBytes, long maxRatio) {
        public static final Limits DEFAULT = new Limits(2L << 30, 1000);
    }

    /** No accepted format has more than a few dozen entries (a torch file: one per tensor storage). */
    static final int MAX_ENTRIES = 10_000;
    private static final int NAME_CHARS = 80;
    private static final int READ_CHUNK = 1 << 16;

    private final Path file;
    private final ZipFile zip;
    private final Limits limits;
    private final List<String> names;
    private long bytesRead;

    private SafeZip(Path file, ZipFile zip, Limits limits, List<String> names) {
        this.file = file;
        this.zip = zip;
        this.limits = limits;
        this.names = names;
    }

    public static SafeZip open(Path file) throws IOException {
        return open(file, Limits.DEFAULT);
    }

    public static SafeZip open(Path file, Limits limits) throws IOException {
        checkSignature(file);
        ZipLayout.check(file);
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException e) {
            throw new TorchFormatException(file + " starts like a zip archive but cannot be read as one (truncated or"
                    + " damaged; its central directory was not found): " + e.getMessage(), e);
        }
        try {
            List<String> names = new ArrayList<>();
            long declared = 0;
            if (zip.size() > MAX_ENTRIES) {
                throw new TorchFormatException(file + " has " + zip.size() + " entries, more than the " + MAX_ENTRIES
                        + " any accepted format needs; refused");
            }
            for (ZipEntry entry : Collections.list(zip.entries())) {
                checkEntry(file, entry, limits);
                declared += Math.max(entry.getSize(), 0);
                if (declared > limits.maxTotalBytes()) {
                    throw new TorchFormatException(file + ": entries declare more than " + limits.maxTotalBytes()
                            + " uncompressed bytes in total (limit reached at " + shortName(entry.getName()) + "); refused");
                }
                names.add(entry.getName());
            }
            return new SafeZip(file, zip, limits, List.copyOf(names));
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    private static void checkSignature(Path file) throws IOException {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5) && (head[3] == 4 || head[3] == 6)) {
            return;
        }
        boolean picklePrefix = n >= 4 && (head[0] & 0xff) == 0x80 && head[1] == 2 && (head[2] & 0xff) == 0x8a;
        boolean tar = n >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        if (picklePrefix || tar) {
            throw new TorchFormatException(file + ": legacy torch serialization is not supported; re-save with"
                    + " torch>=1.6 (this file is a " + (tar ? "tar archive" : "raw pickle stream")
                    + "; torch.save writes a zip archive by default since 1.6)");
        }
        throw new TorchFormatException(file + " is not a zip archive (" + n + " bytes; first bytes "
                + hex(head, Math.min(n, 8)) + ", expected 50 4b 03 04)");
    }

    private static void checkEntry(Path file, ZipEntry entry, Limits limits) throws TorchFormatException {
        long size = entry.getSize();
        long compressed = entry.getCompressedSize();
        if (size > limits.maxTotalBytes()) {
            throw new TorchFormatException(file + ": entry " + shortName(entry.getName()) + " declares " + size
                    + " uncompressed bytes, more than the limit of " + limits.maxTotalBytes() + "; refused");
        }
        if (size > 0 && compressed >= 0 && size > Math.max(compressed, 1) * limits.maxRatio()) {
            throw new TorchFormatException(file + ": entry " + shortName(entry.getName()) + " expands " + compressed + " to "
                    + size + " bytes, a compression ratio above " + limits.maxRatio() + " (zip bomb?); refused");
        }
    }

    public Path file() {
        return file;
    }

    /** Entry names in archive order. */
    public List<String> names() {
        return names;
    }

    /** The first few entry names and how many there are, for messages. */
    public String describeNames() {
        List<String> first = names.stream().limit(8).map(SafeZip::shortName).toList();
        return String.join(", ", first) + (names.size() > first.size() ? ", ... (" + names.size() + " entries)" : "");
    }

    /** An entry name cut for a message (a zip entry's name may be 65,535 bytes long). */
    static String shortName(String name) {
        return name.length() <= NAME_CHARS ? name : name.substring(0, NAME_CHARS) + "...";
    }

    public boolean contains(String name) {
        return zip.getEntry(name) != null;
    }

    /** Reads a whole entry, at most 2 GiB, within the limits. */
    public byte[] read(String name) throws IOException {
        ZipEntry entry = entry(name);
        if (entry.getSize() > Integer.MAX_VALUE - 8) {
            throw new TorchFormatException(file + ": entry " + shortName(name) + " (" + entry.getSize()
                    + " bytes) is too large to read into memory");
        }
        var out = new java.io.ByteArrayOutputStream((int) Math.max(entry.getSize(), 0));
        copy(name, out);
        return out.toByteArray();
    }

    /**
     * Streams an entry to {@code out}, failing as soon as it produces more than it declared or the total limit, and
     * at its end when its bytes do not match its CRC-32 (what was written to {@code out} is then to be discarded).
     */
    public void copy(String name, OutputStream out) throws IOException {
        ZipEntry entry = entry(name);
        long produced = 0;
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[READ_CHUNK];
        try (InputStream in = zip.getInputStream(entry)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                produced += n;
                bytesRead += n;
                if (produced > entry.getSize() || bytesRead > limits.maxTotalBytes()) {
                    throw new TorchFormatException(file + ": entry " + shortName(name) + " produces more bytes than"
                            + " declared (" + entry.getSize() + ") or than the total limit (" + limits.maxTotalBytes()
                            + "); refused");
                }
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new TorchFormatException(file + ": entry " + shortName(name) + " is damaged or truncated ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        if (produced != entry.getSize()) {
            throw new TorchFormatException(file + ": entry " + shortName(name) + " has " + produced + " bytes, its"
                    + " header declares " + entry.getSize() + " (truncated?)");
        }
        if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
            throw new TorchFormatException(file + ": entry " + shortName(name) + " is damaged: its CRC-32 is "
                    + String.format("%08x", crc.getValue()) + ", its header declares "
                    + String.format("%08x", entry.getCrc()));
        }
    }

    private ZipEntry entry(String name) throws TorchFormatException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) throw new TorchFormatException(file + " has no entry " + shortName(name));
        return entry;
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : " ").append(String.format("%02x", bytes[i] & 0xff));
        return s.toString();
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
