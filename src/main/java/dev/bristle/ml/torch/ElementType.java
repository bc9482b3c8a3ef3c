package dev.bristle.ml.torch;

import java.nio.ByteBuffer;

/**
 * Element types found in torch storages and numpy arrays, with the exact widening each gets into a {@link HostTensor}
 * (half precision to float32, small integers to int64, bool to uint8). float64 has no lossless target and is refused.
 */
public enum ElementType {
    FLOAT32(4, HostTensor.DType.FLOAT32),
    FLOAT16(2, HostTensor.DType.FLOAT32),
    BFLOAT16(2, HostTensor.DType.FLOAT32),
    FLOAT64(8, null),
    INT64(8, HostTensor.DType.INT64),
    INT32(4, HostTensor.DType.INT64),
    INT16(2, HostTensor.DType.INT64),
    INT8(1, HostTensor.DType.INT64),
    UINT8(1, HostTensor.DType.UINT8),
    BOOL(1, HostTensor.DType.UINT8);

    private final int byteSize;
    private final HostTensor.DType hostType;

    ElementType(int byteSize, HostTensor.DType hostType) {
        this.byteSize = byteSize;
        this.hostType = hostType;
    }

    public int byteSize() {
        return byteSize;
    }

    /** The host type this element type widens to, or null when none holds it exactly. */
    public HostTensor.DType hostType() {
        return hostType;
    }

    /** Bytes of one element once widened to its host type. */
    int hostByteSize() {
        return switch (hostType) {
            case FLOAT32 -> 4;
            case INT64 -> 8;
            case UINT8 -> 1;
        };
    }

    Object newHostArray(int length) {
        return switch (hostType) {
            case FLOAT32 -> new float[length];
            case INT64 -> new long[length];
            case UINT8 -> new byte[length];
        };
    }

    /** Copies element {@code sourceIndex} of {@code source} (byte order already set) into {@code target[targetIndex]}. */
    void copyElement(ByteBuffer source, long sourceIndex, Object target, int targetIndex) {
        int at = Math.toIntExact(sourceIndex * byteSize);
        switch (this) {
            case FLOAT32 -> ((float[]) target)[targetIndex] = source.getFloat(at);
            case FLOAT16 -> ((float[]) target)[targetIndex] = halfToFloat(source.getShort(at));
            case BFLOAT16 -> ((float[]) target)[targetIndex] = Float.intBitsToFloat((source.getShort(at) & 0xffff) << 16);
            case INT64 -> ((long[]) target)[targetIndex] = source.getLong(at);
            case INT32 -> ((long[]) target)[targetIndex] = source.getInt(at);
            case INT16 -> ((long[]) target)[targetIndex] = source.getShort(at);
            case INT8 -> ((long[]) target)[targetIndex] = source.get(at);
            case UINT8, BOOL -> ((byte[]) target)[targetIndex] = source.get(at);
            case FLOAT64 -> throw new IllegalStateException("float64 has no host type");
        }
    }

    /** IEEE 754 binary16 to binary32, exact (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal: mantissa * 2^-24, exact in float32
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
