package dev.bristle.ml.attack;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** BEARD's BACON student, the exact CIFAR-10 test images and the golden torchattacks results for them. */
final class Bacon {

    static final float[] MEAN = DatasetKind.CIFAR10.mean();
    static final float[] STD = DatasetKind.CIFAR10.std();
    static final float[] ZERO = {0f, 0f, 0f};
    static final float[] ONE = {1f, 1f, 1f};
    static final int IMAGE_LENGTH = 3 * 32 * 32;

    private static Map<String, HostTensor> stateDict;
    private static float[] allPixels;
    private static int[] allLabels;

    private Bacon() {
    }

    static synchronized Map<String, HostTensor> stateDict() {
        if (stateDict == null) {
            try {
                stateDict = TorchCheckpoint.readStateDict(
                        SharedData.path("beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stateDict;
    }

    /** The student with CIFAR-10 normalization inside: pixel-space input (sound protocol). */
    static PixelSpaceModel pixelModel() {
        return PixelSpaceModel.fromStateDict(stateDict(), 32, MEAN, STD, Device.cpu());
    }

    /** The student taking normalized input directly (BEARD protocol). */
    static PixelSpaceModel normalizedInputModel() {
        return PixelSpaceModel.fromStateDict(stateDict(), 32, ZERO, ONE, Device.cpu());
    }

    static AttackTarget target(AttackProtocol protocol) {
        return protocol == AttackProtocol.SOUND ? AttackTarget.sound(pixelModel())
                : AttackTarget.beard(normalizedInputModel(), MEAN, STD);
    }

    /** The first {@code n} exact test images, pixels in [0, 1], NCHW. */
    static float[] pixels(int n) {
        load();
        float[] result = new float[n * IMAGE_LENGTH];
        System.arraycopy(allPixels, 0, result, 0, result.length);
        return result;
    }

    static int[] labels(int n) {
        load();
        int[] result = new int[n];
        System.arraycopy(allLabels, 0, result, 0, n);
        return result;
    }

    private static synchronized void load() {
        if (allPixels != null) return;
        try {
            ImageSet images = CifarBinaryReader.read(DatasetKind.CIFAR10,
                    SharedData.path("data/cifar-10-partial-official/test_first932.bin"));
            allPixels = images.pixels();
            allLabels = images.labels();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Golden per-image correctness strings of one file, keyed "attack/mode". */
    static Map<String, String> golden(String file) {
        try {
            JsonNode root = new ObjectMapper().readTree(SharedData.path("golden/BACON/" + file).toFile());
            Map<String, String> result = new HashMap<>();
            for (JsonNode row : root.get("results")) {
                result.put(row.get("attack").asText() + "/" + row.get("mode").asText(), row.get("correct").asText());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The accuracy (%) a golden file records for "attack/mode". */
    static double goldenAccuracy(String file, String key) {
        try {
            JsonNode root = new ObjectMapper().readTree(SharedData.path("golden/BACON/" + file).toFile());
            for (JsonNode row : root.get("results")) {
                if ((row.get("attack").asText() + "/" + row.get("mode").asText()).equals(key)) {
                    return row.get("accuracy").asDouble();
                }
            }
            throw new IllegalArgumentException(file + " has no result " + key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String key(String goldenAttack, AttackMode mode) {
        return goldenAttack + "/" + mode.key();
    }

    /** Images whose correctness differs between two strings over their first {@code n} characters. */
    static int differences(String expected, String actual, int n) {
        int count = 0;
        for (int i = 0; i < n; i++) if (expected.charAt(i) != actual.charAt(i)) count++;
        return count;
    }
}
