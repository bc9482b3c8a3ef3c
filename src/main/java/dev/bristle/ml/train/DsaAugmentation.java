package dev.bristle.ml.train;

import dev.bristle.input.InvalidInputException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Differentiable Siamese Augmentation (DSA) as the DC/DSA family's {@code DiffAugment} runs it when a distilled set is
 * evaluated: the strategy is a list of transform groups joined by '_' (BEARD: {@code color_crop_cutout_flip_scale_rotate});
 * for each training batch ONE group is drawn uniformly (the reference's single mode, "S") and applied with fresh
 * random parameters for every image (no Siamese sharing: evaluation passes no seed).
 *
 * <p>The transforms work on host float arrays (NCHW, row-major) in whatever space the images are stored in; for the
 * distilled sets that is the normalized space, so the zeros that crop, cutout, scale and rotate fill in are the
 * dataset's mean colour, exactly as in the reference. The training images are fixed data, so no gradient is needed.
 *
 * <p>Each transform is also exposed with explicit per-image parameters, so it can be checked by hand.
 */
public final class DsaAugmentation {

    /** The transform groups a strategy string may name. */
    public enum Group {
        /** Brightness, then saturation, then contrast. */
        COLOR, CROP, CUTOUT, FLIP, SCALE, ROTATE;

        public String optionName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The reference's {@code ParamDiffAug} defaults.
     *
     * @param flipProbability    chance that an image is mirrored left-right
     * @param scaleRatio         each axis is scaled by a factor drawn from [1/ratio, ratio)
     * @param rotateDegrees      rotation angle drawn from [-degrees, degrees)
     * @param cropPadRatio       translation by up to round(size * ratio) pixels on each axis, zero fill
     * @param cutoutRatio        side of the zeroed square as a fraction of the image side
     * @param brightness         added offset drawn from [-brightness/2, brightness/2)
     * @param saturation         distance from the per-pixel channel mean multiplied by a factor in [0, saturation)
     * @param contrast           distance from the image mean multiplied by a factor in [contrast, contrast + 1)
     */
    public record Parameters(double flipProbability, double scaleRatio, double rotateDegrees, double cropPadRatio,
                             double cutoutRatio, double brightness, double saturation, double contrast) {

        public static final Parameters DEFAULTS = new Parameters(0.5, 1.2, 15.0, 0.125, 0.5, 1.0, 2.0, 0.5);
    }

    /** Shape of a batch of images: count, channels, height, width. */
    public record Dims(int count, int channels, int height, int width) {

        public Dims {
            if (count < 0 || channels < 1 || height < 1 || width < 1) {
                throw new InvalidInputException("invalid image batch shape " + count + "x" + channels + "x"
                        + height + "x" + width);
            }
        }

        public int imageLength() {
            return channels * height * width;
        }

        public int planeLength() {
            return height * width;
        }

        void check(float[] images) {
            if ((long) count * imageLength() != images.length) {
                throw new InvalidInputException(count + " images of " + channels + "x" + height + "x" + width
                        + " need " + (long) count * imageLength() + " values, found " + images.length);
            }
        }
    }

    /** The strategy BEARD (and DSA) evaluate distilled sets with. */
    public static final String BEARD_STRATEGY = "color_crop_cutout_flip_scale_rotate";

    private final String strategy;
    private final List<Group> groups;
    private final Parameters parameters;

    private DsaAugmentation(String strategy, List<Group> groups, Parameters parameters) {
        this.strategy = strategy;
        this.groups = groups;
        this.parameters = parameters;
    }

    /**
     * Parses a strategy string such as {@code color_crop_cutout_flip_scale_rotate}; {@code none} (any case) or an
     * empty string means no augmentation.
     *
     * @throws InvalidInputException naming the unknown group and listing the known ones
     */
    public static DsaAugmentation parse(String strategy, Parameters parameters) {
        String trimmed = strategy == null ? "" : strategy.trim();
        if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("none")) {
            return new DsaAugmentation("none", List.of(), parameters);
        }
        List<Group> groups = new ArrayList<>();
        for (String name : trimmed.split("_")) {
            try {
                groups.add(Group.valueOf(name.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("unknown DSA transform '" + name + "' in strategy '" + strategy
                        + "'; known: " + Arrays.stream(Group.values()).map(Group::optionName).toList()
                        + " joined by '_', or none", e);
            }
        }
        return new DsaAugmentation(trimmed, List.copyOf(groups), parameters);
    }

    public static DsaAugmentation parse(String strategy) {
        return parse(strategy, Parameters.DEFAULTS);
    }

    public String strategy() {
        return strategy;
    }

    public List<Group> groups() {
        return groups;
    }

    public Parameters parameters() {
        return parameters;
    }

    public boolean isNone() {
        return groups.isEmpty();
    }

    /**
     * Augments one training batch: draws one group of the strategy, then that group's per-image parameters, all from
     * {@code random}. Returns a new array; {@code images} is left as it was. With strategy {@code none} returns
     * {@code images} itself.
     */
    public float[] apply(float[] images, Dims dims, SplittableRandom random) {
        dims.check(images);
        if (groups.isEmpty()) return images;
        Group group = groups.get(random.nextInt(groups.size()));
        return apply(group, images, dims, random);
    }

    /** Applies one group with per-image parameters drawn from {@code random}. */
    public float[] apply(Group group, float[] images, Dims dims, SplittableRandom random) {
        dims.check(images);
        int n = dims.count();
        Parameters p = parameters;
        return switch (group) {
            case COLOR -> {
                float[] bright = brightness(images, dims, draw(random, n, -p.brightness() / 2, p.brightness() / 2));
                float[] saturated = saturation(bright, dims, draw(random, n, 0, p.saturation()));
                yield contrast(saturated, dims, draw(random, n, p.contrast(), p.contrast() + 1));
            }
            case CROP -> {
                int shiftRows = (int) (dims.height() * p.cropPadRatio() + 0.5);
                int shiftColumns = (int) (dims.width() * p.cropPadRatio() + 0.5);
                yield translate(images, dims, drawInts(random, n, -shiftRows, shiftRows),
                        drawInts(random, n, -shiftColumns, shiftColumns));
            }
            case CUTOUT -> {
                int[] size = cutoutSize(dims);
                // As the reference: centres over [0, side] for an even cutout side, [0, side - 1] for an odd one.
                yield cutout(images, dims, drawInts(random, n, 0, dims.height() - size[0] % 2),
                        drawInts(random, n, 0, dims.width() - size[1] % 2));
            }
            case FLIP -> {
                boolean[] mirrored = new boolean[n];
                for (int i = 0; i < n; i++) mirrored[i] = random.nextDouble() < p.flipProbability();
                yield flip(images, dims, mirrored);
            }
            case SCALE -> {
                double low = 1.0 / p.scaleRatio();
                double[] sx = draw(random, n, low, p.scaleRatio());
                double[] sy = draw(random, n, low, p.scaleRatio());
                double[][] theta = new double[n][];
                for (int i = 0; i < n; i++) theta[i] = new double[] {sx[i], 0, 0, 0, sy[i], 0};
                yield affine(images, dims, theta);
            }
            case ROTATE -> {
                double[] degrees = draw(random, n, -p.rotateDegrees(), p.rotateDegrees());
                double[][] theta = new double[n][];
                for (int i = 0; i < n; i++) theta[i] = rotation(degrees[i]);
                yield affine(images, dims, theta);
            }
        };
    }

    private static double[] draw(SplittableRandom random, int n, double from, double to) {
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = from + random.nextDouble() * (to - from);
        return values;
    }

    /** Integers in [from, to], both included. */
    private static int[] drawInts(SplittableRandom random, int n, int from, int to) {
        int[] values = new int[n];
        for (int i = 0; i < n; i++) values[i] = random.nextInt(from, to + 1);
        return values;
    }

    int[] cutoutSize(Dims dims) {
        return new int[] {(int) (dims.height() * parameters.cutoutRatio() + 0.5),
                (int) (dims.width() * parameters.cutoutRatio() + 0.5)};
    }

    /** Adds {@code offsets[i]} to every value of image i. */
    public static float[] brightness(float[] images, Dims dims, double[] offsets) {
        dims.check(images);
        float[] out = new float[images.length];
        int length = dims.imageLength();
        for (int i = 0; i < dims.count(); i++) {
            float offset = (float) offsets[i];
            for (int k = i * length; k < (i + 1) * length; k++) out[k] = images[k] + offset;
        }
        return out;
    }

    /** Moves each pixel's channels away from (factor > 1) or towards (factor < 1) their mean at that pixel. */
    public static float[] saturation(float[] images, Dims dims, double[] factors) {
        dims.check(images);
        float[] out = new float[images.length];
        int plane = dims.planeLength();
        int channels = dims.channels();
        for (int i = 0; i < dims.count(); i++) {
            float factor = (float) factors[i];
            int base = i * dims.imageLength();
            for (int pixel = 0; pixel < plane; pixel++) {
                float sum = 0;
                for (int c = 0; c < channels; c++) sum += images[base + c * plane + pixel];
                float mean = sum / channels;
                for (int c = 0; c < channels; c++) {
                    int k = base + c * plane + pixel;
                    out[k] = (images[k] - mean) * factor + mean;
                }
            }
        }
        return out;
    }

    /** Moves every value of image i away from or towards the mean of all of image i's values. */
    public static float[] contrast(float[] images, Dims dims, double[] factors) {
        dims.check(images);
        float[] out = new float[images.length];
        int length = dims.imageLength();
        for (int i = 0; i < dims.count(); i++) {
            double sum = 0;
            for (int k = i * length; k < (i + 1) * length; k++) sum += images[k];
            float mean = (float) (sum / length);
            float factor = (float) factors[i];
            for (int k = i * length; k < (i + 1) * length; k++) out[k] = (images[k] - mean) * factor + mean;
        }
        return out;
    }

    /**
     * Translates image i so that output (r, c) shows input (r + rowShifts[i], c + columnShifts[i]); what falls outside
     * the input is 0. (The reference pads with zeros and crops.)
     */
    public static float[] translate(float[] images, Dims dims, int[] rowShifts, int[] columnShifts) {
        dims.check(images);
        float[] out = new float[images.length];
        int h = dims.height();
        int w = dims.width();
        for (int i = 0; i < dims.count(); i++) {
            for (int c = 0; c < dims.channels(); c++) {
                int base = (i * dims.channels() + c) * h * w;
                for (int r = 0; r < h; r++) {
                    int sourceRow = r + rowShifts[i];
                    if (sourceRow < 0 || sourceRow >= h) continue;
                    for (int col = 0; col < w; col++) {
                        int sourceColumn = col + columnShifts[i];
                        if (sourceColumn >= 0 && sourceColumn < w) {
                            out[base + r * w + col] = images[base + sourceRow * w + sourceColumn];
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Zeroes, in all channels, the square of the configured cutout side whose rows start at
     * {@code rowCentres[i] - side / 2} (and columns likewise), clipped to the image.
     */
    public float[] cutout(float[] images, Dims dims, int[] rowCentres, int[] columnCentres) {
        dims.check(images);
        int[] size = cutoutSize(dims);
        float[] out = images.clone();
        int h = dims.height();
        int w = dims.width();
        for (int i = 0; i < dims.count(); i++) {
            int rowFrom = Math.max(0, rowCentres[i] - size[0] / 2);
            int rowTo = Math.min(h - 1, rowCentres[i] - size[0] / 2 + size[0] - 1);
            int columnFrom = Math.max(0, columnCentres[i] - size[1] / 2);
            int columnTo = Math.min(w - 1, columnCentres[i] - size[1] / 2 + size[1] - 1);
            for (int c = 0; c < dims.channels(); c++) {
                int base = (i * dims.channels() + c) * h * w;
                for (int r = rowFrom; r <= rowTo; r++) {
                    Arrays.fill(out, base + r * w + columnFrom, base + r * w + columnTo + 1, 0f);
                }
            }
        }
        return out;
    }

    /** Mirrors left-right the images whose flag is set. */
    public static float[] flip(float[] images, Dims dims, boolean[] mirrored) {
        dims.check(images);
        float[] out = images.clone();
        int w = dims.width();
        for (int i = 0; i < dims.count(); i++) {
            if (!mirrored[i]) continue;
            int rows = dims.channels() * dims.height();
            for (int row = 0; row < rows; row++) {
                int start = (i * rows + row) * w;
                for (int col = 0; col < w; col++) out[start + col] = images[start + w - 1 - col];
            }
        }
        return out;
    }

    /** The affine matrix (row-major 2x3) of the reference's rotation by {@code degrees}. */
    public static double[] rotation(double degrees) {
        double angle = Math.toRadians(degrees);
        return new double[] {Math.cos(angle), -Math.sin(angle), 0, Math.sin(angle), Math.cos(angle), 0};
    }

    /**
     * PyTorch's {@code grid_sample(x, affine_grid(theta, x.shape))} with its defaults (bilinear, zero padding,
     * {@code align_corners=False}): output pixel (r, c) at normalized position (x, y) = ((2c+1)/W - 1, (2r+1)/H - 1)
     * samples the input at theta * (x, y, 1). {@code theta[i]} is image i's 2x3 matrix, row-major.
     */
    public static float[] affine(float[] images, Dims dims, double[][] theta) {
        dims.check(images);
        float[] out = new float[images.length];
        int h = dims.height();
        int w = dims.width();
        int plane = h * w;
        for (int i = 0; i < dims.count(); i++) {
            double[] t = theta[i];
            int imageBase = i * dims.imageLength();
            for (int r = 0; r < h; r++) {
                double y = (2.0 * r + 1) / h - 1;
                for (int col = 0; col < w; col++) {
                    double x = (2.0 * col + 1) / w - 1;
                    double sourceX = ((t[0] * x + t[1] * y + t[2] + 1) * w - 1) / 2;
                    double sourceY = ((t[3] * x + t[4] * y + t[5] + 1) * h - 1) / 2;
                    int x0 = (int) Math.floor(sourceX);
                    int y0 = (int) Math.floor(sourceY);
                    double wx1 = sourceX - x0;
                    double wy1 = sourceY - y0;
                    for (int c = 0; c < dims.channels(); c++) {
                        int base = imageBase + c * plane;
                        double value = (1 - wy1) * ((1 - wx1) * pixel(images, base, h, w, y0, x0)
                                + wx1 * pixel(images, base, h, w, y0, x0 + 1))
                                + wy1 * ((1 - wx1) * pixel(images, base, h, w, y0 + 1, x0)
                                + wx1 * pixel(images, base, h, w, y0 + 1, x0 + 1));
                        out[base + r * w + col] = (float) value;
                    }
                }
            }
        }
        return out;
    }

    private static float pixel(float[] images, int base, int h, int w, int row, int column) {
        return row < 0 || row >= h || column < 0 || column >= w ? 0f : images[base + row * w + column];
    }

    @Override
    public String toString() {
        return "DSA " + strategy + " " + parameters;
    }
}
