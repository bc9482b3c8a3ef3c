package dev.bristle.cli;

import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackLibrary;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.score.AttackPlan;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The attack options {@code bristle evaluate} and {@code bristle score} share (a picocli mixin: same names, same
 * defaults, same help): which attacks run with which settings, as an {@link AttackPlan}; and, for {@code evaluate},
 * running them on one model, with their table and JSON.
 */
public final class AttackOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private List<String> attacks = List.of();
    private List<AttackMode> modes = List.of(AttackMode.TARGETED, AttackMode.UNTARGETED);
    private AttackProtocol protocol = AttackProtocol.SOUND;
    private Double eps;
    private Double epsL2;
    private String grid;
    private Path plot;
    private AutoAttack.Version autoAttackVersion = AutoAttack.Version.TORCHATTACKS;

    @Option(names = "--seed", paramLabel = "N", description = "seed of every random choice (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--attacks", paramLabel = "LIST", description = {"comma-separated attacks to run after the clean"
            + " pass, or all: FGSM, PGD, PGD_L2, CW, DeepFool, AutoAttack, Square, SPSA, Noise (uniform noise at the"
            + " same budget); default: none, clean accuracy only"}, completionCandidates = AttackNames.class)
    void attacks(String list) {
        List<String> names = new ArrayList<>();
        for (String name : split("--attacks", list)) {
            if (name.equalsIgnoreCase("all")) {
                AttackLibrary.NAMES.stream().filter(a -> !names.contains(a)).forEach(names::add);
                continue;
            }
            String canonical = AttackLibrary.NAMES.stream().filter(a -> a.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> usage("--attacks: unknown attack '" + name + "'; valid attacks: "
                            + String.join(", ", AttackLibrary.NAMES) + " (or all)"));
            if (!names.contains(canonical)) names.add(canonical);
        }
        attacks = List.copyOf(names);
    }

    @Option(names = "--modes", paramLabel = "LIST", description = "targeted, untargeted or both (default both)")
    void modes(String list) {
        List<AttackMode> parsed = new ArrayList<>();
        for (String name : split("--modes", list)) {
            AttackMode mode = Arrays.stream(AttackMode.values()).filter(m -> m.key().equalsIgnoreCase(name))
                    .findFirst().orElseThrow(() -> usage("--modes: unknown mode '" + name
                            + "'; valid modes: targeted, untargeted"));
            if (!parsed.contains(mode)) parsed.add(mode);
        }
        modes = List.copyOf(parsed);
    }

    @Option(names = "--protocol", paramLabel = "P", description = {"sound (default: pixel space, normalization inside"
            + " the model, checked invariants, AE from model passes) or beard (BEARD as published: attacks on"
            + " normalized tensors, defects included, AE from wall time)"})
    void protocol(String name) {
        protocol = Arrays.stream(AttackProtocol.values()).filter(p -> p.key().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> usage("--protocol: unknown protocol '" + name + "'; valid protocols: sound, beard"));
    }

    @Option(names = "--eps", paramLabel = "E", description = {"recorded L-inf budget of FGSM, PGD, AutoAttack, Square,"
            + " SPSA and Noise, in pixels (sound, default 1/255) or normalized units (beard, default 8/255)"})
    void eps(String text) {
        eps = parseBudget("--eps", text, 1);
    }

    @Option(names = "--eps-l2", paramLabel = "E", description = "recorded L2 budget of PGD_L2 (sound: default 0.25;"
            + " beard: 128/255)")
    void epsL2(String text) {
        epsL2 = parseBudget("--eps-l2", text, Double.MAX_VALUE);
    }

    @Option(names = "--grid", paramLabel = "G", description = {"budgets every budgeted attack is also swept over"
            + " (sound protocol only), giving accuracy-versus-budget curves and, for CW and DeepFool, the median"
            + " minimal perturbation: default (sound's default: 1/255,2/255,4/255,8/255 for L-inf; 0.125,0.25,0.5"
            + " for L2), none (beard's default: the recorded budgets only), or \"LINF,...;L2,...\" such as"
            + " \"1/255,4/255;0.5\""})
    void grid(String text) {
        try {
            parseGrid(text);
        } catch (CliUsageException e) {
            throw usage(e.getMessage());
        }
        grid = text;
    }

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "write the grid's curves as an SVG chart")
    void plot(Path file) {
        try {
            plot = plotFile(file.toString());
        } catch (CliUsageException e) {
            throw usage(e.getMessage());
        }
    }

    /** Where to write the curves' chart; null when not asked. */
    public Path plotFile() {
        return plot;
    }

    @Option(names = "--autoattack", paramLabel = "V", description = {"torchattacks (default: torchattacks'"
            + " composition, as BEARD ran it) or standard (the authors' 100-iteration version)"})
    void autoAttack(String version) {
        autoAttackVersion = switch (version.toLowerCase(Locale.ROOT)) {
            case "torchattacks" -> AutoAttack.Version.TORCHATTACKS;
            case "standard" -> AutoAttack.Version.STANDARD;
            default -> throw usage("--autoattack: unknown AutoAttack version '" + version
                    + "'; valid versions: torchattacks, standard");
        };
    }

    /** Attack names for shell completion. */
    static final class AttackNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> names = new ArrayList<>(AttackLibrary.NAMES);
            names.add("all");
            return names.iterator();
        }
    }

    /** Whether {@code --attacks} asked for any attack. */
    public boolean requested() {
        return !attacks.isEmpty();
    }

    /**
     * The attacks, modes, protocol, budgets, seed and grid as one plan for {@code dataset}'s test images; the grid
     * and the budgets default to the protocol's for that dataset ({@link AttackBudgets#of(AttackProtocol,
     * DatasetKind)}).
     *
     * @throws CliUsageException for a grid outside the sound protocol or a plot without a grid
     */
    public AttackPlan plan(DatasetKind dataset) {
        AttackBudgets defaults = AttackBudgets.of(protocol, dataset);
        AttackBudgets budgets = new AttackBudgets(eps != null ? eps : defaults.linf(),
                epsL2 != null ? epsL2 : defaults.l2());
        BudgetSweep.Grid sweep = parseGrid(grid != null ? grid : protocol.allowsBudgetGrid() ? "default" : "none");
        if (sweep != null && !protocol.allowsBudgetGrid()) {
            throw new CliUsageException("--grid needs --protocol sound: BEARD's budgets act on normalized tensors");
        }
        if (plot != null && (sweep == null || attacks.isEmpty())) {
            throw new CliUsageException("--plot needs --attacks and a budget grid (--grid default or a list)");
        }
        return new AttackPlan(attacks, modes, protocol, budgets, seed, sweep, autoAttackVersion);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private List<String> split(String option, String list) {
        List<String> parts = Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (parts.isEmpty()) throw usage(option + ": an empty list");
        return parts;
    }

    /** A budget such as 8/255 or 0.03, at most {@code max}. */
    private double parseBudget(String option, String text, double max) {
        try {
            return budget(option, text, max);
        } catch (CliUsageException e) {
            throw usage(e.getMessage());
        }
    }

    private static double budget(String option, String text, double max) {
        try {
            String[] parts = text.trim().split("/");
            double value = parts.length == 2 ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])
                    : parts.length == 1 ? Double.parseDouble(parts[0]) : Double.NaN;
            if (value >= 0 && value <= max) return value;
        } catch (NumberFormatException e) {
            // reported below with the text
        }
        String range = max == 1 ? "in [0, 1]" : "of at least 0";
        throw new CliUsageException(option + ": expected a number " + range + " such as 8/255 or 0.03, found '"
                + text + "'");
    }

    /** --plot's file: its folder must exist. */
    static Path plotFile(String text) {
        Path plot = Path.of(text);
        Path parent = plot.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CliUsageException("--plot: folder " + parent + " does not exist");
        }
        return plot;
    }

    /** "default", "none" (null) or "LINF,...;L2,...". */
    static BudgetSweep.Grid parseGrid(String text) {
        if (text.equalsIgnoreCase("default")) return BudgetSweep.Grid.DEFAULT;
        if (text.equalsIgnoreCase("none")) return null;
        String[] norms = text.split(";", -1);
        if (norms.length != 2) {
            throw new CliUsageException("--grid: expected default, none or \"LINF,...;L2,...\" such as"
                    + " \"1/255,4/255;0.5\", found '" + text + "'");
        }
        List<Double> linf = new ArrayList<>();
        for (String part : norms[0].split(",")) if (!part.isBlank()) linf.add(budget("--grid", part, 1));
        List<Double> l2 = new ArrayList<>();
        for (String part : norms[1].split(",")) if (!part.isBlank()) l2.add(budget("--grid", part, Double.MAX_VALUE));
        return new BudgetSweep.Grid(linf, l2);
    }
}
