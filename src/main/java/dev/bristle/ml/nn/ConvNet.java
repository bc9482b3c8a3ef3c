package dev.bristle.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.nn.pooling.Pool;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.torch.HostTensor;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BEARD's ConvNet as a DJL {@link SequentialBlock}, with its parameters reachable under their PyTorch state-dict names
 * ({@code features.0.weight}, ..., {@code classifier.bias}) for loading and exporting checkpoints.
 */
public final class ConvNet {

    private static final float NORM_EPSILON = 1e-5f;
    /** PyTorch's BatchNorm momentum 0.1 is the weight of the new batch; DJL's momentum is that of the old value. */
    private static final float DJL_BATCHNORM_MOMENTUM = 0.9f;

    private final ConvNetSpec spec;
    private final SequentialBlock block = new SequentialBlock();
    /** State-dict name -> the DJL parameter holding it, in PyTorch's order. */
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();
    /** BatchNorm's {@code num_batches_tracked} counters: no DJL counterpart, carried from load to export. */
    private final LinkedHashMap<String, Long> batchCounters = new LinkedHashMap<>();

    public ConvNet(ConvNetSpec spec) {
        this.spec = spec;
        int index = 0;
        for (int b = 0; b < spec.depth(); b++) {
            int padding = spec.padding(b);
            Conv2d convolution = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(padding, padding))
                    .setFilters(spec.width()).build();
            add(convolution, "features." + index++, Map.of("weight", "weight", "bias", "bias"));
            switch (spec.norm()) {
                case INSTANCENORM -> add(GroupNorm.instanceNorm(spec.width()), "features." + index++,
                        Map.of("weight", "weight", "bias", "bias"));
                case BATCHNORM -> {
                    String prefix = "features." + index++;
                    add(BatchNorm.builder().optAxis(1).optEpsilon(NORM_EPSILON).optMomentum(DJL_BATCHNORM_MOMENTUM)
                                    .build(), prefix,
                            Map.of("weight", "gamma", "bias", "beta", "running_mean", "runningMean",
                                    "running_var", "runningVar"));
                    batchCounters.put(prefix + ".num_batches_tracked", 0L);
                }
                case NONE -> { }
            }
            index += addReluAndPooling(block, spec.pooling());
        }
        block.add(Blocks.batchFlattenBlock());
        add(Linear.builder().setUnits(spec.classes()).build(), "classifier", Map.of("weight", "weight", "bias", "bias"));
    }

    /**
     * Adds a block's ReLU and, unless {@code pooling} is none, its 2 x 2 pooling to {@code block}; returns how many
     * entries of PyTorch's {@code features} they take (no parameters, but each takes an index of the state dict).
     */
    static int addReluAndPooling(SequentialBlock block, Pooling pooling) {
        block.add(Activation.reluBlock());
        if (pooling == Pooling.NONE) return 1;
        Shape window = new Shape(2, 2);
        block.add(pooling == Pooling.AVGPOOLING ? Pool.avgPool2dBlock(window, window)
                : Pool.maxPool2dBlock(window, window));
        return 2;
    }

    /** Adds {@code layer} and records its parameters under {@code prefix.torchName}, in PyTorch's name order. */
    private void add(Block layer, String prefix, Map<String, String> torchToDjl) {
        block.add(layer);
        for (String torchName : List.of("weight", "bias", "running_mean", "running_var")) {
            String djlName = torchToDjl.get(torchName);
            if (djlName == null) continue;
            Parameter parameter = layer.getParameters().get(djlName);
            if (parameter == null) {
                throw new IllegalStateException(layer + " has no parameter '" + djlName + "'");
            }
            parameters.put(prefix + "." + torchName, parameter);
        }
    }

    public ConvNetSpec spec() {
        return spec;
    }

    /** The network; input NCHW (already normalized), output logits (N, classes). */
    public SequentialBlock block() {
        return block;
    }

    /**
     * The embedding DM and herding compare images by: the flattened output of the last block (every layer but the
     * classifier), {@link ConvNetSpec#classifierInputs} values per image. Belongs to the input's manager.
     */
    public NDArray features(ParameterStore store, NDArray input, boolean training) {
        List<Block> layers = block.getChildren().values();
        NDList x = new NDList(input);
        for (int i = 0; i < layers.size() - 1; i++) x = layers.get(i).forward(store, x, training);
        return x.singletonOrThrow();
    }

    /** Input shape for a batch of {@code batchSize} images. */
    public Shape inputShape(long batchSize) {
        return new Shape(batchSize, spec.channels(), spec.imageSize(), spec.imageSize());
    }

    /** The state-dict names this network reads and writes, in PyTorch's order. */
    public Set<String> stateDictKeys() {
        Set<String> keys = new LinkedHashSet<>(parameters.keySet());
        keys.addAll(batchCounters.keySet());
        return keys;
    }

    /**
     * Copies a PyTorch state dict into the (initialized) network. Every key, dtype and shape is checked before any
     * value is written, so a bad file leaves the network as it was.
     *
     * @throws InvalidInputException listing missing and unexpected keys, or naming the key whose dtype or shape is
     *                                  wrong with the expected and found shape
     */
    public void loadStateDict(Map<String, HostTensor> stateDict) {
        requireInitialized();
        Set<String> expected = stateDictKeys();
        List<String> missing = expected.stream().filter(k -> !stateDict.containsKey(k)).toList();
        List<String> unexpected = stateDict.keySet().stream().filter(k -> !expected.contains(k)).toList();
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new InvalidInputException("state dict does not fit " + spec.describe() + ": missing keys "
                    + missing + ", unexpected keys " + unexpected);
        }
        List<String> problems = new ArrayList<>();
        parameters.forEach((key, parameter) -> {
            HostTensor tensor = stateDict.get(key);
            long[] shape = parameter.getArray().getShape().getShape();
            if (tensor.dtype() != HostTensor.DType.FLOAT32) {
                problems.add(key + ": expected FLOAT32, found " + tensor.dtype());
            } else if (!Arrays.equals(shape, tensor.shape())) {
                problems.add(key + ": expected shape " + Arrays.toString(shape) + ", found " + tensor.shapeString());
            }
        });
        for (String key : batchCounters.keySet()) {
            HostTensor tensor = stateDict.get(key);
            if (tensor.dtype() != HostTensor.DType.INT64 || tensor.elementCount() != 1) {
                problems.add(key + ": expected one INT64, found " + tensor.dtype() + " " + tensor.shapeString());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("state dict does not fit " + spec.describe() + ": "
                    + String.join("; ", problems));
        }
        parameters.forEach((key, parameter) -> parameter.getArray().set(FloatBuffer.wrap(stateDict.get(key).floats())));
        batchCounters.replaceAll((key, old) -> stateDict.get(key).longs()[0]);
    }

    /** The network's parameters under their PyTorch state-dict names, copied to host memory. */
    public LinkedHashMap<String, HostTensor> stateDict() {
        requireInitialized();
        LinkedHashMap<String, HostTensor> stateDict = new LinkedHashMap<>();
        parameters.forEach((key, parameter) -> {
            NDArray array = parameter.getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException(key + " is " + array.getDataType() + ", expected float32");
            }
            stateDict.put(key, HostTensor.ofFloats(array.toFloatArray(), array.getShape().getShape()));
            String counter = key.replaceFirst("\\.running_var$", ".num_batches_tracked");
            if (batchCounters.containsKey(counter)) {
                stateDict.put(counter, HostTensor.ofLongs(new long[] {batchCounters.get(counter)}));
            }
        });
        return stateDict;
    }

    private void requireInitialized() {
        if (!block.isInitialized()) {
            throw new IllegalStateException("initialize the network before reading or writing its parameters");
        }
    }
}
