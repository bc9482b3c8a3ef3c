package dev.bristle.ml.data;

import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.SafeUnpickler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The CIFAR "python version" batches ({@code test_batch}, {@code data_batch_N}, CIFAR-100's {@code test} and
 * {@code train}): pickled dicts whose {@code data} is a uint8 array (N, 3072) and whose {@code labels} (CIFAR-10) or
 * {@code fine_labels} (CIFAR-100) list the classes. Read with {@link SafeUnpickler}, never executed.
 */
public final class CifarPickleReader {

    private CifarPickleReader() {
    }

    public static ImageSet read(DatasetKind kind, Path... files) throws IOException {
        return read(kind, List.of(files));
    }

    public static ImageSet read(DatasetKind kind, List<Path> files) throws IOException {
        String labelKey = switch (kind) {
            case CIFAR10 -> "labels";
            case CIFAR100 -> "fine_labels";
            default -> throw new IllegalArgumentException(kind + " has no CIFAR python format");
        };
        List<Batch> batches = new java.util.ArrayList<>();
        int count = 0;
        for (Path file : files) {
            Batch batch = readBatch(file, kind, labelKey);
            batches.add(batch);
            count = Math.addExact(count, batch.labels.length);
        }
        float[] pixels = new float[Math.multiplyExact(count, 3072)];
        int[] labels = new int[count];
        int at = 0;
        for (Batch batch : batches) {
            Pixels.toUnit(batch.pixels, 0, pixels, at * 3072, batch.pixels.length);
            System.arraycopy(batch.labels, 0, labels, at, batch.labels.length);
            at += batch.labels.length;
        }
        return new ImageSet(pixels, labels, count, 3, 32, 32, kind.classCount());
    }

    private record Batch(byte[] pixels, int[] labels) {
    }

    private static Batch readBatch(Path file, DatasetKind kind, String labelKey) throws IOException {
        Object top = SafeUnpickler.load(Files.readAllBytes(file), file.toString());
        if (!(top instanceof Map<?, ?> dict)) {
            throw new DatasetFormatException(file + " holds " + SafeUnpickler.describe(top)
                    + ", not the dict of a CIFAR python batch");
        }
        if (!(dict.get("data") instanceof HostTensor data) || data.dtype() != HostTensor.DType.UINT8
                || data.shape().length != 2 || data.shape()[1] != 3072) {
            throw new DatasetFormatException(file + ": 'data' should be a uint8 array of shape (N, 3072), found "
                    + SafeUnpickler.describe(dict.get("data")) + " (keys: " + SafeUnpickler.describeKeys(dict) + ")");
        }
        if (!(dict.get(labelKey) instanceof List<?> labelList)) {
            throw new DatasetFormatException(file + ": no '" + labelKey + "' list for " + kind + " (keys: "
                    + SafeUnpickler.describeKeys(dict) + ")");
        }
        int n = (int) data.shape()[0];
        if (labelList.size() != n) {
            throw new DatasetFormatException(file + " has " + n + " images but " + labelList.size() + " labels");
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            if (!(labelList.get(i) instanceof Long label) || label < 0 || label >= kind.classCount()) {
                throw new DatasetFormatException(file + ": label " + i + " is " + labelList.get(i) + ", expected an"
                        + " integer in [0, " + kind.classCount() + ")");
            }
            labels[i] = label.intValue();
        }
        return new Batch((byte[]) data.data(), labels);
    }
}
