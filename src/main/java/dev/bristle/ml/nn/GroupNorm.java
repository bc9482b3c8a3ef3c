package dev.bristle.ml.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.Arrays;

/**
 * PyTorch's {@code nn.GroupNorm} (affine), which DJL lacks: each sample's channels are split into {@code groups}
 * groups, each normalized by its own mean and biased variance, then scaled by {@code weight} and shifted by
 * {@code bias} per channel. With one group per channel it is BEARD's "instancenorm".
 */
public final class GroupNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int groups;
    private final int channels;
    private final float epsilon;
    private final Parameter weight;
    private final Parameter bias;

    public GroupNorm(int groups, int channels, float epsilon) {
        super(VERSION);
        if (groups < 1 || channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels cannot be split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.epsilon = epsilon;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).build());
    }

    /** One group per channel, eps 1e-5: BEARD's instance norm. */
    public static GroupNorm instanceNorm(int channels) {
        return new GroupNorm(channels, channels, 1e-5f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Shape shape = input.getShape();
        if (shape.dimension() < 2 || shape.get(1) != channels) {
            throw new IllegalArgumentException("GroupNorm over " + channels + " channels got input of shape " + shape);
        }
        NDArray scale = parameterStore.getValue(weight, input.getDevice(), training);
        NDArray shift = parameterStore.getValue(bias, input.getDevice(), training);

        // PyTorch's own trick for instance norm: the samples' groups become the channels of one batch-norm batch,
        // so one native kernel (and its fused backward) normalizes with each group's mean and biased variance.
        long rows = shape.get(0) * groups;
        NDManager manager = input.getManager();
        NDArray grouped = input.reshape(1, rows, -1);
        NDArray unusedRunningMean = manager.zeros(new Shape(rows));
        NDArray unusedRunningVariance = manager.ones(new Shape(rows));
        if (groups == channels) {
            NDArray rowScale = scale.tile(shape.get(0));
            NDArray rowShift = shift.tile(shape.get(0));
            return new NDList(BatchNorm.batchNorm(grouped, unusedRunningMean, unusedRunningVariance, rowScale, rowShift,
                    1, 0.1f, epsilon, true).singletonOrThrow().reshape(shape));
        }
        NDArray normalized = BatchNorm.batchNorm(grouped, unusedRunningMean, unusedRunningVariance,
                manager.ones(new Shape(rows)), manager.zeros(new Shape(rows)), 1, 0.1f, epsilon, true)
                .singletonOrThrow().reshape(shape);
        long[] perChannel = new long[shape.dimension()];
        Arrays.fill(perChannel, 1);
        perChannel[1] = channels;
        Shape broadcast = new Shape(perChannel);
        return new NDList(normalized.mul(scale.reshape(broadcast)).add(shift.reshape(broadcast)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public String toString() {
        return "GroupNorm(" + groups + ", " + channels + ", eps=" + epsilon + ")";
    }
}
