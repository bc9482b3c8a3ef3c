package dev.bristle.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** An absolute path in a message becomes its file's name; addresses, fractions and relative names stay. */
class ServerPathsTest {

    @Test
    void absolutePathsBecomeTheirFilesNames() {
        assertEquals("MNIST train set not found under data. Put train-images-idx3-ubyte, train-labels-idx1-ubyte"
                        + " (each may stay .gz).",
                ServerPaths.hide("MNIST train set not found under /srv/bristle/data. Put"
                        + " /srv/bristle/data/MNIST/raw/train-images-idx3-ubyte,"
                        + " /srv/bristle/data/MNIST/raw/train-labels-idx1-ubyte (each may stay .gz)."));
        assertEquals("java.nio.file.NoSuchFileException: upload-123.part",
                ServerPaths.hide("java.nio.file.NoSuchFileException: /tmp/uploads/../pool/tmp/upload-123.part"));
        assertEquals("nothing under tmp (a folder)", ServerPaths.hide("nothing under /tmp/ (a folder)"));
    }

    @Test
    void addressesFractionsAndRelativeNamesStay() {
        String text = "from https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz at eps 8/255,"
                + " and/or cifar-10-batches-py/test_batch";
        assertEquals(text, ServerPaths.hide(text));
        assertNull(ServerPaths.hide(null));
    }
}
