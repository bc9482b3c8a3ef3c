package dev.bristle.ml.data;

import dev.bristle.input.InvalidInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The datasets Bristle evaluates on, with the normalization the distillation and BEARD code use for each.
 *
 * <p>Fashion-MNIST is Bristle's own: BEARD never measured it, so its boards exist in the sound protocol only, with
 * its official settings: the budgets {@code AttackBudgets.SOUND_FASHION_MNIST}, students trained by BEARD's protocol
 * (1,000 nominal epochs, five students) and evaluated on all 10,000 official test images.
 */
public enum DatasetKind {
    CIFAR10("CIFAR-10", 10, 3, 32, new float[]{0.4914f, 0.4822f, 0.4465f}, new float[]{0.2023f, 0.1994f, 0.2010f}),
    CIFAR100("CIFAR-100", 100, 3, 32, new float[]{0.5071f, 0.4866f, 0.4409f}, new float[]{0.2673f, 0.2564f, 0.2762f}),
    TINY_IMAGENET("TinyImageNet", 200, 3, 64, new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f}),
    MNIST("MNIST", 10, 1, 28, new float[]{0.1307f}, new float[]{0.3081f}),
    FASHION_MNIST("Fashion-MNIST", 10, 1, 28, new float[]{0.2860f}, new float[]{0.3530f});

    private final String displayName;
    private final int classCount;
    private final int channels;
    private final int imageSize;
    private final float[] mean;
    private final float[] std;

    DatasetKind(String displayName, int classCount, int channels, int imageSize, float[] mean, float[] std) {
        this.displayName = displayName;
        this.classCount = classCount;
        this.channels = channels;
        this.imageSize = imageSize;
        this.mean = mean;
        this.std = std;
    }

    public String displayName() {
        return displayName;
    }

    public int classCount() {
        return classCount;
    }

    public int channels() {
        return channels;
    }

    /** Height and width in pixels (all these datasets have square images). */
    public int imageSize() {
        return imageSize;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    /** Accepts display names and their usual spellings: "CIFAR-10", "cifar10", "tiny-imagenet", "FashionMNIST" ... */
    public static DatasetKind fromName(String name) {
        String key = canonical(name == null ? "" : name);
        for (DatasetKind kind : values()) {
            if (canonical(kind.displayName).equals(key) || canonical(kind.name()).equals(key)) return kind;
        }
        if (key.equals("tinyimagenet200")) return TINY_IMAGENET;
        throw new InvalidInputException("unknown dataset '" + name + "'; known: "
                + Arrays.stream(values()).map(DatasetKind::displayName).collect(Collectors.joining(", ")));
    }

    private static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    @Override
    public String toString() {
        return displayName;
    }
}
