package dev.bristle.ml.data;

import com.sun.net.httpserver.HttpServer;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.torch.SafeZip;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** Every download goes to an HttpServer on 127.0.0.1 that serves archives built here; no real host is contacted. */
class DatasetDownloaderTest {

    @TempDir
    Path root;

    private HttpServer server;
    private final Map<String, byte[]> served = new LinkedHashMap<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = served.get(exchange.getRequestURI().getPath());
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                if (body != null) out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private DownloadSource serve(String name, byte[] content, String md5, DownloadSource.Packaging packaging,
                                 String installPath) {
        served.put("/" + name, content);
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
        return new DownloadSource(url, name, md5, packaging, installPath);
    }

    private DownloadSource serveContent(String name, byte[] content, String contentSha256) {
        served.put("/" + name, content);
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
        return new DownloadSource(url, name, null, contentSha256, DownloadSource.Packaging.FILE,
                OfficialSources.FASHION_MNIST_FOLDER);
    }

    private static DatasetDownloader downloader(SafeZip.Limits limits) {
        return new DatasetDownloader(HttpClient.newHttpClient(), limits);
    }

    @Test
    void downloadsVerifiesExtractsAndReadsACifarArchive() throws Exception {
        byte[] records = Arrays.copyOf(Files.readAllBytes(
                SharedData.path("data/cifar-10-partial-official/test_first932.bin")), 3 * 3073);
        byte[] archive = tarGz(Map.of("cifar-10-batches-bin/test_batch.bin", records));
        DownloadSource source = serve("cifar-10-binary.tar.gz", archive, md5(archive), DownloadSource.Packaging.TAR_GZ, "");
        DataDirectory data = new DataDirectory(root, downloader(SafeZip.Limits.DEFAULT), (kind, split) -> List.of(source));

        ImageSet set = data.load(DatasetKind.CIFAR10, Split.TEST);
        assertEquals(3, set.count());
        assertArrayEquals(new int[]{3, 8, 8}, set.labels()); // the first official test labels
        assertEquals(List.of("cifar-10-batches-bin"), listing(root));
        assertEquals(DatasetFiles.Format.CIFAR_BINARY, data.locate(DatasetKind.CIFAR10, Split.TEST).format());
    }

    @Test
    void installsPlainIdxFilesWhereTorchvisionKeepsThem() throws Exception {
        byte[] images = IdxReaderTest.gzip(IdxReaderTest.idx(0x803, new int[]{2, 28, 28}, new byte[2 * 784]));
        byte[] labels = IdxReaderTest.gzip(IdxReaderTest.idx(0x801, new int[]{2}, new byte[]{4, 2}));
        List<DownloadSource> sources = List.of(
                serve("t10k-images-idx3-ubyte.gz", images, md5(images), DownloadSource.Packaging.FILE, "MNIST/raw"),
                serve("t10k-labels-idx1-ubyte.gz", labels, md5(labels), DownloadSource.Packaging.FILE, "MNIST/raw"));
        DataDirectory data = new DataDirectory(root, downloader(SafeZip.Limits.DEFAULT), (kind, split) -> sources);

        assertArrayEquals(new int[]{4, 2}, data.load(DatasetKind.MNIST, Split.TEST).labels());
        assertTrue(Files.isRegularFile(root.resolve("MNIST/raw/t10k-labels-idx1-ubyte.gz")));
        assertEquals(List.of("MNIST"), listing(root));
    }

    @Test
    void checksFashionMnistByItsDecompressedContentAndInstallsItInDebiansLayout() throws Exception {
        byte[] rawImages = IdxReaderTest.idx(0x803, new int[]{2, 28, 28}, new byte[2 * 784]);
        byte[] rawLabels = IdxReaderTest.idx(0x801, new int[]{2}, new byte[]{9, 0});
        // Served compressed at another level than the checksum's author used: only the content counts.
        byte[] images = fastGzip(rawImages);
        assertFalse(Arrays.equals(images, IdxReaderTest.gzip(rawImages)));
        List<DownloadSource> sources = List.of(
                serveContent("t10k-images-idx3-ubyte.gz", images, sha256(rawImages)),
                serveContent("t10k-labels-idx1-ubyte.gz", IdxReaderTest.gzip(rawLabels), sha256(rawLabels)));
        DataDirectory data = new DataDirectory(root, downloader(SafeZip.Limits.DEFAULT), (kind, split) -> sources);

        assertArrayEquals(new int[]{9, 0}, data.load(DatasetKind.FASHION_MNIST, Split.TEST).labels());
        assertTrue(Files.isRegularFile(root.resolve("fashion-mnist/t10k-images-idx3-ubyte.gz")));
        assertEquals(List.of("fashion-mnist"), listing(root));
    }

