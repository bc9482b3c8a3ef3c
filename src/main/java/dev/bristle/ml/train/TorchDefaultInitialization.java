package dev.bristle.ml.train;

import dev.bristle.ml.torch.HostTensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PyTorch's default initial values for the layers of BEARD's ConvNet, drawn from a seeded host random source:
 * {@code Conv2d} and {@code Linear} weights and biases uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)) (kaiming_uniform
 * with a = sqrt(5) reduces to that bound), normalization weights 1 and biases 0, running means 0 and variances 1.
 */
public final class TorchDefaultInitialization {

    private TorchDefaultInitialization() {
    }

    /**
     * Fresh values for every entry of {@code template} (a network's state dict, used for its names and shapes), in the
     * template's order.
     */
    public static LinkedHashMap<String, HostTensor> stateDict(Map<String, HostTensor> template, SplittableRandom random) {
        LinkedHashMap<String, HostTensor> values = new LinkedHashMap<>();
        for (Map.Entry<String, HostTensor> entry : template.entrySet()) {
            String key = entry.getKey();
            HostTensor shapeOf = entry.getValue();
            if (shapeOf.dtype() == HostTensor.DType.INT64) {
                values.put(key, HostTensor.ofLongs(new long[(int) shapeOf.elementCount()], shapeOf.shape()));
                continue;
            }
            String layer = key.substring(0, key.lastIndexOf('.'));
            HostTensor layerWeight = template.get(layer + ".weight");
            boolean learnedLayer = layerWeight != null && layerWeight.shape().length >= 2;
            float[] data = new float[(int) shapeOf.elementCount()];
            if (learnedLayer && (key.endsWith(".weight") || key.endsWith(".bias"))) {
                long fanIn = layerWeight.elementCount() / layerWeight.shape()[0];
                double bound = 1.0 / Math.sqrt(fanIn);
                for (int i = 0; i < data.length; i++) data[i] = (float) random.nextDouble(-bound, bound);
            } else if (key.endsWith(".weight") || key.endsWith(".running_var")) {
                Arrays.fill(data, 1f);
            }
            values.put(key, HostTensor.ofFloats(data, shapeOf.shape()));
        }
        return values;
    }
}
