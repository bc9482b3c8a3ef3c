package dev.bristle.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.ml.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bristle evaluate --attacks ...}: table, JSON with per-attack results and metrics, usage errors. */
class EvaluateAttacksTest extends CommandLineHarness {

    private static String model() {
        return SharedData.path("beard/model-pool/BACON_ConvNet_CIFAR10_50_None_0.6995.pth").toString();
    }

    private static String data() {
        return SharedData.path("data/cifar-10-partial-official/test_first932.bin").toString();
    }

    @Test
    void runsAttacksAndReportsThemWithMetrics(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("attacks.json");
        assertEquals(0, run("evaluate", "--model", model(), "--data", data(), "--limit", "16", "--attacks",
                "fgsm,DeepFool,Noise", "--modes", "untargeted,targeted", "--protocol", "beard", "--json",
                json.toString()), err.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("protocol beard"), printed);
        assertTrue(printed.contains("not run: clean images scored, as BEARD"), printed);
        assertTrue(printed.contains("untargeted: RRM"), printed);

        JsonNode attacks = new ObjectMapper().readTree(json.toFile()).get("attacks");
        assertEquals("beard", attacks.get("protocol").asText());
        assertEquals(6, attacks.get("attacks").size(), "three attacks in two modes (BEARD scores the rest clean)");
        for (JsonNode run : attacks.get("attacks")) {
            assertEquals(16, run.get("correct").asText().length());
            for (String perImage : List.of("prediction", "l2", "linf", "forwardPasses", "backwardPasses")) {
                assertEquals(16, run.get("perImage").get(perImage).size(), perImage);
            }
            assertTrue(run.get("hyperparameters").size() > 0);
            assertTrue(run.get("seconds").asDouble() >= 0);
        }
        JsonNode fgsm = attacks.get("attacks").get(0);
        assertEquals("FGSM", fgsm.get("attack").asText());
        assertEquals(8 / 255.0, fgsm.get("hyperparameters").get("eps").asDouble(), 1e-12);
        assertTrue(attacks.get("metrics").get("untargeted").has("CREI"));
        assertTrue(attacks.get("metrics").get("untargeted").get("perAttack").has("FGSM"));
        assertTrue(!attacks.get("metrics").get("targeted").get("perAttack").has("DeepFool"),
                "DeepFool is left out of targeted metrics");
    }

    @Test
    void theSoundProtocolSweepsTheBudgetGridAndDrawsTheCurves(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("sweep.json");
        Path svg = folder.resolve("curves.svg");
        assertEquals(0, run("evaluate", "--model", model(), "--data", data(), "--limit", "24", "--attacks",
                "FGSM,PGD_L2,DeepFool", "--modes", "untargeted", "--grid", "2/255,8/255;0.125,0.5", "--json",
                json.toString(), "--plot", svg.toString()), err.toString());
        String printed = out.toString();
        assertTrue(printed.contains("recorded budgets: L-inf 1/255, L2 0.25"), printed);
        assertTrue(printed.contains("DeepFool     untargeted median minimal perturbation: L2 "), printed);

        JsonNode attacks = new ObjectMapper().readTree(json.toFile()).get("attacks");
        assertEquals(3, attacks.get("attacks").size(), "the runs at the recorded budgets feed the metrics");
        assertEquals(1 / 255.0, attacks.get("attacks").get(0).get("hyperparameters").get("eps").asDouble(), 1e-12);
        JsonNode fgsm = attacks.get("curves").get(0);
        assertEquals("FGSM", fgsm.get("attack").asText());
        assertEquals(4, fgsm.get("points").size(), "clean, the recorded 1/255, 2/255 and 8/255");
        double clean = fgsm.get("points").get(0).get("accuracy").asDouble();
        double at8 = fgsm.get("points").get(3).get("accuracy").asDouble();
        assertTrue(at8 < clean, "FGSM at 8/255 on pixels must hurt: " + at8 + " vs clean " + clean);
        JsonNode pgdL2 = attacks.get("curves").get(1);
        assertEquals("L2", pgdL2.get("norm").asText());
        assertEquals(List.of(0.0, 0.125, 0.25, 0.5), doubles(pgdL2.get("points")));
        JsonNode deepFool = attacks.get("curves").get(2);
        assertTrue(!deepFool.get("measured").asBoolean(), "DeepFool's curve is read off its minimal perturbations");
        double previous = Double.MAX_VALUE;
        for (JsonNode point : deepFool.get("points")) {
            assertTrue(point.get("accuracy").asDouble() <= previous, "a curve of minimal perturbations cannot rise");
            previous = point.get("accuracy").asDouble();
        }
        JsonNode minimal = attacks.get("minimalPerturbations").get(0);
        assertTrue(minimal.get("medianL2").asDouble() > 0 && minimal.get("medianL2").asDouble() < 2,
                minimal.toString());

        String chart = java.nio.file.Files.readString(svg);
        assertTrue(chart.startsWith("<svg") && chart.contains("FGSM untargeted") && chart.contains("polyline"), chart);
    }

