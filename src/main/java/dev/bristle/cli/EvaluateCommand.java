package dev.bristle.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bristle.files.Digests;
import dev.bristle.ml.data.CifarBinaryReader;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.torch.TorchCheckpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code bristle evaluate}: clean accuracy of a ConvNet state dict on a CIFAR binary test file. */
public final class EvaluateCommand implements CliCommand {

    /** CIFAR binary records always hold 32x32 RGB images. */
    private static final int CIFAR_IMAGE_SIZE = 32;

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "clean accuracy of a ConvNet (.pth state dict) on a CIFAR binary test file";
    }

    @Override
    public String usage() {
        return """
                usage: bristle evaluate --model FILE --data FILE [--limit N] [--json OUT] [--device auto|cpu|gpu]
                                        [--attacks LIST [--modes LIST] [--protocol sound|beard] [--seed N] [--eps E]
                                        [--autoattack torchattacks|standard]]

                  --model FILE   PyTorch state dict (.pth) of a BEARD ConvNet; its architecture (channels, classes,
                                 width, depth, norm, pooling) is read from the weights' shapes
                  --data FILE    CIFAR binary test file (test_batch.bin format); CIFAR-10 or CIFAR-100 after the
                                 model's class count
                  --limit N      evaluate only the first N images
                  --json OUT     also write the result, with per-image correctness and predictions, to OUT
                  --device D     auto (default), cpu or gpu
                """ + AttackOptions.USAGE;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        Map<String, String> options = parse(args);
        AttackOptions attackOptions = AttackOptions.parse(options);
        Path modelFile = existingFile(options, "--model");
        Path dataFile = existingFile(options, "--data");
        int limit = options.containsKey("--limit") ? positive(options.get("--limit")) : Integer.MAX_VALUE;
        Path jsonFile = options.containsKey("--json") ? Path.of(options.get("--json")) : null;
        if (jsonFile != null) {
            Path parent = jsonFile.toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new CliUsageException("--json: folder " + parent + " does not exist");
            }
        }
        String deviceSetting = options.getOrDefault("--device", "auto");
        try {
            ComputeDevice.Setting.parse(deviceSetting);
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--device: " + e.getMessage());
        }

        LinkedHashMap<String, HostTensor> stateDict = TorchCheckpoint.readStateDict(modelFile);
        ConvNetSpec spec;
        try {
            spec = ConvNetSpec.infer(stateDict, CIFAR_IMAGE_SIZE);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(modelFile + ": " + e.getMessage(), e);
        }
        DatasetKind dataset = switch (spec.classes()) {
            case 10 -> DatasetKind.CIFAR10;
            case 100 -> DatasetKind.CIFAR100;
            default -> throw new IllegalArgumentException(modelFile + " classifies " + spec.classes()
                    + " classes; CIFAR binary files hold CIFAR-10 (10) or CIFAR-100 (100)");
        };
        if (spec.channels() != 3) {
            throw new IllegalArgumentException(modelFile + " takes " + spec.channels()
                    + "-channel images; CIFAR images have 3 channels");
        }
        ImageSet data = CifarBinaryReader.read(dataset, dataFile).subset(limit);

        CleanEvaluation result;
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(stateDict, CIFAR_IMAGE_SIZE, dataset.mean(),
                dataset.std(), ComputeDevice.select(deviceSetting))) {
            result = new CleanEvaluator(model).evaluate(data.pixels(), data.labels());
        }

        out.printf("model: %s (%s)%n", modelFile, spec.describe());
        out.printf("data:  %s (%s, %d images)%n", dataFile, dataset, result.size());
        out.printf("accuracy: %.2f %% (%d of %d) in %.1f s%n", result.accuracy(), result.correctCount(),
                result.size(), result.modelSeconds());
        out.println("class  images  accuracy");
        int[] counts = result.classCounts();
        double[] perClass = result.perClassAccuracy();
        for (int c = 0; c < spec.classes(); c++) {
            out.printf("%5d  %6d  %s%n", c, counts[c], counts[c] == 0 ? "       -" : String.format("%6.2f %%", perClass[c]));
        }
        AttackOptions.Report attacks = null;
        if (attackOptions != null) {
            attacks = attackOptions.run(stateDict, CIFAR_IMAGE_SIZE, dataset.mean(), dataset.std(),
                    ComputeDevice.select(deviceSetting), data.pixels(), data.labels(),
                    modelFile.getFileName().toString(), (attack, mode, done, total) -> err.printf("%s %s: %d of %d images%n", attack, mode.key(), done,
                            total));
            attacks.printTable(out);
            if (attackOptions.plot() != null) {
                Files.writeString(attackOptions.plot(), attacks.chart(modelFile.getFileName() + " on "
                        + dataFile.getFileName() + " (" + result.size() + " images, " + attacks.protocol().key()
                        + " protocol)"));
                out.println("wrote " + attackOptions.plot());
            }
        }
        if (jsonFile != null) {
            writeJson(jsonFile, modelFile, dataFile, result, attackOptions, attacks);
            out.println("wrote " + jsonFile);
        }
        return 0;
    }

    private static Map<String, String> parse(List<String> args) {
        List<String> known = new java.util.ArrayList<>(List.of("--model", "--data", "--limit", "--json", "--device"));
        known.addAll(AttackOptions.OPTIONS);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (!known.contains(option)) throw new CliUsageException("unknown option '" + option + "'");
            if (i + 1 >= args.size()) throw new CliUsageException(option + " needs a value");
            if (options.put(option, args.get(++i)) != null) throw new CliUsageException(option + " given twice");
        }
        return options;
    }

    private static Path existingFile(Map<String, String> options, String option) {
        String value = options.get(option);
        if (value == null) throw new CliUsageException(option + " FILE is required");
        Path file = Path.of(value);
        if (!Files.isRegularFile(file)) throw new CliUsageException(option + ": no such file " + file);
        return file;
    }

    private static int positive(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) return value;
        } catch (NumberFormatException e) {
            // reported below with the text
        }
        throw new CliUsageException("--limit must be a positive whole number, not '" + text + "'");
    }

    private static void writeJson(Path jsonFile, Path modelFile, Path dataFile, CleanEvaluation result,
                                  AttackOptions attackOptions, AttackOptions.Report attacks) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode json = mapper.createObjectNode();
        json.put("model", modelFile.toString());
        json.put("sha256", Digests.sha256(modelFile));
        json.put("data", dataFile.toString());
        json.put("n", result.size());
        json.put("accuracy", result.accuracy());
        ArrayNode perClass = json.putArray("per_class");
        int[] counts = result.classCounts();
        double[] accuracy = result.perClassAccuracy();
        for (int c = 0; c < counts.length; c++) {
            ObjectNode row = perClass.addObject().put("class", c).put("n", counts[c]);
            if (counts[c] == 0) row.putNull("accuracy");
            else row.put("accuracy", accuracy[c]);
        }
        json.put("correct", result.correctness());
        ArrayNode predictions = json.putArray("predictions");
        for (int p : result.predictions()) predictions.add(p);
        json.put("seconds", result.modelSeconds());
        if (attacks != null) {
            json.set("settings", mapper.valueToTree(attackOptions.settings()));
            json.set("attacks", attacks.toJson(mapper));
        }
        mapper.writeValue(jsonFile.toFile(), json);
    }
}
