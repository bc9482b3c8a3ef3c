package dev.bristle.ml.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchUploaderTest {

    @Test
    void uploadedArraysKeepTheirValuesWhenTheBufferIsReused() {
        Djl.engine();
        float[] source = {1, 2, 3, 4, 5, 6, 7, 8};
        BatchUploader uploader = new BatchUploader(6);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray first = uploader.upload(manager, source, 0, new Shape(2, 3));
            NDArray second = uploader.upload(manager, source, 4, new Shape(4));
            assertEquals(new Shape(2, 3), first.getShape());
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, first.toFloatArray());
            assertArrayEquals(new float[] {5, 6, 7, 8}, second.toFloatArray());
            assertEquals(manager, first.getManager());
        }
    }

    @Test
    void uploadBeyondCapacityIsRefused() {
        Djl.engine();
        BatchUploader uploader = new BatchUploader(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> uploader.upload(manager, new float[4], 0, new Shape(4)));
            assertEquals("upload of 4 floats exceeds the uploader's capacity of 3", error.getMessage());
        }
    }
}
