package dev.bristle.ml.data;

import dev.bristle.ml.torch.SafeZip;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;

/**
 * Extracts downloaded archives (.tar.gz and .zip) into an empty folder, refusing entries that would land outside it
 * (absolute paths, {@code ..}), links and devices, and archives that expand beyond the size or ratio limits.
 */
final class ArchiveExtractor {

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

    /**
     * Commons Compress reads the tar format (ustar, GNU long names, pax headers); here only files and folders are
     * written, each inside the target and within the size budget.
     */
    private void extractTarGz(Path archive, Path target) throws IOException {
        long budget = Math.min(limits.maxTotalBytes(), Math.multiplyExact(Math.max(Files.size(archive), 1), limits.maxRatio()));
        long written = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(
                new GZIPInputStream(Files.newInputStream(archive), 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                if (entry.isDirectory()) {
                    Files.createDirectories(inside(target, name, archive));
                } else if (isPlainFile(entry)) {
                    written += entry.getSize();
                    if (written > budget) {
                        throw new DatasetDownloadException(archive.getFileName() + " expands beyond " + budget
                                + " bytes (size limit " + limits.maxTotalBytes() + ", ratio limit "
                                + limits.maxRatio() + "); refused");
                    }
                    Path destination = inside(target, name, archive);
                    Files.createDirectories(destination.getParent());
                    long copied = Files.copy(tar, destination, StandardCopyOption.REPLACE_EXISTING);
                    if (copied != entry.getSize()) throw truncated(archive);
                } else {
                    throw new DatasetDownloadException(archive.getFileName() + ": entry " + name + " is a "
                            + (entry.isLink() || entry.isSymbolicLink() ? "link" : "special file")
                            + "; only files and folders are extracted");
                }
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DatasetDownloadException(archive.getFileName() + " is not a complete gzip stream: "
                    + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Commons Compress reports a damaged header (a size that is no octal number, say) this way.
            throw new DatasetDownloadException(archive.getFileName() + ": damaged tar header", e);
        }
    }

    /** A regular file by its type flag (Commons Compress' {@code isFile()} also says so of links). */
    private static boolean isPlainFile(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM || flag == TarConstants.LF_CONTIG;
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

    private static DatasetDownloadException truncated(Path archive) {
        return new DatasetDownloadException(archive.getFileName() + " ends in the middle of a tar entry (truncated)");
    }
}
