package dev.bristle.ml.data;

import dev.bristle.ml.torch.SafeZip;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Extracts downloaded archives (.tar.gz and .zip) into an empty folder, refusing entries that would land outside it
 * (absolute paths, {@code ..}), links and devices, and archives that expand beyond the size or ratio limits.
 */
final class ArchiveExtractor {

    private static final int BLOCK = 512;

    private final SafeZip.Limits limits;

    ArchiveExtractor(SafeZip.Limits limits) {
        this.limits = limits;
    }

    void extract(Path archive, DownloadSource.Packaging packaging, Path target) throws IOException {
        switch (packaging) {
            case TAR_GZ -> extractTarGz(archive, target);
            case ZIP -> extractZip(archive, target);
            case FILE -> throw new IllegalArgumentException("a plain file is not extracted");
        }
    }

    private void extractZip(Path archive, Path target) throws IOException {
        try (SafeZip zip = SafeZip.open(archive, limits)) {
            for (String name : zip.names()) {
                Path destination = inside(target, name, archive);
                if (name.endsWith("/")) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (OutputStream out = Files.newOutputStream(destination)) {
                    zip.copy(name, out);
                }
            }
        }
    }

    /** Plain ustar with GNU long names and pax path records, which covers the official dataset archives. */
    private void extractTarGz(Path archive, Path target) throws IOException {
        long budget = Math.min(limits.maxTotalBytes(), Math.multiplyExact(Math.max(Files.size(archive), 1), limits.maxRatio()));
        long written = 0;
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16))) {
            String longName = null;
            byte[] header = new byte[BLOCK];
            while (true) {
                if (in.readNBytes(header, 0, BLOCK) != BLOCK) throw truncated(archive);
                if (isZeroBlock(header)) return;
                String name = longName != null ? longName : headerName(header);
                longName = null;
                long size = octal(header, 124, 12, archive);
                char type = (char) header[156];
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                switch (type) {
                    case 'L' -> longName = trimNul(readSmall(in, size, padded, archive));
                    case 'x' -> longName = paxPath(readSmall(in, size, padded, archive));
                    case 'g' -> skip(in, padded, archive);
                    case '5' -> Files.createDirectories(inside(target, name, archive));
                    case '0', '\0', '7' -> {
                        written += size;
                        if (written > budget) {
                            throw new DatasetDownloadException(archive.getFileName() + " expands beyond " + budget
                                    + " bytes (size limit " + limits.maxTotalBytes() + ", ratio limit "
                                    + limits.maxRatio() + "); refused");
                        }
                        Path destination = inside(target, name, archive);
                        Files.createDirectories(destination.getParent());
                        try (OutputStream out = Files.newOutputStream(destination)) {
                            copy(in, out, size, archive);
                        }
                        skip(in, padded - size, archive);
                    }
                    default -> throw new DatasetDownloadException(archive.getFileName() + ": entry " + name
                            + " is a " + (type == '1' || type == '2' ? "link" : "special file (type " + type + ")")
                            + "; only files and folders are extracted");
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DatasetDownloadException(archive.getFileName() + " is not a complete gzip stream: "
                    + e.getMessage(), e);
        }
    }

    /** Resolves an entry name under {@code target}, refusing anything that would escape it. */
    static Path inside(Path target, String name, Path archive) throws DatasetDownloadException {
        Path root = target.toAbsolutePath().normalize();
        Path resolved = root.resolve(name).normalize();
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || !resolved.startsWith(root)
                || resolved.equals(root)) {
            throw new DatasetDownloadException(archive.getFileName() + ": entry '" + name
                    + "' would be written outside the extraction folder; refused");
        }
        return resolved;
    }

    private static String headerName(byte[] header) {
        String name = trimNul(java.util.Arrays.copyOfRange(header, 0, 100));
        String magic = new String(header, 257, 5, StandardCharsets.US_ASCII);
        String prefix = magic.equals("ustar") ? trimNul(java.util.Arrays.copyOfRange(header, 345, 500)) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String paxPath(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) return line.substring(space + 1 + 5);
        }
        return null;
    }

    private static byte[] readSmall(InputStream in, long size, long padded, Path archive) throws IOException {
        if (size > 1 << 20) throw new DatasetDownloadException(archive.getFileName() + ": tar metadata entry of " + size
                + " bytes; refused");
        byte[] data = in.readNBytes((int) size);
        if (data.length != size) throw truncated(archive);
        skip(in, padded - size, archive);
        return data;
    }

    private static void copy(InputStream in, OutputStream out, long size, Path archive) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) throw truncated(archive);
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(InputStream in, long count, Path archive) throws IOException {
        try {
            in.skipNBytes(count);
        } catch (java.io.EOFException e) {
            throw truncated(archive);
        }
    }

    private static String trimNul(byte[] field) {
        int end = 0;
        while (end < field.length && field[end] != 0) end++;
        return new String(field, 0, end, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length, Path archive) throws DatasetDownloadException {
        String text = new String(header, offset, length, StandardCharsets.US_ASCII).replace("\0", " ").trim();
        try {
            return text.isEmpty() ? 0 : Long.parseLong(text, 8);
        } catch (NumberFormatException e) {
            throw new DatasetDownloadException(archive.getFileName() + ": damaged tar header (size '" + text + "')");
        }
    }

    private static boolean isZeroBlock(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }

    private static DatasetDownloadException truncated(Path archive) {
        return new DatasetDownloadException(archive.getFileName() + " ends in the middle of a tar entry (truncated)");
    }
}