    @Test
    void aContentChecksumMismatchLeavesNothingBehind() throws Exception {
        byte[] raw = IdxReaderTest.idx(0x801, new int[]{2}, new byte[]{9, 0});
        String expected = sha256(IdxReaderTest.idx(0x801, new int[]{2}, new byte[]{9, 1}));
        DownloadSource source = serveContent("t10k-labels-idx1-ubyte.gz", IdxReaderTest.gzip(raw), expected);

        var e = assertThrows(DatasetDownloadException.class,
                () -> downloader(SafeZip.Limits.DEFAULT).install(source, root));
        assertEquals("checksum mismatch for t10k-labels-idx1-ubyte.gz from " + source.url() + ": expected content"
                + " SHA-256 " + expected + ", got " + sha256(raw) + "; nothing was installed", e.getMessage());
        assertEquals(List.of(), listing(root));

        DownloadSource bomb = serveContent("t10k-images-idx3-ubyte.gz", IdxReaderTest.gzip(new byte[4 << 20]), expected);
        var tooBig = assertThrows(DatasetDownloadException.class,
                () -> downloader(new SafeZip.Limits(1 << 20, 100)).install(bomb, root));
        assertEquals("t10k-images-idx3-ubyte.gz decompresses to more than the download limit of 1048576 bytes",
                tooBig.getMessage());
        assertEquals(List.of(), listing(root));
    }

    @Test
    void aChecksumMismatchLeavesNothingBehind() throws Exception {
        byte[] archive = tarGz(Map.of("cifar-10-batches-bin/test_batch.bin", new byte[3073]));
        String wrong = "00000000000000000000000000000000";
        DownloadSource source = serve("cifar-10-binary.tar.gz", archive, wrong, DownloadSource.Packaging.TAR_GZ, "");
        DataDirectory data = new DataDirectory(root, downloader(SafeZip.Limits.DEFAULT), (kind, split) -> List.of(source));

        var e = assertThrows(DatasetMissingException.class, () -> data.load(DatasetKind.CIFAR10, Split.TEST));
        assertTrue(e.getMessage().contains("Automatic download failed: checksum mismatch for cifar-10-binary.tar.gz from "
                + source.url() + ": expected md5 " + wrong + ", got " + md5(archive) + "; nothing was installed"),
                e.getMessage());
        assertEquals(List.of(), listing(root));
    }

    @Test
    void reportsHttpErrors() throws Exception {
        DownloadSource source = serve("nothing-here.tar.gz", null, "x", DownloadSource.Packaging.TAR_GZ, "");
        served.remove("/nothing-here.tar.gz");
        var e = assertThrows(DatasetDownloadException.class,
                () -> downloader(SafeZip.Limits.DEFAULT).install(source, root));
        assertEquals("HTTP 404 for " + source.url() + "; the official file nothing-here.tar.gz could not be downloaded",
                e.getMessage());
        assertEquals(List.of(), listing(root));
    }

    @Test
    void saysWhichFilesToPutWhereWhenOfflineOrDisabled() throws Exception {
        var disabled = assertThrows(DatasetMissingException.class,
                () -> DataDirectory.offline(root).load(DatasetKind.CIFAR10, Split.TEST));
        Path abs = root.toAbsolutePath();
        assertEquals("CIFAR-10 test set not found under " + abs + ". Put " + abs.resolve("cifar-10-batches-py/test_batch")
                + " (extracted from cifar-10-python.tar.gz from https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz,"
                + " md5 c58f30108f718f92721af3b95e74349a) or " + abs.resolve("cifar-10-batches-bin/test_batch.bin")
                + " (extracted from cifar-10-binary.tar.gz from https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz,"
                + " md5 c32a1d4ab5d03f1284b67883e8d87530). Automatic download is disabled.", disabled.getMessage());

        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        DownloadSource unreachable = new DownloadSource(URI.create("http://127.0.0.1:" + closedPort + "/x.gz"),
                "t10k-images-idx3-ubyte.gz", "x", DownloadSource.Packaging.FILE, "MNIST/raw");
        DataDirectory data = new DataDirectory(root, downloader(SafeZip.Limits.DEFAULT), (k, s) -> List.of(unreachable));
        var offline = assertThrows(DatasetMissingException.class, () -> data.locate(DatasetKind.MNIST, Split.TEST));
        assertTrue(offline.getMessage().startsWith("MNIST test set not found under " + abs + ". Put "
                + abs.resolve("MNIST/raw/t10k-images-idx3-ubyte") + ", "), offline.getMessage());
        assertTrue(offline.getMessage().contains("Automatic download failed: cannot reach http://127.0.0.1:"
                + closedPort + "/x.gz (offline?)"), offline.getMessage());
        assertEquals(List.of(), listing(root));
    }

