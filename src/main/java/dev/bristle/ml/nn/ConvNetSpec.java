package dev.bristle.ml.nn;

import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.torch.HostTensor;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shape of one BEARD ConvNet: {@code depth} blocks of [3x3 convolution with {@code width} filters, normalization,
 * ReLU, 2x2 pooling], then one linear layer. As in BEARD's code, a 1-channel input gets padding 3 on the first
 * convolution (28x28 MNIST-style images then reach 32x32), every other convolution padding 1.
 */
public record ConvNetSpec(int channels, int imageSize, int classes, int width, int depth,
                          NormLayer norm, Pooling pooling) {

    public static final int BEARD_WIDTH = 128;
    public static final int BEARD_DEPTH = 3;

    private static final Pattern FEATURE_KEY = Pattern.compile("features\\.(\\d+)\\.(\\w+)");

    public ConvNetSpec {
        if (channels != 1 && channels != 3) throw new InvalidInputException("channels must be 1 or 3, not " + channels);
        if (classes < 2) throw new InvalidInputException("a classifier needs at least 2 classes, not " + classes);
        if (width < 1 || depth < 1) {
            throw new InvalidInputException("width and depth must be positive, not " + width + " and " + depth);
        }
        if (imageSize < 1 || featureMapSize(channels, imageSize, depth, pooling) < 1) {
            throw new InvalidInputException("a " + imageSize + "x" + imageSize + " image is too small for "
                    + depth + " pooled blocks");
        }
    }

    /** BEARD's default network: width 128, depth 3, instance norm, average pooling. */
    public static ConvNetSpec beard(int channels, int imageSize, int classes) {
        return new ConvNetSpec(channels, imageSize, classes, BEARD_WIDTH, BEARD_DEPTH,
                NormLayer.INSTANCENORM, Pooling.AVGPOOLING);
    }

    /** Padding of convolution {@code block} (0-based). */
    public int padding(int block) {
        return channels == 1 && block == 0 ? 3 : 1;
    }

    /** Height (= width) of the last block's output. */
    public int featureMapSize() {
        return featureMapSize(channels, imageSize, depth, pooling);
    }

    /** Inputs of the linear classifier: the flattened last feature map. */
    public int classifierInputs() {
        return width * featureMapSize() * featureMapSize();
    }

    /** Index of block {@code block}'s convolution in PyTorch's {@code features} Sequential. */
    public int convolutionIndex(int block) {
        return block * layersPerBlock();
    }

    int layersPerBlock() {
        return 2 + (norm == NormLayer.NONE ? 0 : 1) + (pooling == Pooling.NONE ? 0 : 1);
    }

    private static int featureMapSize(int channels, int imageSize, int depth, Pooling pooling) {
        int size = imageSize;
        for (int block = 0; block < depth; block++) {
            size += channels == 1 && block == 0 ? 4 : 0;
            if (pooling != Pooling.NONE) size /= 2;
        }
        return size;
    }

    /**
     * Reads the architecture from a BEARD state dict: channels, width and depth from the convolution weights, classes
     * from the classifier, normalization from the norm layers' keys, pooling from the layer numbering. Average and
     * max pooling have no weights, so pooling layers are taken to be BEARD's average pooling.
     *
     * @param imageSize height (= width) of the images the model will see; checked against the classifier's inputs
     * @throws InvalidInputException naming the key when the state dict is not a ConvNet's or does not fit images
     *                                  of this size
     */
    public static ConvNetSpec infer(Map<String, HostTensor> stateDict, int imageSize) {
        HostTensor firstConv = require(stateDict, "features.0.weight", 4);
        int width = (int) firstConv.shape()[0];
        int channels = (int) firstConv.shape()[1];
        HostTensor classifier = require(stateDict, "classifier.weight", 2);
        int classes = (int) classifier.shape()[0];
        long classifierInputs = classifier.shape()[1];

        TreeSet<Integer> convolutions = new TreeSet<>();
        for (Map.Entry<String, HostTensor> entry : stateDict.entrySet()) {
            Matcher key = FEATURE_KEY.matcher(entry.getKey());
            if (key.matches() && key.group(2).equals("weight") && entry.getValue().shape().length == 4) {
                convolutions.add(Integer.parseInt(key.group(1)));
            }
        }
        int depth = convolutions.size();
        NormLayer norm = !stateDict.containsKey("features.1.weight") ? NormLayer.NONE
                : stateDict.containsKey("features.1.running_mean") ? NormLayer.BATCHNORM
                : NormLayer.INSTANCENORM;

        Pooling pooling;
        if (depth > 1) {
            int step = convolutions.higher(0);
            int unpooled = 2 + (norm == NormLayer.NONE ? 0 : 1);
            if (step != unpooled && step != unpooled + 1) {
                throw new InvalidInputException("convolutions at features." + convolutions
                        + " do not follow the ConvNet's [conv, norm, relu, pool] layout");
            }
            pooling = step == unpooled ? Pooling.NONE : Pooling.AVGPOOLING;
        } else {
            // One block: only the classifier's input count tells whether its output was pooled.
            ConvNetSpec unpooled = new ConvNetSpec(channels, imageSize, classes, width, 1, norm, Pooling.NONE);
            pooling = unpooled.classifierInputs() == classifierInputs ? Pooling.NONE : Pooling.AVGPOOLING;
        }
        ConvNetSpec spec = new ConvNetSpec(channels, imageSize, classes, width, depth, norm, pooling);
        if (spec.classifierInputs() != classifierInputs) {
            throw new InvalidInputException("classifier.weight has " + classifierInputs + " inputs, but a "
                    + spec.describe() + " gives " + spec.classifierInputs()
                    + ": the model was trained on images of another size");
        }
        return spec;
    }

    private static HostTensor require(Map<String, HostTensor> stateDict, String key, int dimensions) {
        HostTensor tensor = stateDict.get(key);
        if (tensor == null) {
            throw new InvalidInputException("not a ConvNet state dict: no '" + key + "' among " + stateDict.keySet());
        }
        if (tensor.shape().length != dimensions) {
            throw new InvalidInputException("'" + key + "' should have " + dimensions + " dimensions, found shape "
                    + tensor.shapeString());
        }
        return tensor;
    }

    /** One line for logs and reports, e.g. {@code ConvNet 3x32x32 -> 10, width 128, depth 3, instancenorm, avgpooling}. */
    public String describe() {
        return "ConvNet " + channels + "x" + imageSize + "x" + imageSize + " -> " + classes + ", width " + width
                + ", depth " + depth + ", " + norm.optionName() + ", " + pooling.optionName();
    }
}
