package dev.bristle.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.AttackSuite;
import dev.bristle.ml.attack.AttackTarget;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.attack.CleanRun;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.RobustnessMetrics;
import dev.bristle.ml.metrics.StudentResults;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attack options of {@code bristle evaluate} ({@code --attacks}, {@code --modes}, {@code --protocol},
 * {@code --seed}, {@code --eps}, {@code --autoattack}): which attacks to build with which settings, running them, and
 * their table and JSON.
 */
public final class AttackOptions {

    /** Attack names the CLI accepts, in the order results are reported. */
    public static final List<String> ATTACK_NAMES = AttackLibrary.NAMES;
    public static final List<String> OPTIONS =
            List.of("--attacks", "--modes", "--protocol", "--seed", "--eps", "--autoattack");
    public static final String USAGE = """
              --attacks LIST   comma-separated attacks to run after the clean pass: FGSM, PGD, PGD_L2, CW, DeepFool,
                               AutoAttack, Square, SPSA, Noise (uniform noise at the same budget)
              --modes LIST     targeted, untargeted or both (default both)
              --protocol P     sound (default: pixel space, normalization inside the model, checked invariants) or
                               beard (BEARD as published: attacks on normalized tensors, defects included)
              --seed N         seed of every random choice (default 0)
              --eps E          L-inf budget of FGSM, PGD, AutoAttack, Square, SPSA and Noise, e.g. 8/255 (default)
              --autoattack V   torchattacks (default: torchattacks' composition, as BEARD ran it) or standard (the
                               authors' 100-iteration version)
            """.stripTrailing();

    private final List<String> attacks;
    private final List<AttackMode> modes;
    private final AttackProtocol protocol;
    private final long seed;
    private final double eps;
    private final AutoAttack.Version autoAttackVersion;

    private AttackOptions(List<String> attacks, List<AttackMode> modes, AttackProtocol protocol, long seed, double eps,
                          AutoAttack.Version autoAttackVersion) {
        this.attacks = attacks;
        this.modes = modes;
        this.protocol = protocol;
        this.seed = seed;
        this.eps = eps;
        this.autoAttackVersion = autoAttackVersion;
    }

    /**
     * The attack options among {@code options}; null when {@code --attacks} is absent and no other attack option is
     * given.
     *
     * @throws CliUsageException for unknown attack, mode, protocol or version names (listing the valid ones) and for
     *                           malformed numbers
     */
    public static AttackOptions parse(Map<String, String> options) {
        if (!options.containsKey("--attacks")) {
            for (String option : OPTIONS) {
                if (options.containsKey(option)) throw new CliUsageException(option + " needs --attacks");
            }
            return null;
        }
        List<String> attacks = new ArrayList<>();
        for (String name : split(options.get("--attacks"))) {
            String canonical = ATTACK_NAMES.stream().filter(a -> a.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new CliUsageException("unknown attack '" + name + "'; valid attacks: "
                            + String.join(", ", ATTACK_NAMES)));
            if (!attacks.contains(canonical)) attacks.add(canonical);
        }
        List<AttackMode> modes = new ArrayList<>();
        for (String name : split(options.getOrDefault("--modes", "targeted,untargeted"))) {
            AttackMode mode = Arrays.stream(AttackMode.values()).filter(m -> m.key().equalsIgnoreCase(name))
                    .findFirst().orElseThrow(() -> new CliUsageException("unknown mode '" + name
                            + "'; valid modes: targeted, untargeted"));
            if (!modes.contains(mode)) modes.add(mode);
        }
        String protocolName = options.getOrDefault("--protocol", "sound");
        AttackProtocol protocol = Arrays.stream(AttackProtocol.values())
                .filter(p -> p.key().equalsIgnoreCase(protocolName)).findFirst()
                .orElseThrow(() -> new CliUsageException("unknown protocol '" + protocolName
                        + "'; valid protocols: sound, beard"));
        long seed;
        try {
            seed = Long.parseLong(options.getOrDefault("--seed", "0"));
        } catch (NumberFormatException e) {
            throw new CliUsageException("--seed: '" + options.get("--seed") + "' is not an integer");
        }
        double eps = parseEps(options.getOrDefault("--eps", "8/255"));
        String version = options.getOrDefault("--autoattack", "torchattacks").toLowerCase(Locale.ROOT);
        AutoAttack.Version autoAttackVersion = switch (version) {
            case "torchattacks" -> AutoAttack.Version.TORCHATTACKS;
            case "standard" -> AutoAttack.Version.STANDARD;
            default -> throw new CliUsageException("unknown AutoAttack version '" + version
                    + "'; valid versions: torchattacks, standard");
        };
        return new AttackOptions(List.copyOf(attacks), List.copyOf(modes), protocol, seed, eps, autoAttackVersion);
    }

    private static List<String> split(String list) {
        List<String> parts = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (parts.isEmpty()) throw new CliUsageException("an empty list: '" + list + "'");
        return parts;
    }

