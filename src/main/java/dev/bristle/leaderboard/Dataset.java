package dev.bristle.leaderboard;

import java.util.Arrays;
import java.util.Optional;

/** The data sets BEARD publishes leaderboards for: the name used in the published files and the URL slug. */
public enum Dataset {
    CIFAR_10("CIFAR-10", "cifar-10"),
    CIFAR_100("CIFAR-100", "cifar-100"),
    TINY_IMAGENET("TinyImageNet", "tinyimagenet");

    private final String label;
    private final String slug;

    Dataset(String label, String slug) {
        this.label = label;
        this.slug = slug;
    }

    /** The name as the published files and the database write it, e.g. "CIFAR-10". */
    public String label() {
        return label;
    }

    public String slug() {
        return slug;
    }

    public static Optional<Dataset> fromSlug(String slug) {
        return Arrays.stream(values()).filter(d -> d.slug.equalsIgnoreCase(slug)).findFirst();
    }

    public static Optional<Dataset> fromLabel(String label) {
        return Arrays.stream(values()).filter(d -> d.label.equals(label)).findFirst();
    }
}
