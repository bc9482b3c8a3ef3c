package dev.bristle.leaderboard;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.keys.Keyed;
import dev.bristle.ml.data.DatasetKind;

import java.util.Arrays;
import java.util.Optional;

/**
 * The data sets with leaderboards: BEARD's three (both protocols), and Fashion-MNIST, Bristle's own, which BEARD
 * never measured (sound protocol only); the data set itself and its URL slug.
 */
public enum Dataset implements Keyed {
    CIFAR_10(DatasetKind.CIFAR10, "cifar-10"),
    CIFAR_100(DatasetKind.CIFAR100, "cifar-100"),
    TINY_IMAGENET(DatasetKind.TINY_IMAGENET, "tinyimagenet"),
    FASHION_MNIST(DatasetKind.FASHION_MNIST, "fashion-mnist");

    private final DatasetKind kind;
    private final String slug;

    Dataset(DatasetKind kind, String slug) {
        this.kind = kind;
        this.slug = slug;
    }

    public DatasetKind kind() {
        return kind;
    }

    /** The name as the published files and the database write it, e.g. "CIFAR-10". */
    public String label() {
        return kind.displayName();
    }

    public String slug() {
        return slug;
    }

    /** The slug: the data set as URLs write it. */
    @Override
    public String key() {
        return slug;
    }

    /** Whether the data set has boards in {@code protocol}: BEARD's protocol only where BEARD published. */
    public boolean hasBoardsIn(AttackProtocol protocol) {
        return protocol == AttackProtocol.SOUND || this != FASHION_MNIST;
    }

    public static Optional<Dataset> fromLabel(String label) {
        return Arrays.stream(values()).filter(d -> d.label().equals(label)).findFirst();
    }

    public static Optional<Dataset> fromKind(DatasetKind kind) {
        return Arrays.stream(values()).filter(d -> d.kind == kind).findFirst();
    }
}
