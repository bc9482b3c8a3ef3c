package dev.bristle.ml.torch;

import dev.bristle.input.InvalidInputException;

import java.util.Arrays;
import java.util.Map;

/** Sanity checks on tensors read from files. */
public final class TensorChecks {

    private TensorChecks() {
    }

    /** Fails on the first NaN or infinity, naming the tensor, the flat index and its position in the shape. */
    public static void requireFinite(String what, HostTensor tensor) {
        if (tensor.dtype() != HostTensor.DType.FLOAT32) return;
        float[] values = tensor.floats();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new InvalidInputException(what + " has a non-finite value " + values[i] + " at flat index "
                        + i + " (position " + Arrays.toString(position(i, tensor.shape())) + " in shape "
                        + tensor.shapeString() + ")");
            }
        }
    }

    public static void requireFinite(Map<String, HostTensor> tensors, String source) {
        tensors.forEach((name, tensor) -> requireFinite("tensor " + name + " of " + source, tensor));
    }

    private static long[] position(long flat, long[] shape) {
        long[] position = new long[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            position[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return position;
    }
}