    @Test
    void refusesEntriesEscapingTheFolderLinksAndOversizedArchives() throws Exception {
        byte[] traversal = tarGz(Map.of("../evil.txt", "x".getBytes(StandardCharsets.US_ASCII)));
        DownloadSource tar = serve("evil.tar.gz", traversal, md5(traversal), DownloadSource.Packaging.TAR_GZ, "");
        Path inner = Files.createDirectory(root.resolve("inner"));
        var e = assertThrows(DatasetDownloadException.class, () -> downloader(SafeZip.Limits.DEFAULT).install(tar, inner));
        assertEquals("evil.tar.gz: entry '../evil.txt' would be written outside the extraction folder; refused",
                e.getMessage());

        byte[] zip = zip(Map.of("/etc/evil", new byte[1]));
        DownloadSource zipSource = serve("evil.zip", zip, md5(zip), DownloadSource.Packaging.ZIP, "");
        var z = assertThrows(DatasetDownloadException.class, () -> downloader(SafeZip.Limits.DEFAULT).install(zipSource, inner));
        assertEquals("evil.zip: entry '/etc/evil' would be written outside the extraction folder; refused", z.getMessage());

        byte[] zeros = tarGz(Map.of("big/zeros.bin", new byte[4 << 20]));
        DownloadSource bomb = serve("zeros.tar.gz", zeros, md5(zeros), DownloadSource.Packaging.TAR_GZ, "");
        var ratio = assertThrows(DatasetDownloadException.class,
                () -> downloader(new SafeZip.Limits(2L << 30, 100)).install(bomb, inner));
        assertTrue(ratio.getMessage().startsWith("zeros.tar.gz expands beyond "), ratio.getMessage());
        var size = assertThrows(DatasetDownloadException.class,
                () -> downloader(new SafeZip.Limits(1 << 20, 100_000)).install(bomb, inner));
        assertEquals("zeros.tar.gz expands beyond 1048576 bytes (size limit 1048576, ratio limit 100000); refused",
                size.getMessage());

        byte[] link = tarGzWithLink("cifar-10-batches-bin/test_batch.bin", "/etc/passwd");
        DownloadSource linkSource = serve("link.tar.gz", link, md5(link), DownloadSource.Packaging.TAR_GZ, "");
        var l = assertThrows(DatasetDownloadException.class, () -> downloader(SafeZip.Limits.DEFAULT).install(linkSource, inner));
        assertEquals("link.tar.gz: entry cifar-10-batches-bin/test_batch.bin is a link; only files and folders are"
                + " extracted", l.getMessage());

        assertEquals(List.of("inner"), listing(root));
        assertEquals(List.of(), listing(inner));
    }

    @Test
    void extractsNamesLongerThanTheTarHeaderHolds() throws Exception {
        String name = "a".repeat(80) + "/" + "b".repeat(80) + "/test_batch.bin";
        byte[] archive = tarGz(Map.of(name, new byte[]{1, 2, 3}));
        DownloadSource source = serve("long.tar.gz", archive, md5(archive), DownloadSource.Packaging.TAR_GZ, "");
        Path inner = Files.createDirectory(root.resolve("long"));
        downloader(SafeZip.Limits.DEFAULT).install(source, inner);
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(inner.resolve(name)));
    }

    // --- helpers ---

    private static List<String> listing(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static String md5(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static byte[] fastGzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes) {
            {
                def.setLevel(java.util.zip.Deflater.BEST_SPEED);
            }
        }) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    /** A gzip-compressed tar archive of regular files (names over 100 characters as POSIX pax headers). */
    private static byte[] tarGz(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(file.getValue().length);
                out.putArchiveEntry(entry);
                out.write(file.getValue());
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A gzip-compressed tar archive holding one symbolic link. */
    private static byte[] tarGzWithLink(String name, String target) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            TarArchiveEntry link = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            link.setLinkName(target);
            out.putArchiveEntry(link);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (var file : files.entrySet()) {
                out.putNextEntry(new ZipEntry(file.getKey()));
                out.write(file.getValue());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
