package dev.bristle.ml.torch;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Materializes a strided view of a storage (torch's offset, size, stride) as a contiguous {@link HostTensor}. */
public final class StridedView {

    private static final int MAX_DIMENSIONS = 16;

    private StridedView() {
    }

    /**
     * @param what     names the tensor in error messages
     * @param source   elements in the byte order they are stored
     * @param type     element type of {@code source}
     * @param offset   index of the first element, in elements
     * @param shape    view sizes
     * @param stride   view strides, in elements
     */
    public static HostTensor materialize(String what, ByteBuffer source, ElementType type, long offset, long[] shape,
                                         long[] stride) throws TorchFormatException {
        if (type.hostType() == null) {
            throw new TorchFormatException(what + " holds " + type + " elements; Bristle keeps tensors as float32, int64"
                    + " or uint8 and would lose precision: convert with .float() before saving");
        }
        if (shape.length > MAX_DIMENSIONS || stride.length > MAX_DIMENSIONS) {
            throw new TorchFormatException(what + " has " + Math.max(shape.length, stride.length) + " dimensions; at"
                    + " most " + MAX_DIMENSIONS + " are accepted");
        }
        if (shape.length != stride.length) {
            throw new TorchFormatException(what + ": size " + Arrays.toString(shape) + " and stride "
                    + Arrays.toString(stride) + " have different lengths");
        }
        long count = 1;
        long lastIndex = offset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || stride[d] < 0) {
                throw new TorchFormatException(what + ": negative size or stride in size " + Arrays.toString(shape)
                        + " stride " + Arrays.toString(stride));
            }
            count = Math.multiplyExact(count, shape[d]);
            if (shape[d] > 0) lastIndex = Math.addExact(lastIndex, Math.multiplyExact(shape[d] - 1, stride[d]));
        }
        long available = source.capacity() / type.byteSize();
        if (offset < 0 || (count > 0 && lastIndex >= available)) {
            throw new TorchFormatException(what + ": view with offset " + offset + ", size " + Arrays.toString(shape)
                    + " and stride " + Arrays.toString(stride) + " needs " + (lastIndex + 1)
                    + " storage elements, the storage has " + available);
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new TorchFormatException(what + ": " + count + " elements exceed what one Java array holds");
        }
        int n = (int) count;
        Object target = type.newHostArray(n);
        if (isContiguous(shape, stride)) {
            for (int i = 0; i < n; i++) type.copyElement(source, offset + i, target, i);
        } else {
            copyStrided(source, type, offset, shape, stride, target, n);
        }
        return new HostTensor(type.hostType(), shape, target);
    }

    /**
     * The bytes a view of this shape takes once materialized (elements widened to their host type), to be counted
     * before it is; 0 for a shape or type that {@link #materialize} refuses anyway.
     */
    static long hostBytes(ElementType type, long[] shape) {
        if (type.hostType() == null) return 0;
        long count = 1;
        for (long d : shape) {
            if (d < 0) return 0;
            count = Math.multiplyExact(count, d);
        }
        return Math.multiplyExact(count, type.hostByteSize());
    }

    private static void copyStrided(ByteBuffer source, ElementType type, long offset, long[] shape, long[] stride,
                                    Object target, int n) {
        long[] position = new long[shape.length];
        long sourceIndex = offset;
        for (int i = 0; i < n; i++) {
            type.copyElement(source, sourceIndex, target, i);
            for (int d = shape.length - 1; d >= 0; d--) { // odometer: advance the innermost dimension first
                position[d]++;
                sourceIndex += stride[d];
                if (position[d] < shape[d]) break;
                sourceIndex -= position[d] * stride[d];
                position[d] = 0;
            }
        }
    }

    static boolean isContiguous(long[] shape, long[] stride) {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public static long[] contiguousStrides(long[] shape) {
        long[] stride = new long[shape.length];
        long step = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            stride[d] = step;
            step *= shape[d];
        }
        return stride;
    }
}