    private static List<Double> doubles(JsonNode points) {
        List<Double> eps = new java.util.ArrayList<>();
        for (JsonNode point : points) eps.add(point.get("eps").asDouble());
        return eps;
    }

    /** Issue 10's acceptance: per-class accuracy per attack, the worst case per mode and the sanity flags. */
    @Test
    void theJsonCarriesPerClassAccuracyTheWorstCaseAndTheFlags(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("evidence.json");
        assertEquals(0, run("evaluate", "--model", model(), "--data", data(), "--limit", "100", "--attacks",
                "FGSM,PGD", "--modes", "untargeted", "--json", json.toString()), err.toString());
        JsonNode attacks = new ObjectMapper().readTree(json.toFile()).get("attacks");
        double lowest = Double.MAX_VALUE;
        for (JsonNode run : attacks.get("attacks")) {
            assertEquals(10, run.get("perClassAccuracy").size(), run.get("attack") + ": one value per class");
            double sum = 0;
            int images = 0;
            for (int c = 0; c < 10; c++) {
                int n = run.get("perClass").get("images").get(c).asInt();
                sum += run.get("perClassAccuracy").get(c).asDouble() * n;
                images += n;
            }
            assertEquals(100, images);
            assertEquals(run.get("accuracy").asDouble(), sum / images, 1e-9, "the classes add up to the accuracy");
            assertTrue(run.get("passesPerImage").asDouble() > 1);
            lowest = Math.min(lowest, run.get("accuracy").asDouble());
        }
        JsonNode worst = attacks.get("worstCase").get("untargeted");
        assertTrue(worst.get("accuracy").asDouble() <= lowest, worst + " vs lowest " + lowest);
        assertEquals(100, worst.get("correct").asText().length());
        assertEquals(List.of("FGSM", "PGD"), List.of(worst.get("attacks").get(0).asText(),
                worst.get("attacks").get(1).asText()));
        assertTrue(attacks.get("flags").isArray(), attacks.toString());
        assertEquals(100, attacks.get("gradients").get("images").asInt());
        JsonNode metrics = attacks.get("metrics").get("untargeted");
        assertEquals("model-passes", metrics.get("efficiency").asText(), "the sound protocol's AE counts passes");
        // Two attacks, one student: AEM = 100 * (mean passes - 1) / (max passes - 1) from the recorded passes.
        double fgsm = attacks.get("attacks").get(0).get("passesPerImage").asDouble();
        double pgd = attacks.get("attacks").get(1).get("passesPerImage").asDouble();
        assertEquals(100 * ((fgsm + pgd) / 2 - 1) / (Math.max(fgsm, pgd) - 1), metrics.get("AEM").asDouble(), 1e-9);
        JsonNode rrm = metrics.get("uncertainty").get("rrm");
        assertEquals(metrics.get("RRM").asDouble(), rrm.get("value").asDouble(), 1e-12);
        assertTrue(rrm.get("low").asDouble() <= rrm.get("high").asDouble(), rrm.toString());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("untargeted: worst case over FGSM, PGD: "), printed);
    }

    @Test
    void unknownAttackOrModeNamesExitWithTwoAndListTheValidOnes() {
        assertEquals(2, run("evaluate", "--model", model(), "--data", data(), "--attacks", "FGSM,Carlini"));
        assertTrue(err.toString().contains("unknown attack 'Carlini'; valid attacks: FGSM, PGD, PGD_L2, CW, DeepFool,"
                + " AutoAttack, Square, SPSA, Noise"), err.toString());
        err.reset();
        assertEquals(2, run("evaluate", "--model", model(), "--data", data(), "--attacks", "FGSM", "--modes",
                "sideways"));
        assertTrue(err.toString().contains("valid modes: targeted, untargeted"), err.toString());
    }
}
