package dev.bristle.ml.data;

import dev.bristle.ml.torch.SafeZip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fetches an official dataset file into a staging folder under the data root, verifies its md5 and/or the SHA-256
 * of its decompressed content, extracts it safely
 * and moves the result into place with atomic renames. Whatever fails, the staging folder is removed and nothing is
 * left half-installed.
 */
public final class DatasetDownloader {

    private static final System.Logger LOG = System.getLogger(DatasetDownloader.class.getName());
    private static final long PROGRESS_STEP = 16L << 20;

    private final HttpClient client;
    private final SafeZip.Limits limits;

    public DatasetDownloader() {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL).build(), SafeZip.Limits.DEFAULT);
    }

    /** @param limits most bytes a download may have, and most bytes and expansion ratio its extraction may have */
    public DatasetDownloader(HttpClient client, SafeZip.Limits limits) {
        this.client = client;
        this.limits = limits;
    }

    /** Downloads, verifies and installs one file under {@code root}. */
    public void install(DownloadSource source, Path root) throws IOException {
        Files.createDirectories(root);
        Path staging = Files.createTempDirectory(root, ".download-");
        try {
            Path file = staging.resolve(source.fileName());
            fetch(source, file);
            verifyContent(source, file);
            Path destination = root.resolve(source.installPath());
            if (source.packaging() == DownloadSource.Packaging.FILE) {
                moveIntoPlace(file, destination.resolve(source.fileName()));
            } else {
                Path extracted = Files.createDirectory(staging.resolve("extracted"));
                LOG.log(System.Logger.Level.INFO, "extracting {0}", source.fileName());
                new ArchiveExtractor(limits).extract(file, source.packaging(), extracted);
                try (Stream<Path> tops = Files.list(extracted)) {
                    for (Path top : tops.toList()) moveIntoPlace(top, destination.resolve(top.getFileName().toString()));
                }
            }
            LOG.log(System.Logger.Level.INFO, "installed {0} under {1}", source.fileName(), destination);
        } finally {
            deleteRecursively(staging);
        }
    }

    private void fetch(DownloadSource source, Path file) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(source.url()).timeout(Duration.ofMinutes(30)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetDownloadException("download of " + source.url() + " was interrupted", e);
        } catch (IOException e) {
            throw new DatasetDownloadException("cannot reach " + source.url() + " (offline?): " + e, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new DatasetDownloadException("HTTP " + response.statusCode() + " for " + source.url()
                        + "; the official file " + source.fileName() + " could not be downloaded");
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > limits.maxTotalBytes()) {
                throw new DatasetDownloadException(source.url() + " announces " + declared + " bytes, more than the"
                        + " download limit of " + limits.maxTotalBytes());
            }
            String md5 = copyWithProgress(body, file, source, declared);
            if (source.md5() != null && !md5.equals(source.md5())) {
                throw new DatasetDownloadException("checksum mismatch for " + source.fileName() + " from "
                        + source.url() + ": expected md5 " + source.md5() + ", got " + md5 + "; nothing was installed");
            }
        }
    }

    /**
     * Checks the SHA-256 of the file's content, decompressed when it is gzip-compressed; the decompressed size is
     * bounded by the download limit, so a gzip bomb stops there.
     */
    private void verifyContent(DownloadSource source, Path file) throws IOException {
        if (source.contentSha256() == null) return;
        MessageDigest digest = digest("SHA-256");
        long total = 0;
        try (InputStream in = MaybeGzip.open(file)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > limits.maxTotalBytes()) {
                    throw new DatasetDownloadException(source.fileName() + " decompresses to more than the download"
                            + " limit of " + limits.maxTotalBytes() + " bytes");
                }
                digest.update(buffer, 0, n);
            }
        } catch (java.util.zip.ZipException e) {
            throw new DatasetDownloadException(source.fileName() + " from " + source.url() + " is not a valid gzip"
                    + " file (" + e.getMessage() + "); nothing was installed", e);
        }
        String sha256 = HexFormat.of().formatHex(digest.digest());
        if (!sha256.equals(source.contentSha256())) {
            throw new DatasetDownloadException("checksum mismatch for " + source.fileName() + " from " + source.url()
                    + ": expected content SHA-256 " + source.contentSha256() + ", got " + sha256
                    + "; nothing was installed");
        }
    }

    private String copyWithProgress(InputStream body, Path file, DownloadSource source, long declared)
            throws IOException {
        MessageDigest digest = digest("MD5");
        byte[] buffer = new byte[1 << 16];
        long received = 0;
        long nextReport = PROGRESS_STEP;
        LOG.log(System.Logger.Level.INFO, "downloading {0} from {1} ({2})", source.fileName(), source.url(),
                declared < 0 ? "size unknown" : declared + " bytes");
        try (OutputStream out = Files.newOutputStream(file)) {
            int n;
            while ((n = body.read(buffer)) > 0) {
                received += n;
                if (received > limits.maxTotalBytes()) {
                    throw new DatasetDownloadException(source.url() + " sent more than the download limit of "
                            + limits.maxTotalBytes() + " bytes");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                if (received >= nextReport) {
                    LOG.log(System.Logger.Level.INFO, "{0}: {1} MiB{2}", source.fileName(), received >> 20,
                            declared > 0 ? " of " + (declared >> 20) + " MiB (" + (100 * received / declared) + "%)" : "");
                    nextReport += PROGRESS_STEP;
                }
            }
        }
        if (declared >= 0 && received != declared) {
            throw new DatasetDownloadException(source.url() + " ended after " + received + " of " + declared + " bytes");
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void moveIntoPlace(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        if (Files.exists(to)) { // a rename would silently replace it
            throw new DatasetDownloadException(to + " already exists but does not hold a complete dataset; move it"
                    + " away and retry");
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides " + algorithm, e);
        }
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) return;
        try (Stream<Path> all = Files.walk(folder)) {
            List<Path> paths = all.sorted(Comparator.reverseOrder()).toList();
            for (Path p : paths) Files.deleteIfExists(p);
        }
    }
}
