package dev.bristle.ml.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The files of one dataset split found in a data directory, and the format to read them with.
 *
 * @param files for CIFAR the batch files in order; for IDX the image file then the label file; for TinyImageNet the
 *              {@code tiny-imagenet-200} folder
 */
public record DatasetFiles(DatasetKind kind, Split split, Format format, List<Path> files) {

    public enum Format { CIFAR_PYTHON, CIFAR_BINARY, TINY_IMAGENET, IDX }

    public DatasetFiles {
        files = List.copyOf(files);
    }

    public ImageSet read() throws IOException {
        return switch (format) {
            case CIFAR_PYTHON -> CifarPickleReader.read(kind, files);
            case CIFAR_BINARY -> CifarBinaryReader.read(kind, files);
            case IDX -> IdxReader.read(kind, files.get(0), files.get(1));
            case TINY_IMAGENET -> split == Split.TEST ? TinyImageNetReader.readValidation(files.get(0))
                    : TinyImageNetReader.readTrain(files.get(0));
        };
    }
}
