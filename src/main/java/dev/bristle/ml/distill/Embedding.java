package dev.bristle.ml.distill;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.nn.ConvNet;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.train.TorchDefaultInitialization;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * A BEARD ConvNet used as a feature extractor ({@link ConvNet#features}) on images normalized with the dataset's
 * mean and std, with frozen weights: gradients flow only to inputs that ask for them. Owns its DJL model.
 */
final class Embedding implements AutoCloseable {

    private final ConvNet network;
    private final Model model;
    private final ParameterStore store;

    Embedding(ConvNetSpec spec, Device device) {
        Djl.engine();
        network = new ConvNet(spec);
        model = Model.newInstance("embedding", device, "PyTorch");
        model.setBlock(network.block());
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, network.inputShape(1));
        for (Parameter parameter : model.getBlock().getParameters().values()) {
            parameter.getArray().setRequiresGradient(false);
        }
        store = new ParameterStore(model.getNDManager(), false);
    }

    /** PyTorch's default initialization drawn from {@code random}: DM's randomly initialized network of a step. */
    void randomize(SplittableRandom random) {
        network.loadStateDict(TorchDefaultInitialization.stateDict(network.stateDict(), random));
    }

    void load(Map<String, HostTensor> stateDict) {
        network.loadStateDict(stateDict);
    }

    ConvNet network() {
        return network;
    }

    /** Values per image of the embedding. */
    int dimension() {
        return network.spec().classifierInputs();
    }

    NDManager newManager() {
        return model.getNDManager().newSubManager();
    }

    /** Features (N, dimension) of normalized images (N, C, H, W), in the input's manager. */
    NDArray features(NDArray normalized) {
        return network.features(store, normalized, false);
    }

    /** Features of {@code count} normalized images on the host, row after row, computed {@code batch} at a time. */
    float[] hostFeatures(float[] normalized, int count, int batch) {
        int length = normalized.length / count;
        int dimension = dimension();
        float[] out = new float[count * dimension];
        for (int start = 0; start < count; start += batch) {
            int n = Math.min(batch, count - start);
            try (NDManager manager = newManager()) {
                NDArray input = manager.create(java.util.Arrays.copyOfRange(normalized, start * length,
                        (start + n) * length), network.inputShape(n));
                System.arraycopy(features(input).toFloatArray(), 0, out, start * dimension, n * dimension);
            }
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
