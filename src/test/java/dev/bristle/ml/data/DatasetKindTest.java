package dev.bristle.ml.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DatasetKindTest {

    @Test
    void acceptsTheUsualSpellings() {
        assertEquals(DatasetKind.CIFAR10, DatasetKind.fromName("CIFAR-10"));
        assertEquals(DatasetKind.CIFAR10, DatasetKind.fromName("cifar10"));
        assertEquals(DatasetKind.CIFAR100, DatasetKind.fromName("Cifar_100"));
        assertEquals(DatasetKind.TINY_IMAGENET, DatasetKind.fromName("TinyImageNet"));
        assertEquals(DatasetKind.TINY_IMAGENET, DatasetKind.fromName("tiny-imagenet-200"));
        assertEquals(DatasetKind.MNIST, DatasetKind.fromName("mnist"));
        assertEquals(DatasetKind.FASHION_MNIST, DatasetKind.fromName("FashionMNIST"));
        assertEquals(DatasetKind.FASHION_MNIST, DatasetKind.fromName("fashion_mnist"));
    }

    @Test
    void namesTheKnownDatasetsWhenTheNameIsUnknown() {
        var e = assertThrows(IllegalArgumentException.class, () -> DatasetKind.fromName("ImageNet-1k"));
        assertEquals("unknown dataset 'ImageNet-1k'; known: CIFAR-10, CIFAR-100, TinyImageNet, MNIST, Fashion-MNIST",
                e.getMessage());
    }

    @Test
    void carriesShapeAndNormalization() {
        assertEquals(100, DatasetKind.CIFAR100.classCount());
        assertEquals(64, DatasetKind.TINY_IMAGENET.imageSize());
        assertEquals(1, DatasetKind.FASHION_MNIST.channels());
        assertArrayEquals(new float[]{0.2023f, 0.1994f, 0.2010f}, DatasetKind.CIFAR10.std());
        assertArrayEquals(new float[]{0.2860f}, DatasetKind.FASHION_MNIST.mean());
    }
}
