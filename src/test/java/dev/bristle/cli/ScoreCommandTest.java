package dev.bristle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ./bristle score} on DC's real CIFAR-10 IPC-1 set, and its refusals. */
class ScoreCommandTest extends CommandLineHarness {

    private static final String DC1 = SharedData.dcCifar10(1).toString();

    @Test
    void scoresASetAndWritesJson(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("score.json");
        assertEquals(0, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--epochs", "2", "--students", "2", "--limit", "100", "--data", SharedData.path("data").toString(),
                "--attacks", "FGSM,Noise", "--modes", "untargeted", "--json", json.toString()), err::toString);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("DC on CIFAR-10, IPC 1: 2 student(s), 3 epoch(s) each, standard training, 100 test images"), text);
        assertTrue(text.contains("note: the official test images re-encoded as JPEG"), text);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("training: training 2 student(s) for 3 epoch(s)"
                + " on 10 images"), err::toString);
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, report.get("students").size());
        assertEquals(100, report.get("testImages").asInt());
        assertEquals(3, report.get("training").get("epochs").asInt());
        double mean = report.get("meanCleanAccuracy").asDouble();
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "mean clean accuracy %.2f %%", mean)), text);
        assertTrue(mean >= 0 && mean <= 100);
        JsonNode untargeted = report.get("metrics").get("UNTARGETED");
        assertEquals(List.of("FGSM", "Noise"), List.of(untargeted.get("attacks").get(0).asText(),
                untargeted.get("attacks").get(1).asText()));
        assertTrue(text.contains(String.format(java.util.Locale.ROOT, "untargeted: CREI %.2f",
                untargeted.get("crei").asDouble())), text);
        assertEquals("MODEL_PASSES", untargeted.get("efficiency").get("basis").asText(),
                "score's default protocol is sound, as evaluate's");
        assertEquals(2, report.get("evidence").size(), "each student's evidence");
        assertEquals(10, report.get("evidence").get(0).get("attacks").get(0).get("perClass").get("accuracy").size());
        assertEquals(untargeted.get("crei").asDouble(),
                report.get("uncertainty").get("UNTARGETED").get("crei").get("value").asDouble(), 1e-12);
        assertTrue(text.contains("untargeted: 95 % bootstrap interval (1000 resamples over students and test images)"),
                text);
    }

    @Test
    void readsTheExactOfficialTestImagesFromANamedFileAndRecordsThemAsPartOfTheSplit(@TempDir Path tmp)
            throws Exception {
        Path record = tmp.resolve("measured.json");
        assertEquals(0, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--epochs", "1", "--students", "1", "--limit", "40", "--test-file",
                SharedData.path("data/cifar-10-partial-official/test_first932.bin").toString(), "--attacks", "FGSM",
                "--modes", "untargeted", "--grid", "none", "--record", record.toString()), err::toString);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(!text.contains("note:"), "exact official images carry no note: " + text);
        JsonNode measured = new ObjectMapper().readTree(record.toFile()).get("records").get(0);
        assertEquals(40, measured.get("testImages").asInt());
        assertEquals(10_000, measured.get("splitSize").asInt(), "the known file is the start of the official split");
        assertTrue(measured.get("testSetCopy").isNull(), measured::toString);
        assertEquals("CIFAR-10 test images from test_first932.bin (the first 932 official CIFAR-10 test images,"
                + " exact), first 40 of 932 images", measured.get("testSet").asText());
    }

    @Test
    void aTestFileNotKnownToBeOfficialIsACopy(@TempDir Path tmp) throws Exception {
        Path altered = tmp.resolve("test_first932.bin");
        byte[] bytes = java.nio.file.Files.readAllBytes(
                SharedData.path("data/cifar-10-partial-official/test_first932.bin"));
        bytes[1] ^= 1; // one pixel of the first image changed: no longer the official file
        java.nio.file.Files.write(altered, bytes);
        Path record = tmp.resolve("measured.json");
        assertEquals(0, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--epochs", "1", "--students", "1", "--limit", "20", "--test-file", altered.toString(),
                "--attacks", "FGSM", "--modes", "untargeted", "--grid", "none", "--record", record.toString()),
                err::toString);
        JsonNode measured = new ObjectMapper().readTree(record.toFile()).get("records").get(0);
        assertEquals("test file test_first932.bin", measured.get("testSetCopy").asText());
        assertTrue(!measured.get("testSet").asText().contains(tmp.toString()), "the file is named, not located");
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--test-file", tmp.resolve("missing.bin").toString()));
    }

    @Test
    void refusesASetThatDoesNotHoldWhatIsStated() {
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-100", "--ipc", "1", "--method", "DC"));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("does not hold what was stated"), message);
        assertTrue(message.contains("the stated IPC is 1 but 90 class(es) do not have 1 image(s)"), message);
    }

    @Test
    void unknownAttacksAreRefused() {
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--attacks", "FGSM,Bogus"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--attacks: unknown attack 'Bogus'"), err::toString);
    }

    @Test
    void aSoundGridPrintsPlotsAndWritesCurves(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("score.json");
        Path plot = tmp.resolve("curves.svg");
        assertEquals(0, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--epochs", "2", "--students", "1", "--limit", "60", "--data", SharedData.path("data").toString(),
                "--attacks", "FGSM,DeepFool", "--modes", "untargeted", "--protocol", "sound",
                "--grid", "1/255,4/255;0.5", "--plot", plot.toString(), "--json", json.toString()), err::toString);
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("accuracy versus budget"), text);
        assertTrue(text.matches("(?s).*FGSM +untargeted +Linf +0/255: [0-9.]+%  1/255: [0-9.]+%  4/255: [0-9.]+%\n.*"),
                text);
        assertTrue(text.matches("(?s).*DeepFool +untargeted +L2 +0: [0-9.]+%  0.5: [0-9.]+%\n.*"), text);
        String svg = java.nio.file.Files.readString(plot);
        assertTrue(svg.startsWith("<svg") && svg.contains("FGSM untargeted") && svg.contains("DeepFool untargeted"));
        JsonNode curves = new ObjectMapper().readTree(json.toFile()).get("curves");
        assertEquals(2, curves.size());
        assertEquals(3, curves.get(0).get("points").size());
        assertEquals(0.5, curves.get(1).get("points").get(1).get("eps").asDouble());
    }

    @Test
    void aGridNeedsTheSoundProtocolAndAPlotNeedsAGrid() {
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--attacks", "FGSM", "--protocol", "beard", "--grid", "default"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--grid needs --protocol sound"), err::toString);
        assertEquals(2, run("score", "--file", DC1, "--dataset", "CIFAR-10", "--ipc", "1", "--method", "DC",
                "--attacks", "FGSM", "--grid", "none", "--plot", "curves.svg"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--plot needs --attacks and a budget grid"),
                err::toString);
    }
}
