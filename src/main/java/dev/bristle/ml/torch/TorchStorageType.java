package dev.bristle.ml.torch;

import java.util.Arrays;
import java.util.Optional;

/** The legacy typed storage classes ({@code torch.FloatStorage} ...) that torch still names in persistent ids. */
public enum TorchStorageType {
    FloatStorage(ElementType.FLOAT32),
    HalfStorage(ElementType.FLOAT16),
    BFloat16Storage(ElementType.BFLOAT16),
    DoubleStorage(ElementType.FLOAT64),
    LongStorage(ElementType.INT64),
    IntStorage(ElementType.INT32),
    ShortStorage(ElementType.INT16),
    CharStorage(ElementType.INT8),
    ByteStorage(ElementType.UINT8),
    BoolStorage(ElementType.BOOL);

    private final ElementType elementType;

    TorchStorageType(ElementType elementType) {
        this.elementType = elementType;
    }

    public ElementType elementType() {
        return elementType;
    }

    public static Optional<TorchStorageType> byClassName(String name) {
        return Arrays.stream(values()).filter(t -> t.name().equals(name)).findFirst();
    }

    public static TorchStorageType forHostType(HostTensor.DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> FloatStorage;
            case INT64 -> LongStorage;
            case UINT8 -> ByteStorage;
        };
    }
}
