package dev.bristle.files;

import dev.bristle.config.BristleConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Blobs as files: distilled sets under {@code bristle.dataset-pool-dir}, trained students under
 * {@code bristle.trained-model-dir}. Instances on other machines reach them only through a shared volume.
 */
@ApplicationScoped
@Typed(FileBlobStore.class)
public class FileBlobStore implements BlobStore {

    @Inject
    BristleConfig config;

    @Override
    public void moveIn(Area area, String name, Path file) throws IOException {
        Path target = path(area, name);
        Files.createDirectories(target.getParent());
        // Callers make their temporary files inside the pool folders, so this is a rename.
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public boolean exists(Area area, String name) {
        return Files.isRegularFile(path(area, name));
    }

    @Override
    public Path local(Area area, String name) throws IOException {
        Path file = path(area, name);
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
        return file;
    }

    @Override
    public void delete(Area area, String name) throws IOException {
        Files.deleteIfExists(path(area, name));
    }

    @Override
    public String describe() {
        // By their settings: job pages show this, and where the server keeps its folders is not theirs to show.
        return "the pool folders (bristle.dataset-pool-dir, bristle.trained-model-dir)";
    }

    private Path path(Area area, String name) {
        Path root = switch (area) {
            case DATASETS -> config.datasetPoolDir();
            case STUDENTS -> config.trainedModelDir();
            case BUNDLES -> config.datasetPoolDir().resolve("bundles");
        };
        Path file = root.resolve(name).normalize();
        if (!file.startsWith(root.normalize())) throw new IllegalArgumentException("blob name outside its area: " + name);
        return file;
    }
}
