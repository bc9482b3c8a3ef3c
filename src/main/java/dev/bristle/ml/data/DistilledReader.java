package dev.bristle.ml.data;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.SafeUnpickler;
import dev.bristle.ml.torch.SafeZip;
import dev.bristle.ml.torch.TensorChecks;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Distilled datasets in the formats their authors publish:
 * <ul>
 *   <li>DC / DSA / DM {@code res_*.pt}: a dict whose {@code 'data'} lists one {@code [images, labels]} pair per
 *       experiment;</li>
 *   <li>MTT {@code images_best.pt} and {@code labels_best.pt}: two bare tensors;</li>
 *   <li>{@code .npz}: arrays {@code images} (or {@code x}) and {@code labels} (or {@code y}).</li>
 * </ul>
 * The normalization is declared by the caller or detected from the value range; either way the decision and its
 * reason travel with the set.
 */
public final class DistilledReader {

    /** How the caller settles the normalization: declared, or detected against a dataset's mean/std. */
    public record NormalizationChoice(Normalization declared, DatasetKind detectFor) {

        public static NormalizationChoice declared(Normalization normalization) {
            return new NormalizationChoice(normalization, null);
        }

        public static NormalizationChoice detect(DatasetKind dataset) {
            return new NormalizationChoice(null, dataset);
        }

        NormalizationDecision decide(float[] images) {
            return declared != null ? NormalizationDecision.declared(declared)
                    : NormalizationDecision.detect(images, detectFor);
        }
    }

    private DistilledReader() {
    }

    /** How many experiments a DC/DSA/DM result file holds. */
    public static int experimentCount(Path resFile) throws IOException {
        return experiments(resFile).size();
    }

    public static DistilledSet readDcResult(Path resFile, NormalizationChoice choice) throws IOException {
        return readDcResult(resFile, 0, choice);
    }

    public static DistilledSet readDcResult(Path resFile, int experiment, NormalizationChoice choice)
            throws IOException {
        List<?> experiments = experiments(resFile);
        if (experiment < 0 || experiment >= experiments.size()) {
            throw new InvalidInputException(resFile + " holds " + experiments.size() + " experiment(s) (0 to "
                    + (experiments.size() - 1) + "); experiment " + experiment + " does not exist");
        }
        if (!(experiments.get(experiment) instanceof List<?> pair) || pair.size() != 2) {
            throw new DatasetFormatException(resFile + ": data[" + experiment + "] should be [images, labels]");
        }
        String source = resFile + " (experiment " + experiment + " of " + experiments.size() + ")";
        return assemble(tensor(pair.get(0), source, "images"), tensor(pair.get(1), source, "labels"), source, choice);
    }

    public static DistilledSet readMtt(Path imagesFile, Path labelsFile, NormalizationChoice choice)
            throws IOException {
        HostTensor images = tensor(TorchCheckpoint.read(imagesFile), imagesFile.toString(), "images");
        HostTensor labels = tensor(TorchCheckpoint.read(labelsFile), labelsFile.toString(), "labels");
        return assemble(images, labels, imagesFile + " + " + labelsFile, choice);
    }

    public static DistilledSet readNpz(Path npzFile, NormalizationChoice choice) throws IOException {
        try (SafeZip zip = SafeZip.open(npzFile)) {
            HostTensor images = npyArray(zip, "images", "x");
            HostTensor labels = npyArray(zip, "labels", "y");
            return assemble(images, labels, npzFile.toString(), choice);
        }
    }

    private static HostTensor npyArray(SafeZip zip, String name, String alternative) throws IOException {
        for (String key : List.of(name, alternative)) {
            if (zip.contains(key + ".npy")) {
                return NpyReader.read(zip.read(key + ".npy"), key + ".npy in " + zip.file());
            }
        }
        throw new DatasetFormatException(zip.file() + " has neither " + name + ".npy nor " + alternative
                + ".npy (entries: " + zip.describeNames() + ")");
    }

    private static List<?> experiments(Path resFile) throws IOException {
        Object top = TorchCheckpoint.read(resFile);
        if (top instanceof Map<?, ?> map && map.get("data") instanceof List<?> list && !list.isEmpty()) return list;
        throw new DatasetFormatException(resFile + " is not a DC/DSA/DM result file: expected a dict whose 'data' lists"
                + " [images, labels] pairs" + (top instanceof Map<?, ?> m ? " (keys: " + SafeUnpickler.describeKeys(m) + ")" : ""));
    }

    private static HostTensor tensor(Object value, String source, String what) throws DatasetFormatException {
        if (value instanceof HostTensor t) return t;
        throw new DatasetFormatException(source + ": " + what + " should be a tensor, found "
                + SafeUnpickler.describe(value));
    }

    private static DistilledSet assemble(HostTensor images, HostTensor labels, String source,
                                         NormalizationChoice choice) throws DatasetFormatException {
        if (images.dtype() != HostTensor.DType.FLOAT32 || images.shape().length != 4) {
            throw new DatasetFormatException(source + ": images should be a float32 N x C x H x W tensor, found "
                    + images.dtype() + " " + images.shapeString());
        }
        if (labels.shape().length != 1) {
            throw new DatasetFormatException(source + ": labels should be a vector of class indices, found shape "
                    + labels.shapeString() + (labels.shape().length == 2 ? " (soft labels are not supported)" : ""));
        }
        if (labels.dtype() == HostTensor.DType.FLOAT32) {
            throw new DatasetFormatException(source + ": labels are float32; only integer class labels are supported");
        }
        if (labels.elementCount() != images.shape()[0]) {
            throw new DatasetFormatException(source + " has " + images.shape()[0] + " images but "
                    + labels.elementCount() + " labels");
        }
        int[] labelArray = new int[(int) labels.elementCount()];
        for (int i = 0; i < labelArray.length; i++) {
            long label = labels.dtype() == HostTensor.DType.INT64 ? labels.longs()[i] : ((byte[]) labels.data())[i] & 0xff;
            if (label < 0 || label > Integer.MAX_VALUE) {
                throw new DatasetFormatException(source + ": label " + i + " is " + label + ", not a class index");
            }
            labelArray[i] = (int) label;
        }
        try {
            TensorChecks.requireFinite("images of " + source, images);
        } catch (InvalidInputException e) {
            throw new DatasetFormatException(e.getMessage(), e);
        }
        int[] shape = java.util.Arrays.stream(images.shape()).mapToInt(Math::toIntExact).toArray();
        float[] values = images.floats();
        return new DistilledSet(values, labelArray, shape, choice.decide(values), source);
    }
}
