package dev.bristle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecords;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluateCommandTest extends CommandLineHarness {

    private static final String STUDENT = "BACON_ConvNet_CIFAR10_50_None_0.6995";
    /** sha256sum of the published BACON student file. */
    private static final String STUDENT_SHA256 = "e6ede31abd77db0b47fd425dacc5a9d86ded4aa5f095bd498371337cd232e6f1";

    private static String model() {
        return SharedData.path("beard/model-pool/" + STUDENT + ".pth").toString();
    }

    private static String data() {
        return SharedData.path("data/cifar-10-partial-official/test_first932.bin").toString();
    }

    @Test
    void evaluatesAStudentAndWritesItsCorrectnessAsJson(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("result.json");
        assertEquals(0, run("evaluate", "--model", model(), "--data", data(), "--limit", "300", "--json",
                json.toString()), err.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("width 128, depth 3, instancenorm, avgpooling"), printed);
        assertTrue(printed.contains("CIFAR-10, 300 images"), printed);
        assertTrue(printed.contains("class  images  accuracy"), printed);

        EvaluationRecord result;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(json)) {
            result = EvaluationRecords.read(in);
        }
        assertEquals(STUDENT_SHA256, result.subject().checkpoint().sha256());
        assertEquals(300, result.testSet().images());
        EvaluationRecord.StudentOutcome student = result.students().get(0);
        int[] predictions = student.cleanPredictions();
        assertEquals(300, predictions.length);
        int[] labels = dev.bristle.ml.data.CifarBinaryReader.read(dev.bristle.ml.data.DatasetKind.CIFAR10,
                Path.of(data())).labels();
        StringBuilder correct = new StringBuilder();
        for (int i = 0; i < 300; i++) correct.append(predictions[i] == labels[i] ? '1' : '0');
        long ones = correct.chars().filter(c -> c == '1').count();
        assertEquals(100.0 * ones / 300, student.cleanAccuracy(), 1e-9);
        assertTrue(student.attacks().isEmpty() && result.metrics().isEmpty(), "no attacks asked for");
        assertTrue(result.provenance().seconds() > 0);

        JsonNode golden = new ObjectMapper().readTree(SharedData.path("golden/clean/" + STUDENT + ".json").toFile());
        String expected = golden.get("results").get(0).get("correct").asText().substring(0, 300);
        int differences = 0;
        for (int i = 0; i < 300; i++) if (correct.charAt(i) != expected.charAt(i)) differences++;
        assertTrue(differences <= 1, differences + " images differ from PyTorch's golden correctness");
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() {
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"evaluate", "--data", data()});
        cases.add(new String[] {"evaluate", "--model", "/nonexistent/model.pth", "--data", data()});
        cases.add(new String[] {"evaluate", "--model", model(), "--data", data(), "--limit", "0"});
        cases.add(new String[] {"evaluate", "--model", model(), "--data", data(), "--limit", "ten"});
        cases.add(new String[] {"evaluate", "--model", model(), "--data", data(), "--batch", "5"});
        cases.add(new String[] {"evaluate", "--model", model(), "--data"});
        cases.add(new String[] {"evaluate", "--model", model(), "--data", data(), "--device", "tpu"});
        List<String> messages = List.of("Missing required option: '--model=FILE'",
                "no such file /nonexistent/model.pth", "--limit must be a positive whole number, not '0'",
                "'ten' is not an int", "Unknown options: '--batch', '5'", "Missing required parameter for option"
                        + " '--data'", "found 'tpu'");
        for (int i = 0; i < cases.size(); i++) {
            err.reset();
            assertEquals(2, run(cases.get(i)), String.join(" ", cases.get(i)));
            String message = err.toString(StandardCharsets.UTF_8);
            assertTrue(message.contains(messages.get(i)), message);
            assertTrue(message.startsWith("bristle evaluate: "), message);
            assertEquals(1, message.lines().count(), "one line: " + message);
        }
    }

    @Test
    void aFileThatIsNoStateDictIsNamedInTheError(@TempDir Path folder) throws IOException {
        Path notAModel = Files.writeString(folder.resolve("notes.pth"), "these are not weights");
        assertEquals(2, run("evaluate", "--model", notAModel.toString(), "--data", data()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("notes.pth"), err.toString());
    }

    @Test
    void launcherHelpListsTheCommand() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("evaluate"));
    }
}
