package dev.bristle.ml.data;

import java.net.URI;
import java.util.List;

/**
 * The official archives and checksums of each dataset, as torchvision downloads them. Fashion-MNIST's files are
 * checked by the SHA-256 of their decompressed content (that of the files Zalando publishes, which Debian's
 * {@code dataset-fashion-mnist} packages recompressed), and installed in Debian's layout, {@code fashion-mnist/}.
 */
public final class OfficialSources {

    private static final String TORONTO = "https://www.cs.toronto.edu/~kriz/";
    private static final String MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    private static final String FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

    /** Fashion-MNIST's folder under a data root, as Debian lays it out under /usr/share/datasets. */
    public static final String FASHION_MNIST_FOLDER = "fashion-mnist";

    private OfficialSources() {
    }

    public static List<DownloadSource> of(DatasetKind kind, Split split) {
        boolean test = split == Split.TEST;
        return switch (kind) {
            case CIFAR10 -> List.of(archive(TORONTO, "cifar-10-python.tar.gz", "c58f30108f718f92721af3b95e74349a"));
            case CIFAR100 -> List.of(archive(TORONTO, "cifar-100-python.tar.gz", "eb9058c3a382ffc7106e4002c42a8d85"));
            case TINY_IMAGENET -> List.of(new DownloadSource(URI.create("http://cs231n.stanford.edu/tiny-imagenet-200.zip"),
                    "tiny-imagenet-200.zip", "90528d7ca1a48142e341f4ef8d21d0de", DownloadSource.Packaging.ZIP, ""));
            case MNIST -> test
                    ? List.of(idx(MNIST, "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3", "MNIST/raw"),
                    idx(MNIST, "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c", "MNIST/raw"))
                    : List.of(idx(MNIST, "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873", "MNIST/raw"),
                    idx(MNIST, "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432", "MNIST/raw"));
            case FASHION_MNIST -> test
                    ? List.of(content(FASHION, "t10k-images-idx3-ubyte.gz",
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    content(FASHION, "t10k-labels-idx1-ubyte.gz",
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"))
                    : List.of(content(FASHION, "train-images-idx3-ubyte.gz",
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    content(FASHION, "train-labels-idx1-ubyte.gz",
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"));
        };
    }

    /** Official binary-version archives, which the data directory also accepts when put in place by hand. */
    static DownloadSource cifarBinary(DatasetKind kind) {
        return kind == DatasetKind.CIFAR10
                ? archive(TORONTO, "cifar-10-binary.tar.gz", "c32a1d4ab5d03f1284b67883e8d87530")
                : archive(TORONTO, "cifar-100-binary.tar.gz", "03b5dce01913d631647c71ecec9e9cb8");
    }

    private static DownloadSource archive(String base, String name, String md5) {
        return new DownloadSource(URI.create(base + name), name, md5, DownloadSource.Packaging.TAR_GZ, "");
    }

    /** A gzip-compressed IDX file of Fashion-MNIST, checked by its decompressed content, in Debian's layout. */
    private static DownloadSource content(String base, String name, String contentSha256) {
        return new DownloadSource(URI.create(base + name), name, null, contentSha256, DownloadSource.Packaging.FILE,
                FASHION_MNIST_FOLDER);
    }

    private static DownloadSource idx(String base, String name, String md5, String folder) {
        return new DownloadSource(URI.create(base + name), name, md5, DownloadSource.Packaging.FILE, folder);
    }
}
