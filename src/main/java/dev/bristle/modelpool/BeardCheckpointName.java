package dev.bristle.modelpool;

import dev.bristle.input.InvalidInputException;
import dev.bristle.leaderboard.Dataset;
import dev.bristle.ml.data.DatasetKind;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What BEARD writes into a student's file name: {@code METHOD_ARCH_DATASET_IPC_AUG[_ACCURACY].pth}, for example
 * {@code BACON_ConvNet_CIFAR10_50_None_0.6995.pth} (accuracy 0.6995 = 69.95 % on the full test set).
 *
 * @param reportedAccuracy clean accuracy in percent as BEARD reports it, or null when the name has none
 */
public record BeardCheckpointName(String method, String architecture, Dataset dataset, int ipc, String augmentation,
                                  Double reportedAccuracy) {

    private static final Pattern NAME = Pattern.compile(
            "([A-Za-z0-9-]+)_([A-Za-z0-9]+)_([A-Za-z0-9]+)_(\\d+)_([A-Za-z0-9]+)(?:_(0?\\.\\d+|1\\.0+))?\\.pth?");

    public static BeardCheckpointName parse(String fileName) {
        Matcher m = NAME.matcher(fileName);
        if (!m.matches()) {
            throw new InvalidInputException("'" + fileName + "' is not a BEARD student file name"
                    + " (METHOD_ARCH_DATASET_IPC_AUG[_ACCURACY].pth, e.g. BACON_ConvNet_CIFAR10_50_None_0.6995.pth)");
        }
        Double accuracy = m.group(6) == null ? null : Math.round(Double.parseDouble(m.group(6)) * 10000) / 100.0;
        return new BeardCheckpointName(m.group(1), m.group(2), dataset(m.group(3), fileName),
                Integer.parseInt(m.group(4)), m.group(5), accuracy);
    }

    /** BEARD's codes: CIFAR10, CIFAR100, Tiny (TinyImageNet). */
    private static Dataset dataset(String code, String fileName) {
        try {
            DatasetKind kind = code.equalsIgnoreCase("Tiny") ? DatasetKind.TINY_IMAGENET : DatasetKind.fromName(code);
            return Dataset.fromKind(kind).orElseThrow(() -> new IllegalArgumentException(kind.displayName()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("'" + fileName + "': unknown data set code '" + code
                    + "' (expected CIFAR10, CIFAR100 or Tiny)", e);
        }
    }
}
