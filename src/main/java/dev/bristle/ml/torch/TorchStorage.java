package dev.bristle.ml.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One storage of a checkpoint: raw little-endian bytes of {@code data/<key>} and the element type its persistent id
 * names.
 *
 * @param name  where the bytes came from, for messages (for example {@code archive/data/3 in model.pth})
 * @param type  the storage class of the persistent id
 * @param bytes the raw storage bytes
 */
public record TorchStorage(String name, TorchStorageType type, ByteBuffer bytes) {

    public TorchStorage {
        bytes = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }
}
