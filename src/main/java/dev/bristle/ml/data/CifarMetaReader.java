package dev.bristle.ml.data;

import dev.bristle.ml.torch.SafeUnpickler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Class names from CIFAR metadata: {@code batches.meta} (CIFAR-10) or {@code meta} (CIFAR-100, fine and coarse). */
public final class CifarMetaReader {

    private CifarMetaReader() {
    }

    /** CIFAR-10's {@code label_names}, or CIFAR-100's {@code fine_label_names} (the 100 classes). */
    public static List<String> labelNames(Path metaFile) throws IOException {
        Map<?, ?> meta = read(metaFile);
        return names(metaFile, meta, meta.containsKey("fine_label_names") ? "fine_label_names" : "label_names");
    }

    /** CIFAR-100's 20 superclass names. */
    public static List<String> coarseLabelNames(Path metaFile) throws IOException {
        return names(metaFile, read(metaFile), "coarse_label_names");
    }

    private static Map<?, ?> read(Path file) throws IOException {
        Object top = SafeUnpickler.load(Files.readAllBytes(file), file.toString());
        if (top instanceof Map<?, ?> map) return map;
        throw new DatasetFormatException(file + " is not a CIFAR metadata dict");
    }

    private static List<String> names(Path file, Map<?, ?> meta, String key) throws DatasetFormatException {
        if (meta.get(key) instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw new DatasetFormatException(file + " has no list of strings '" + key + "' (keys: " + SafeUnpickler.describeKeys(meta) + ")");
    }
}
