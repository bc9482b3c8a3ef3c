package dev.bristle.ml.data;

/** Conversion of 8-bit pixel values to the [0, 1] floats of {@link ImageSet}, as torchvision's ToTensor does. */
final class Pixels {

    private Pixels() {
    }

    static void toUnit(byte[] source, int sourceOffset, float[] target, int targetOffset, int length) {
        for (int i = 0; i < length; i++) target[targetOffset + i] = (source[sourceOffset + i] & 0xff) / 255f;
    }
}
