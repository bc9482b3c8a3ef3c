package dev.bristle.datasetpool;

import dev.bristle.config.BristleConfig;
import dev.bristle.ml.data.ClassNames;
import dev.bristle.ml.data.DatasetKind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pictures of a pooled set: the whole set (one row per class) and each class's images, rendered at the first
 * request and cached on disk by the set's SHA-256, so a set is drawn once whatever asks.
 */
@ApplicationScoped
public class DatasetPictures {

    @Inject
    BristleConfig config;

    @Inject
    DatasetPoolService pool;

    /** The set's picture (one row per class). */
    public byte[] grid(DatasetView dataset) throws IOException {
        Path cached = folder().resolve(dataset.sha256() + ".png");
        if (Files.isRegularFile(cached)) return Files.readAllBytes(cached);
        byte[] png = GridRenderer.png(pool.read(dataset), DatasetKind.fromName(dataset.dataset()).classCount());
        writeAtomically(cached, png);
        return png;
    }

    /**
     * The set's classes, each with its name and the address of a picture of its images. Every class has IPC
     * images: uploads with other counts are refused.
     */
    public List<ClassPicture> classPictures(DatasetView dataset) {
        DatasetKind kind = DatasetKind.fromName(dataset.dataset());
        List<String> names = ClassNames.of(kind, config.dataDir());
        int size = kind.imageSize();
        int columns = Math.min(GridRenderer.MAX_COLUMNS, dataset.ipc());
        int lines = (dataset.ipc() + columns - 1) / columns;
        int scale = Math.max(1, 64 / size);
        List<ClassPicture> pictures = new ArrayList<>();
        for (int c = 0; c < kind.classCount(); c++) {
            pictures.add(new ClassPicture(c, names.get(c), dataset.ipc(), dataset.url() + "/classes/" + c + ".png",
                    columns * (size + 1) + 1, lines * (size + 1) + 1, scale));
        }
        return pictures;
    }

    /** The picture of one class's images; all classes are rendered at the first request. */
    public Optional<byte[]> classPicture(DatasetView dataset, int label) throws IOException {
        int classes = DatasetKind.fromName(dataset.dataset()).classCount();
        if (label < 0 || label >= classes) return Optional.empty();
        Path directory = folder().resolve(dataset.sha256());
        Path wanted = directory.resolve("class-" + label + ".png");
        if (Files.isRegularFile(wanted)) return Optional.of(Files.readAllBytes(wanted));
        List<byte[]> pngs = GridRenderer.classPngs(pool.read(dataset), classes);
        for (int c = 0; c < pngs.size(); c++) writeAtomically(directory.resolve("class-" + c + ".png"), pngs.get(c));
        return Optional.of(pngs.get(label));
    }

    private Path folder() {
        return config.datasetPoolDir().resolve("grids");
    }

    /** A reader sees the whole picture or none: written beside it, then renamed into place. */
    private static void writeAtomically(Path target, byte[] png) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), "picture-", ".part");
        try {
            Files.write(temp, png);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
