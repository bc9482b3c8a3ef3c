package dev.bristle.cli;

import dev.bristle.files.Digests;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.RunSettings;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.OfficialSettings;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.verify.BundleWriter;
import dev.bristle.ml.verify.OfficialSeeds;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code score --bundle OUT.zip}: the run as a submission bundle (the set, every student's state dict, the full record,
 * a manifest of SHA-256s) for a server to verify and rank. The options left out take the protocol's official values
 * (students, epochs, the whole test split, every attack in both modes, no budget grid), and the seeds are the set's
 * official seeds ({@link OfficialSeeds}), so {@code --seed} is refused.
 */
public final class BundleOption {

    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--bundle", paramLabel = "OUT.zip", description = {"also write the run as a submission bundle"
            + " (the set, each student's state dict, the full record, a manifest of SHA-256s) for ./bristle verify"
            + " and a server's verification; options left out take the protocol's official values, the seeds are"
            + " the set's official seeds (--seed is refused)"})
    Path file;

    public boolean requested() {
        return file != null;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Refuses what a bundle cannot hold, before anything runs: {@code --seed} (an official run's seeds are the
     * set's), a set in two files ({@code --labels}), a set whose file name a bundle cannot carry.
     *
     * @return the set's official seeds
     */
    public OfficialSeeds check(Path set, Path labels) throws IOException {
        if (given("--seed")) {
            throw new CliUsageException("--seed cannot be used with --bundle: an official run's seeds derive from"
                    + " the set's SHA-256");
        }
        if (labels != null) {
            throw new CliUsageException("--bundle needs the set in one file: zip MTT's images_best.pt and"
                    + " labels_best.pt together first");
        }
        if (!SET_NAME.matcher(String.valueOf(set.getFileName())).matches()) {
            throw new CliUsageException("--bundle: the set's file name must be letters, digits, '.', '_' and '-'"
                    + " (at most 100 characters, not starting with '.')");
        }
        return OfficialSeeds.of(Digests.sha256(set));
    }

    /** {@code given} unless {@code option} was left out, then the official value. */
    public int official(String option, int given, int official) {
        return file == null || given(option) ? given : official;
    }

    /** The test images limit: {@code --limit} when given, else the official one (null: the whole split). */
    public Integer limit(Integer given, OfficialSettings official) {
        return file == null || given("--limit") ? given : official.testImages();
    }

    /**
     * The plan of a bundle's run: the official attacks and modes where not given, the recorded budgets, the official
     * attack seed, and no budget grid unless {@code --grid} asked for one.
     */
    public AttackPlan plan(AttackPlan plan, DatasetKind dataset, OfficialSettings official, OfficialSeeds seeds) {
        if (file == null) return plan;
        if (!plan.budgets().equals(AttackBudgets.of(plan.protocol(), dataset))) {
            throw new CliUsageException("--bundle: an official run is measured at the recorded budgets; leave out"
                    + " --eps and --eps-l2");
        }
        List<String> attacks = given("--attacks") ? plan.attacks() : official.attacks();
        List<AttackMode> modes = given("--modes") ? plan.modes()
                : official.modes().stream().map(AttackMode::fromKey).toList();
        return new AttackPlan(attacks, modes, plan.protocol(), plan.budgets(), seeds.attacks(),
                given("--grid") ? plan.grid() : null, plan.autoAttack());
    }

    /**
     * Writes the bundle: {@code record} marked as made with official seeds, the set as scored, each student's
     * weights from the run's store.
     */
    public void write(EvaluationRecord record, Path setFile, String normalization, ScoringPipeline.StageStore store,
                      PrintWriter out) throws IOException {
        RunSettings s = record.settings();
        EvaluationRecord official = new EvaluationRecord(record.schema(), record.schemaVersion(), record.subject(),
                new RunSettings(s.protocol(), s.protocolVersion(), s.epochs(), s.students(), s.testImages(),
                        s.attacks(), s.modes(), s.epsLinf(), s.epsL2(), s.autoattack(), s.seed(), s.attackSeed(), true,
                        s.differences()),
                record.testSet(), record.students(), record.metrics(), record.curves(), record.provenance());
        List<LinkedHashMap<String, HostTensor>> students = new ArrayList<>();
        for (int i = 0; i < record.students().size(); i++) {
            int index = i;
            students.add(store.student(i).orElseThrow(() -> new IllegalStateException("student " + index
                    + " is not in the run's store")));
        }
        BundleWriter.write(file, official, setFile, normalization, students);
        out.println("wrote the submission bundle " + file + (s.differences().isEmpty() ? ""
                : " (not official: " + String.join(", ", s.differences()) + ")"));
    }
}
