package dev.bristle.ml.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.bristle.ml.engine.Djl;
import dev.bristle.ml.torch.HostTensor;

import java.util.Arrays;
import java.util.Map;

/**
 * A ConvNet that takes images in pixel space ([0, 1], NCHW) and applies the dataset's mean/std normalization itself,
 * so attacks can bound and clamp perturbations on pixels. Owns the DJL {@link Model} holding the weights.
 */
public final class PixelSpaceModel implements AutoCloseable {

    private final ConvNet network;
    private final Model model;
    private final ParameterStore inferenceStore;

    private PixelSpaceModel(ConvNet network, float[] mean, float[] std, Device device) {
        int channels = network.spec().channels();
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("a " + channels + "-channel network needs " + channels
                    + " means and stds, found " + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (float s : std) {
            if (!(s > 0)) throw new IllegalArgumentException("std must be positive, found " + Arrays.toString(std));
        }
        Djl.engine();
        this.network = network;
        this.model = Model.newInstance("convnet", device, "PyTorch");
        NDManager manager = model.getNDManager();
        Shape perChannel = new Shape(1, channels, 1, 1);
        NDArray meanArray = manager.create(mean, perChannel);
        NDArray stdArray = manager.create(std, perChannel);
        // Called on the input, so the normalized batch belongs to the batch's manager, not the model's.
        LambdaBlock normalize = LambdaBlock.singleton(pixels -> pixels.sub(meanArray).div(stdArray), "normalize");
        model.setBlock(new SequentialBlock().add(normalize).add(network.block()));
        model.getBlock().initialize(manager, DataType.FLOAT32, network.inputShape(1));
        inferenceStore = new ParameterStore(manager, false);
    }

    /** A network of the given shape with DJL's default random initialization. */
    public static PixelSpaceModel randomlyInitialized(ConvNetSpec spec, float[] mean, float[] std, Device device) {
        return new PixelSpaceModel(new ConvNet(spec), mean, std, device);
    }

    /**
     * A network built from a BEARD state dict, its architecture inferred from the weights' shapes
     * ({@link ConvNetSpec#infer}).
     */
    public static PixelSpaceModel fromStateDict(Map<String, HostTensor> stateDict, int imageSize, float[] mean,
                                                float[] std, Device device) {
        PixelSpaceModel model = new PixelSpaceModel(new ConvNet(ConvNetSpec.infer(stateDict, imageSize)), mean, std,
                device);
        try {
            model.network.loadStateDict(stateDict);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    public ConvNet network() {
        return network;
    }

    public ConvNetSpec spec() {
        return network.spec();
    }

    /** The DJL model (normalization + ConvNet): give it to {@code model.newTrainer(...)} to train on pixels. */
    public Model model() {
        return model;
    }

    /** Manager for one batch: close it after the batch so its arrays' native memory is freed at once. */
    public NDManager newBatchManager() {
        return model.getNDManager().newSubManager();
    }

    /** Logits (N, classes) of pixel-space images (N, C, H, W) in inference mode; they belong to the input's manager. */
    public NDArray logits(NDArray pixels) {
        return model.getBlock().forward(inferenceStore, new NDList(pixels), false).singletonOrThrow();
    }

    /**
     * {@link #logits} of a forward-only pass, which nothing differentiates: PyTorch records nothing for autograd, and
     * the instance norm takes its cheaper way ({@link GroupNorm}).
     */
    public NDArray logitsWithoutGradient(NDArray pixels) {
        return Djl.withoutGradients(() -> logits(pixels));
    }

    @Override
    public void close() {
        model.close();
    }
}
