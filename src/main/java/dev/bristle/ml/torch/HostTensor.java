package dev.bristle.ml.torch;

import java.util.Arrays;

/**
 * A tensor held in plain Java memory, as read from or written to a checkpoint file. The compute core turns it into
 * an NDArray when it needs one; everything that parses files stays free of native memory.
 *
 * @param dtype element type as stored
 * @param shape dimensions, outermost first (row-major, contiguous)
 * @param data  elements in row-major order: a {@code float[]} for FLOAT32, a {@code long[]} for INT64,
 *              a {@code byte[]} for UINT8
 */
public record HostTensor(DType dtype, long[] shape, Object data) {

    public enum DType { FLOAT32, INT64, UINT8 }

    public HostTensor {
        shape = shape.clone();
        long expected = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        int actual = switch (dtype) {
            case FLOAT32 -> ((float[]) data).length;
            case INT64 -> ((long[]) data).length;
            case UINT8 -> ((byte[]) data).length;
        };
        if (expected != actual) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + expected + " elements, data has " + actual);
        }
    }

    public static HostTensor ofFloats(float[] data, long... shape) {
        return new HostTensor(DType.FLOAT32, shape, data);
    }

    public static HostTensor ofLongs(long[] data, long... shape) {
        return new HostTensor(DType.INT64, shape, data);
    }

    public float[] floats() {
        if (dtype != DType.FLOAT32) throw new IllegalStateException("tensor is " + dtype + ", not FLOAT32");
        return (float[]) data;
    }

    public long[] longs() {
        if (dtype != DType.INT64) throw new IllegalStateException("tensor is " + dtype + ", not INT64");
        return (long[]) data;
    }

    public long elementCount() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    public String shapeString() {
        return Arrays.toString(shape);
    }
}