    private static double parseEps(String text) {
        try {
            String[] parts = text.split("/");
            double value = parts.length == 2 ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])
                    : parts.length == 1 ? Double.parseDouble(parts[0]) : Double.NaN;
            if (value >= 0 && value <= 1) return value;
        } catch (NumberFormatException e) {
            // reported below with the text
        }
        throw new CliUsageException("--eps: expected a number in [0, 1] such as 8/255 or 0.03, found '" + text + "'");
    }

    public AttackProtocol protocol() {
        return protocol;
    }

    /** The attacks with BEARD's settings (the given eps for the L-inf ones). */
    public List<Attack> attacks(int classes) {
        return attacks.stream().map(name -> AttackLibrary.create(name, protocol, eps, autoAttackVersion, classes))
                .toList();
    }

    /** The clean pass and every attack in every mode, and their metrics. */
    public Report run(Map<String, HostTensor> stateDict, int imageSize, float[] mean, float[] std, Device device,
                      float[] pixels, int[] labels, AttackSuite.Progress progress) {
        float[] zero = new float[mean.length];
        float[] one = new float[mean.length];
        Arrays.fill(one, 1f);
        try (PixelSpaceModel model = protocol == AttackProtocol.SOUND
                ? PixelSpaceModel.fromStateDict(stateDict, imageSize, mean, std, device)
                : PixelSpaceModel.fromStateDict(stateDict, imageSize, zero, one, device)) {
            AttackTarget target = protocol == AttackProtocol.SOUND ? AttackTarget.sound(model)
                    : AttackTarget.beard(model, mean, std);
            AttackSuite suite = new AttackSuite(target, AttackSuite.DEFAULT_BATCH_SIZE, seed, 1, progress);
            CleanRun clean = suite.clean(pixels, labels);
            List<AttackRun> runs = suite.runAll(attacks(model.spec().classes()), modes, pixels, labels, clean);
            return new Report(protocol, seed, clean, runs);
        }
    }

    /** What one invocation measured. */
    public record Report(AttackProtocol protocol, long seed, CleanRun clean, List<AttackRun> runs) {

        public void printTable(PrintStream out) {
            out.printf("protocol %s, seed %d%n", protocol.key(), seed);
            out.printf("%-12s %-10s %9s %9s %9s%n", "attack", "mode", "accuracy", "ASR", "seconds");
            out.printf("%-12s %-10s %8.2f%% %9s %9.1f%n", "Clean", "-", clean.accuracy(), "-", clean.seconds());
            for (AttackRun run : runs) {
                Double asr = run.success().asr();
                out.printf("%-12s %-10s %8.2f%% %9s %9.1f%s%n", run.attack(), run.mode().key(), run.accuracy(),
                        asr == null ? "-" : String.format("%.2f%%", asr), run.seconds(),
                        run.executed() ? "" : "  (not run: clean images scored, as BEARD)");
            }
            for (AttackMode mode : modes()) {
                MetricReport multi = RobustnessMetrics.beard().multiAdversary(mode, List.of(student(mode)));
                out.printf("%s: RRM %s, AEM %s, CREI %s%n", mode.key(), number(multi.rr()), number(multi.ae()),
                        number(multi.crei()));
            }
        }

        private List<AttackMode> modes() {
            return runs.stream().map(AttackRun::mode).distinct().toList();
        }

        private StudentResults student(AttackMode mode) {
            List<Measurement> measurements = runs.stream().filter(r -> r.mode() == mode)
                    .map(r -> new Measurement(r.attack(), r.accuracy(), r.seconds())).toList();
            return new StudentResults("student", new Measurement(Measurement.CLEAN, clean.accuracy(), clean.seconds()),
                    measurements);
        }

        /** The attack section of the JSON report. */
        public ObjectNode toJson(ObjectMapper mapper) {
            ObjectNode root = mapper.createObjectNode();
            root.put("protocol", protocol.key());
            root.put("seed", seed);
            ObjectNode cleanNode = root.putObject("clean");
            cleanNode.put("accuracy", clean.accuracy());
            cleanNode.put("seconds", clean.seconds());
            cleanNode.put("correct", clean.correctness());
            ArrayNode results = root.putArray("attacks");
            for (AttackRun run : runs) {
                ObjectNode node = results.addObject();
                node.put("attack", run.attack());
                node.put("mode", run.mode().key());
                node.put("executed", run.executed());
                node.put("accuracy", run.accuracy());
                Double asr = run.success().asr();
                if (asr == null) node.putNull("asr");
                else node.put("asr", asr);
                node.put("seconds", run.seconds());
                node.set("hyperparameters", mapper.valueToTree(run.hyperparameters()));
                node.put("forwardPassesPerImage", run.forwardPassesPerSample());
                node.put("backwardPassesPerImage", run.backwardPassesPerSample());
                node.put("correct", run.correctness());
            }
            ObjectNode metrics = root.putObject("metrics");
            for (AttackMode mode : modes()) {
                ObjectNode modeNode = metrics.putObject(mode.key());
                MetricReport multi = RobustnessMetrics.beard().multiAdversary(mode, List.of(student(mode)));
                modeNode.set("RRM", number(mapper, multi.rr()));
                modeNode.set("AEM", number(mapper, multi.ae()));
                modeNode.set("CREI", number(mapper, multi.crei()));
                ObjectNode single = modeNode.putObject("perAttack");
                Map<String, MetricReport> perAttack =
                        RobustnessMetrics.beard().singleAdversary(mode, List.of(student(mode)));
                perAttack.forEach((attack, report) -> {
                    ObjectNode a = single.putObject(attack);
                    a.set("RRS", number(mapper, report.rr()));
                    a.set("AES", number(mapper, report.ae()));
                    a.set("CREI", number(mapper, report.crei()));
                });
            }
            return root;
        }

        private static com.fasterxml.jackson.databind.JsonNode number(ObjectMapper mapper, Double value) {
            return value == null ? mapper.nullNode() : mapper.getNodeFactory().numberNode(value);
        }

        private static String number(Double value) {
            return value == null ? "-" : String.format("%.2f", value);
        }
    }

    /** Settings as recorded, for the report header. */
    public Map<String, Object> settings() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("attacks", attacks);
        map.put("modes", modes.stream().map(AttackMode::key).toList());
        map.put("protocol", protocol.key());
        map.put("seed", seed);
        map.put("eps", eps);
        map.put("autoattack", autoAttackVersion.name().toLowerCase(Locale.ROOT));
        return map;
    }
}
