package dev.bristle.ml.torch;

import java.nio.ByteOrder;

/**
 * A numpy dtype descriptor such as {@code <f4}, {@code |u1} or {@code <i8}, as found in .npy headers and numpy
 * pickles.
 */
public record NumpyDType(ElementType elementType, ByteOrder byteOrder) {

    /** @param descr a type string with an optional byte-order prefix ({@code <}, {@code >}, {@code |}, {@code =}) */
    public static NumpyDType parse(String descr, String where) throws TorchFormatException {
        String code = descr;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (!code.isEmpty() && "<>|=".indexOf(code.charAt(0)) >= 0) {
            if (code.charAt(0) == '>') order = ByteOrder.BIG_ENDIAN;
            code = code.substring(1);
        }
        ElementType type = switch (code) {
            case "f4" -> ElementType.FLOAT32;
            case "f2" -> ElementType.FLOAT16;
            case "f8" -> ElementType.FLOAT64;
            case "i8" -> ElementType.INT64;
            case "i4" -> ElementType.INT32;
            case "i2" -> ElementType.INT16;
            case "i1" -> ElementType.INT8;
            case "u1" -> ElementType.UINT8;
            case "b1" -> ElementType.BOOL;
            default -> throw new TorchFormatException("numpy dtype '" + descr + "' " + where
                    + " is not supported (expected one of f4, f2, i8, i4, i2, i1, u1, b1)");
        };
        return new NumpyDType(type, order);
    }
}
