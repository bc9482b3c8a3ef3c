package dev.bristle.ml.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The names of a dataset's classes in class-index order: from the dataset's own metadata in a data directory
 * (CIFAR's {@code batches.meta} and {@code meta}, TinyImageNet's {@code wnids.txt} and {@code words.txt}); MNIST's
 * and Fashion-MNIST's ten names are fixed. Where the metadata is missing, "class 0", "class 1", ...
 */
public final class ClassNames {

    private static final List<String> FASHION_MNIST = List.of("T-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private ClassNames() {
    }

    public static List<String> of(DatasetKind kind, Path dataDir) {
        try {
            List<String> names = switch (kind) {
                case CIFAR10 -> cifar(dataDir.resolve("cifar-10-batches-py").resolve("batches.meta"));
                case CIFAR100 -> cifar(dataDir.resolve("cifar-100-python").resolve("meta"));
                case TINY_IMAGENET -> tinyImageNet(dataDir.resolve("tiny-imagenet-200"));
                case MNIST -> IntStream.range(0, 10).mapToObj(String::valueOf).toList();
                case FASHION_MNIST -> FASHION_MNIST;
            };
            if (names != null && names.size() == kind.classCount()) return names;
        } catch (IOException e) {
            // unreadable metadata: the classes are shown by number
        }
        return IntStream.range(0, kind.classCount()).mapToObj(i -> "class " + i).toList();
    }

    private static List<String> cifar(Path meta) throws IOException {
        return Files.isRegularFile(meta)
                ? CifarMetaReader.labelNames(meta).stream().map(n -> n.replace('_', ' ')).toList() : null;
    }

    /** The first of each wnid's words ("goldfish, Carassius auratus" gives "goldfish"), in class-index order. */
    private static List<String> tinyImageNet(Path root) throws IOException {
        Path words = root.resolve("words.txt");
        if (!Files.isRegularFile(root.resolve("wnids.txt")) || !Files.isRegularFile(words)) return null;
        Map<String, String> byWnid = new HashMap<>();
        for (String line : Files.readAllLines(words, StandardCharsets.UTF_8)) {
            int tab = line.indexOf('\t');
            if (tab > 0) byWnid.put(line.substring(0, tab), line.substring(tab + 1).split(",")[0].trim());
        }
        List<String> names = new ArrayList<>();
        for (String wnid : TinyImageNetReader.classIds(root)) names.add(byWnid.getOrDefault(wnid, wnid));
        return names;
    }
}
