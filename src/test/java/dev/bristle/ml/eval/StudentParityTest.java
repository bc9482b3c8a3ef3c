package dev.bristle.ml.eval;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.SharedData;
import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.TorchCheckpoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BEARD's six published CIFAR-10 students, loaded from their .pth files, must classify the test images as PyTorch
 * did (golden/clean*, made with PyTorch 1.13): image by image, up to float rounding on a handful of borderline images.
 */
class StudentParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"BACON_ConvNet_CIFAR10_50_None_0.6995", "DC_ConvNet_CIFAR10_50_None",
            "DM_ConvNet_CIFAR10_50_None", "DSA_ConvNet_CIFAR10_50_None_0.6048", "IDM_ConvNet_CIFAR10_50_None_0.6691",
            "MTT_ConvNet_CIFAR10_50_None_0.6966"})
    void exactTestImagesAreClassifiedAsPytorchDid(String student) throws IOException {
        assertAgreesWithGolden(student, "data/cifar-10-partial-official/test_first932.bin", "golden/clean", 932, 1);
    }

    /** All 10,000 JPEG-decoded test images: several minutes per student on two cores, so only on request. */
    @ParameterizedTest
    @Tag("heavy")
    @ValueSource(strings = {"BACON_ConvNet_CIFAR10_50_None_0.6995", "DC_ConvNet_CIFAR10_50_None",
            "DM_ConvNet_CIFAR10_50_None", "DSA_ConvNet_CIFAR10_50_None_0.6048", "IDM_ConvNet_CIFAR10_50_None_0.6691",
            "MTT_ConvNet_CIFAR10_50_None_0.6966"})
    void fullJpegTestSetIsClassifiedAsPytorchDid(String student) throws IOException {
        assertAgreesWithGolden(student, "data/cifar-10-test-jpeg/test_batch_jpeg_decoded.bin", "golden/clean-jpeg",
                10_000, 5);
    }

    private static void assertAgreesWithGolden(String student, String dataFile, String goldenFolder, int images,
                                               int allowedDifferences) throws IOException {
        JsonNode golden = JSON.readTree(SharedData.path(goldenFolder + "/" + student + ".json").toFile());
        assertEquals(student + ".pth", golden.get("model").asText());
        assertEquals(Path.of(dataFile).getFileName().toString(), golden.get("data").asText());
        String expected = null;
        for (JsonNode result : golden.get("results")) {
            if (result.get("mode").asText().equals("untargeted")) expected = result.get("correct").asText();
        }
        assertEquals(images, expected.length(), "golden correctness string");

        ImageSet data = CifarBinaryReader.read(DatasetKind.CIFAR10, SharedData.path(dataFile));
        assertEquals(images, data.count());
        var stateDict = TorchCheckpoint.readStateDict(SharedData.path("beard/model-pool/" + student + ".pth"));
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(stateDict, 32, DatasetKind.CIFAR10.mean(),
                DatasetKind.CIFAR10.std(), Device.cpu())) {
            assertEquals(ConvNetSpec.beard(3, 32, 10), model.spec());
            CleanEvaluation evaluation = new CleanEvaluator(model).evaluate(data.pixels(), data.labels());
            String actual = evaluation.correctness();
            int differences = 0;
            for (int i = 0; i < images; i++) {
                if (actual.charAt(i) != expected.charAt(i)) differences++;
            }
            System.out.printf("%s on %s: %.2f %%, %d of %d images differ from PyTorch, %.1f s%n", student, dataFile,
                    evaluation.accuracy(), differences, images, evaluation.modelSeconds());
            assertTrue(differences <= allowedDifferences, student + ": " + differences + " of " + images
                    + " images classified differently from PyTorch (at most " + allowedDifferences + " allowed)");
        }
    }
}
