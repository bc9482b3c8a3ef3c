package dev.bristle.ml.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A folder holding datasets in their official layouts (the ones torchvision uses):
 * {@code cifar-10-batches-py/} or {@code cifar-10-batches-bin/}, {@code cifar-100-python/} or
 * {@code cifar-100-binary/}, {@code tiny-imagenet-200/}, {@code MNIST/raw/}, {@code fashion-mnist/} (Debian's
 * layout, so {@code /usr/share/datasets} is a data directory) or {@code FashionMNIST/raw/}. Missing files
 * are downloaded from their official sources when downloads are enabled; otherwise, or when that fails, a
 * {@link DatasetMissingException} says exactly which files to put where.
 */
public final class DataDirectory {

    private final Path root;
    private final DatasetDownloader downloader;
    private final BiFunction<DatasetKind, Split, List<DownloadSource>> sources;

    /**
     * @param downloader null to never download
     * @param sources    what to download for a split (the official table, or a local mirror in tests)
     */
    public DataDirectory(Path root, DatasetDownloader downloader,
                         BiFunction<DatasetKind, Split, List<DownloadSource>> sources) {
        this.root = root;
        this.downloader = downloader;
        this.sources = sources;
    }

    /** A data directory that never downloads. */
    public static DataDirectory offline(Path root) {
        return new DataDirectory(root, null, OfficialSources::of);
    }

    /** A data directory that fetches missing datasets from their official sources. */
    public static DataDirectory downloading(Path root) {
        return new DataDirectory(root, new DatasetDownloader(), OfficialSources::of);
    }

    public Path root() {
        return root;
    }

    public ImageSet load(DatasetKind kind, Split split) throws IOException {
        return locate(kind, split).read();
    }

    /** The files of a split; downloads them first if they are missing and downloads are enabled. */
    public DatasetFiles locate(DatasetKind kind, Split split) throws IOException {
        Optional<DatasetFiles> present = find(kind, split);
        if (present.isPresent()) return present.get();
        if (downloader == null) {
            throw new DatasetMissingException(missingMessage(kind, split) + " Automatic download is disabled.");
        }
        try {
            for (DownloadSource source : sources.apply(kind, split)) {
                if (!Files.exists(root.resolve(source.installPath()).resolve(source.fileName()))) {
                    downloader.install(source, root);
                }
            }
        } catch (DatasetDownloadException e) {
            throw new DatasetMissingException(missingMessage(kind, split) + " Automatic download failed: "
                    + e.getMessage(), e);
        }
        return find(kind, split).orElseThrow(() -> new DatasetMissingException(missingMessage(kind, split)
                + " The downloaded files did not provide them."));
    }

    /** The files of a split when they are here, without downloading anything. */
    public Optional<DatasetFiles> find(DatasetKind kind, Split split) {
        for (Layout layout : layouts(kind, split)) {
            List<Path> files = new ArrayList<>();
            for (String relative : layout.files) {
                Optional<Path> file = existing(relative);
                if (file.isEmpty()) break;
                files.add(file.get());
            }
            if (files.size() == layout.files.size()) {
                List<Path> readerFiles = layout.format == DatasetFiles.Format.TINY_IMAGENET
                        ? List.of(root.resolve("tiny-imagenet-200")) : files;
                return Optional.of(new DatasetFiles(kind, split, layout.format, readerFiles));
            }
        }
        return Optional.empty();
    }

    /** IDX files count whether kept gzip-compressed (as downloaded) or decompressed. */
    private Optional<Path> existing(String relative) {
        Path plain = root.resolve(relative);
        if (Files.exists(plain)) return Optional.of(plain);
        Path gz = root.resolve(relative + ".gz");
        return relative.contains("-ubyte") && Files.exists(gz) ? Optional.of(gz) : Optional.empty();
    }

    private record Layout(DatasetFiles.Format format, List<String> files, String origin) {
    }

    private static List<Layout> layouts(DatasetKind kind, Split split) {
        boolean test = split == Split.TEST;
        return switch (kind) {
            case CIFAR10 -> List.of(
                    new Layout(DatasetFiles.Format.CIFAR_PYTHON, test ? List.of("cifar-10-batches-py/test_batch")
                            : batches("cifar-10-batches-py/data_batch_", ""), origin(OfficialSources.of(kind, split).get(0))),
                    new Layout(DatasetFiles.Format.CIFAR_BINARY, test ? List.of("cifar-10-batches-bin/test_batch.bin")
                            : batches("cifar-10-batches-bin/data_batch_", ".bin"), origin(OfficialSources.cifarBinary(kind))));
            case CIFAR100 -> List.of(
                    new Layout(DatasetFiles.Format.CIFAR_PYTHON, List.of("cifar-100-python/" + (test ? "test" : "train")),
                            origin(OfficialSources.of(kind, split).get(0))),
                    new Layout(DatasetFiles.Format.CIFAR_BINARY, List.of("cifar-100-binary/" + (test ? "test.bin" : "train.bin")),
                            origin(OfficialSources.cifarBinary(kind))));
            case TINY_IMAGENET -> List.of(new Layout(DatasetFiles.Format.TINY_IMAGENET, test
                    ? List.of("tiny-imagenet-200/wnids.txt", "tiny-imagenet-200/val/val_annotations.txt", "tiny-imagenet-200/val/images")
                    : List.of("tiny-imagenet-200/wnids.txt", "tiny-imagenet-200/train"),
                    origin(OfficialSources.of(kind, split).get(0))));
            case MNIST -> List.of(idx(kind, split, "MNIST/raw/"));
            // Debian's layout first (dataset-fashion-mnist: --data /usr/share/datasets), then torchvision's.
            case FASHION_MNIST -> List.of(idx(kind, split, OfficialSources.FASHION_MNIST_FOLDER + "/"),
                    idx(kind, split, "FashionMNIST/raw/"));
        };
    }

    private static Layout idx(DatasetKind kind, Split split, String folder) {
        String prefix = split == Split.TEST ? "t10k" : "train";
        return new Layout(DatasetFiles.Format.IDX,
                List.of(folder + prefix + "-images-idx3-ubyte", folder + prefix + "-labels-idx1-ubyte"),
                OfficialSources.of(kind, split).stream().map(DataDirectory::origin).collect(Collectors.joining("; ")));
    }

    private static List<String> batches(String prefix, String suffix) {
        return IntStream.rangeClosed(1, 5).mapToObj(i -> prefix + i + suffix).toList();
    }

    private static String origin(DownloadSource source) {
        return source.fileName() + " from " + source.url() + (source.md5() != null ? ", md5 " + source.md5()
                : ", content SHA-256 " + source.contentSha256());
    }

    private String missingMessage(DatasetKind kind, Split split) {
        StringBuilder message = new StringBuilder(kind + " " + split.name().toLowerCase() + " set not found under "
                + root.toAbsolutePath() + ". Put ");
        List<Layout> options = layouts(kind, split);
        for (int i = 0; i < options.size(); i++) {
            Layout layout = options.get(i);
            if (i > 0) message.append(" or ");
            message.append(layout.files.stream().map(f -> root.resolve(f).toString())
                    .collect(Collectors.joining(", ")));
            if (layout.format == DatasetFiles.Format.IDX) message.append(" (each may stay .gz)");
            message.append(" (extracted from ").append(layout.origin).append(')');
        }
        return message.append('.').toString();
    }
}
