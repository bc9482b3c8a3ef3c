package dev.bristle.ml.data;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * TinyImageNet ({@code tiny-imagenet-200/}): class index = position of the wnid in the SORTED {@code wnids.txt}, as
 * torchvision's ImageFolder assigns it; grayscale JPEGs become three identical channels.
 */
public final class TinyImageNetReader {

    private static final int SIZE = 64;

    private TinyImageNetReader() {
    }

    /** Class wnids in class-index order. */
    public static List<String> classIds(Path root) throws IOException {
        Path file = root.resolve("wnids.txt");
        List<String> wnids = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).sorted().toList();
        if (wnids.size() != DatasetKind.TINY_IMAGENET.classCount() || wnids.stream().distinct().count() != wnids.size()) {
            throw new DatasetFormatException(file + " lists " + wnids.size() + " wnids ("
                    + wnids.stream().distinct().count() + " distinct); TinyImageNet has 200");
        }
        return wnids;
    }

    /** The validation split, in the order of {@code val/val_annotations.txt} (val_0 first). */
    public static ImageSet readValidation(Path root) throws IOException {
        return readValidation(root, Integer.MAX_VALUE);
    }

    /** The first {@code limit} images of the validation split (decoding all 10,000 JPEGs takes seconds). */
    public static ImageSet readValidation(Path root, int limit) throws IOException {
        Map<String, Integer> classIndex = indexOf(classIds(root));
        Path annotations = root.resolve("val/val_annotations.txt");
        List<Path> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(annotations, StandardCharsets.UTF_8)) {
            if (images.size() == limit) break;
            lineNumber++;
            if (line.isBlank()) continue;
            String[] fields = line.split("\t");
            Integer label = fields.length >= 2 ? classIndex.get(fields[1]) : null;
            if (label == null) {
                throw new DatasetFormatException(annotations + " line " + lineNumber + ": expected '<file>\\t<wnid>\\t...'"
                        + " with a wnid of wnids.txt, found '" + line + "'");
            }
            images.add(root.resolve("val/images").resolve(fields[0]));
            labels.add(label);
        }
        return decode(images, labels);
    }

    /** The training split: {@code train/<wnid>/images/*.JPEG}, classes in index order, files sorted by name. */
    public static ImageSet readTrain(Path root) throws IOException {
        List<String> wnids = classIds(root);
        List<Path> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < wnids.size(); c++) {
            Path folder = root.resolve("train").resolve(wnids.get(c)).resolve("images");
            try (var files = Files.list(folder)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".JPEG")).sorted().toList()) {
                    images.add(file);
                    labels.add(c);
                }
            }
        }
        return decode(images, labels);
    }

    private static ImageSet decode(List<Path> images, List<Integer> labels) throws IOException {
        int pixelsPerImage = 3 * SIZE * SIZE;
        float[] pixels = new float[Math.multiplyExact(images.size(), pixelsPerImage)];
        try {
            IntStream.range(0, images.size()).parallel()
                    .forEach(i -> decodeInto(images.get(i), pixels, i * pixelsPerImage));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        int[] labelArray = labels.stream().mapToInt(Integer::intValue).toArray();
        return new ImageSet(pixels, labelArray, images.size(), 3, SIZE, SIZE, DatasetKind.TINY_IMAGENET.classCount());
    }

    /** Writes one JPEG as CHW floats; reads raster samples directly so no colour-space conversion alters values. */
    private static void decodeInto(Path file, float[] target, int offset) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) throw new DatasetFormatException(file + " is not a readable JPEG image");
            if (image.getWidth() != SIZE || image.getHeight() != SIZE) {
                throw new DatasetFormatException(file + " is " + image.getWidth() + "x" + image.getHeight()
                        + ", TinyImageNet images are 64x64");
            }
            Raster raster = image.getRaster();
            int bands = raster.getNumBands();
            if (bands != 1 && bands != 3) {
                throw new DatasetFormatException(file + " has " + bands + " colour bands; expected RGB or grayscale");
            }
            int[] samples = raster.getPixels(0, 0, SIZE, SIZE, (int[]) null);
            int plane = SIZE * SIZE;
            for (int p = 0; p < plane; p++) {
                for (int c = 0; c < 3; c++) {
                    target[offset + c * plane + p] = samples[p * bands + (bands == 1 ? 0 : c)] / 255f;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e instanceof DatasetFormatException ? e
                    : new DatasetFormatException("cannot read image " + file + ": " + e.getMessage(), e));
        }
    }

    private static Map<String, Integer> indexOf(List<String> wnids) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < wnids.size(); i++) index.put(wnids.get(i), i);
        return index;
    }
}
