package dev.bristle.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.bristle.ml.torch.HostTensor;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * K BEARD ConvNets of one {@link ConvNetSpec} side by side in one network, so they train in one pass: student k's
 * input channels, filters and normalization channels are the k-th block of each layer's (convolutions grouped K
 * ways, instance norm per channel, pooling and ReLU per channel), and the classifier is a batched matrix product of
 * the K flattened feature maps with the K weight matrices. Input (N, K * channels, H, W), student k's image in
 * channels [k * channels, (k + 1) * channels); output logits (N, K, classes). Nothing mixes across students, so each
 * student's gradients are those it would have alone.
 *
 * <p>Parameters convert from and to K ordinary {@link ConvNet} state dicts, with PyTorch's names and shapes.
 */
public final class GroupedConvNet {

    private final ConvNetSpec spec;
    private final int students;
    private final SequentialBlock block = new SequentialBlock();
    /** A single student's state-dict name -> the grouped parameter holding all K students' values of it. */
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();

    public GroupedConvNet(ConvNetSpec spec, int students) {
        if (spec.norm() == NormLayer.BATCHNORM) {
            throw new IllegalArgumentException("batch norm keeps running statistics per student: train one by one");
        }
        if (students < 1) throw new IllegalArgumentException("student count must be positive, not " + students);
        this.spec = spec;
        this.students = students;
        int index = 0;
        for (int b = 0; b < spec.depth(); b++) {
            int padding = spec.padding(b);
            add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(padding, padding))
                    .setFilters(spec.width() * students).optGroups(students).build(), "features." + index++);
            if (spec.norm() == NormLayer.INSTANCENORM) {
                add(GroupNorm.instanceNorm(spec.width() * students), "features." + index++);
            }
            index += ConvNet.addReluAndPooling(block, spec.pooling());
        }
        block.add(Blocks.batchFlattenBlock());
        add(new Classifiers(students, spec.classifierInputs(), spec.classes()), "classifier");
    }

    private void add(Block layer, String prefix) {
        block.add(layer);
        parameters.put(prefix + ".weight", layer.getParameters().get("weight"));
        parameters.put(prefix + ".bias", layer.getParameters().get("bias"));
    }

    public ConvNetSpec spec() {
        return spec;
    }

    public int students() {
        return students;
    }

    public SequentialBlock block() {
        return block;
    }

    /** Input shape for a batch of {@code batchSize} images per student. */
    public Shape inputShape(long batchSize) {
        return new Shape(batchSize, (long) spec.channels() * students, spec.imageSize(), spec.imageSize());
    }

    /** Writes student k's state dict (a {@link ConvNet}'s names and shapes) into block k of every parameter. */
    public void loadStudents(List<? extends Map<String, HostTensor>> stateDicts) {
        if (stateDicts.size() != students) {
            throw new IllegalArgumentException(students + " students need " + students + " state dicts, not "
                    + stateDicts.size());
        }
        parameters.forEach((key, parameter) -> {
            NDArray array = parameter.getArray();
            float[] values = new float[Math.toIntExact(array.getShape().size())];
            int per = values.length / students;
            for (int k = 0; k < students; k++) {
                float[] student = stateDicts.get(k).get(key).floats();
                if (student.length != per) {
                    throw new IllegalArgumentException(key + " of student " + k + " has " + student.length
                            + " values, expected " + per);
                }
                System.arraycopy(student, 0, values, k * per, per);
            }
            array.set(FloatBuffer.wrap(values));
        });
    }

    /** The K students' state dicts, as {@link ConvNet#stateDict()} gives a single student's. */
    public List<LinkedHashMap<String, HostTensor>> studentStateDicts(Map<String, HostTensor> singleTemplate) {
        List<LinkedHashMap<String, HostTensor>> result = new ArrayList<>();
        for (int k = 0; k < students; k++) result.add(new LinkedHashMap<>());
        for (Map.Entry<String, HostTensor> entry : singleTemplate.entrySet()) {
            Parameter parameter = parameters.get(entry.getKey());
            if (parameter == null) {
                throw new IllegalArgumentException("the grouped network has no parameter " + entry.getKey());
            }
            NDArray array = parameter.getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException(entry.getKey() + " is " + array.getDataType() + ", expected float32");
            }
            float[] values = array.toFloatArray();
            int per = values.length / students;
            for (int k = 0; k < students; k++) {
                float[] student = new float[per];
                System.arraycopy(values, k * per, student, 0, per);
                result.get(k).put(entry.getKey(), HostTensor.ofFloats(student, entry.getValue().shape()));
            }
        }
        return result;
    }

    /**
     * K linear classifiers: input (N, K * F), student k's features in [k * F, (k + 1) * F); weight (K, classes, F) and
     * bias (K, classes) as K PyTorch {@code Linear} layers; output (N, K, classes).
     */
    static final class Classifiers extends AbstractBlock {

        private static final byte VERSION = 1;

        private final int students;
        private final int features;
        private final int classes;
        private final Parameter weight;
        private final Parameter bias;

        Classifiers(int students, int features, int classes) {
            super(VERSION);
            this.students = students;
            this.features = features;
            this.classes = classes;
            weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(students, classes, features)).build());
            bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                    .optShape(new Shape(students, classes)).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                         PairList<String, Object> params) {
            NDArray input = inputs.singletonOrThrow();
            long n = input.getShape().get(0);
            NDManager manager = input.getManager();
            NDArray w = parameterStore.getValue(weight, input.getDevice(), training);
            NDArray b = parameterStore.getValue(bias, input.getDevice(), training);
            // (K, N, F) x (K, F, classes) -> (K, N, classes), then (N, K, classes).
            NDArray perStudent = input.reshape(n, students, features).transpose(1, 0, 2);
            NDArray wT = onBatch(w.transpose(0, 2, 1), manager);
            NDArray shift = onBatch(b.reshape(students, 1, classes), manager);
            return new NDList(perStudent.matMul(wT).add(shift).transpose(1, 0, 2));
        }

        /** A result derived from a parameter lands in the model's manager; free it with the batch instead. */
        private static NDArray onBatch(NDArray derivedFromParameter, NDManager batch) {
            derivedFromParameter.attach(batch);
            return derivedFromParameter;
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {new Shape(inputShapes[0].get(0), students, classes)};
        }
    }
}
