package dev.bristle.ml.data;

import java.net.URI;
import java.util.List;

/** The official archives and checksums of each dataset, as torchvision downloads them. */
public final class OfficialSources {

    private static final String TORONTO = "https://www.cs.toronto.edu/~kriz/";
    private static final String MNIST = "https://ossci-datasets.s3.amazonaws.com/mnist/";
    private static final String FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/";

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
                    ? List.of(idx(FASHION, "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79", "FashionMNIST/raw"),
                    idx(FASHION, "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310", "FashionMNIST/raw"))
                    : List.of(idx(FASHION, "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d", "FashionMNIST/raw"),
                    idx(FASHION, "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe", "FashionMNIST/raw"));
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

    private static DownloadSource idx(String base, String name, String md5, String folder) {
        return new DownloadSource(URI.create(base + name), name, md5, DownloadSource.Packaging.FILE, folder);
    }
}
