package dev.bristle.cli;

import dev.bristle.files.Digests;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.record.RecordJson;
import dev.bristle.ml.score.TestSets;
import dev.bristle.ml.verify.Bundle;
import dev.bristle.ml.verify.BundleReader;
import dev.bristle.ml.verify.CheckOutcome;
import dev.bristle.ml.verify.VerificationBounds;
import dev.bristle.ml.verify.VerificationCheck;
import dev.bristle.ml.verify.VerificationContext;
import dev.bristle.ml.verify.Verifier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code ./bristle verify BUNDLE}: the five checks a server runs on a submitted bundle, from the command line, so CI
 * can re-verify a published entry: integrity, clean predictions, sampled attacks, training, arithmetic.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {"Verify a submission bundle (made by"
        + " ./bristle score --bundle) as the server does: integrity, every student's clean predictions on the official"
        + " test split, attacks on a secret sample of the images the record calls robust, one student re-trained,"
        + " the metrics recomputed. Prints each check with its figures."},
        footer = {"", "exit status: 0 every check passed, 1 a check failed, 2 bad arguments or a bundle that cannot"
                + " be read"})
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    BristleCli cli;

    @Parameters(paramLabel = "BUNDLE", description = "the bundle (.zip)")
    Path bundleFile;

    @Option(names = "--data", paramLabel = "DIR", description = "data directory holding the official test split"
            + " (default: bristle.data-dir, $BRISTLE_HOME/data)")
    Path data;

    @Option(names = "--sample", paramLabel = "N", description = "images attacked per drawn student, attack and mode"
            + " (default 100)")
    void sample(int value) {
        sample = BristleCli.positive(spec, "--sample", value);
    }

    private int sample = VerificationContext.DEFAULT_SAMPLE;

    @Option(names = "--students-drawn", paramLabel = "K", description = "students whose attacks are re-run"
            + " (default 2)")
    void studentsDrawn(int value) {
        studentsDrawn = BristleCli.positive(spec, "--students-drawn", value);
    }

    private int studentsDrawn = VerificationContext.DEFAULT_STUDENTS_DRAWN;

    @Option(names = "--draw-seed", paramLabel = "S", description = "seed of the secret draws (default: a fresh random"
            + " one, printed after the checks)")
    Long drawSeed;

    @Option(names = "--checks", paramLabel = "C", split = ",", description = "only these checks, comma-separated"
            + " (integrity, clean-predictions, sampled-attacks, training, arithmetic; default: all)")
    List<String> checks;

    @Option(names = "--device", paramLabel = "D", defaultValue = "auto", description = "auto (default), cpu or gpu")
    String device;

    @Option(names = "--json", paramLabel = "OUT", description = "also write the outcomes as JSON")
    Path json;

    /** What {@code --json} writes. */
    public record Report(boolean passed, long drawSeed, List<CheckOutcome> checks) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<VerificationCheck> selected = checks == null ? List.of(VerificationCheck.values())
                : checks.stream().map(VerificationCheck::fromKey).toList();
        Path dataDir = data != null ? data : CliDirectories.ofSystem().dataDir();
        long seed = drawSeed != null ? drawSeed : new SecureRandom().nextLong();
        try (Bundle bundle = BundleReader.read(bundleFile)) {
            var record = bundle.record();
            DatasetKind kind = DatasetKind.fromName(record.subject().dataset());
            AttackProtocol protocol = AttackProtocol.fromKey(record.settings().protocol());
            TestSets.TestSet test = TestSets.load(kind, dataDir);
            String testSha = test.file() != null && Files.isRegularFile(test.file()) ? Digests.sha256(test.file()) : null;
            CliProgress progress = cli.progress(err);
            VerificationContext context = new VerificationContext(CliOfficial.ofSystem().of(protocol), test, testSha,
                    seed, sample, studentsDrawn, VerificationBounds.DEFAULT, device, progress.listener());
            out.printf(Locale.ROOT, "%s on %s, IPC %d, %s protocol: %d student(s), %d test images%n",
                    record.subject().method(), kind, record.subject().ipc(), protocol.key(), record.students().size(),
                    record.testSet().images());
            Verifier verifier = new Verifier();
            boolean passed = true;
            List<CheckOutcome> outcomes = new java.util.ArrayList<>();
            for (VerificationCheck check : selected) {
                CheckOutcome outcome = verifier.run(check, bundle, context);
                progress.finish();
                outcomes.add(outcome);
                passed &= outcome.passed();
                out.printf(Locale.ROOT, "%s: %s (%.1f s)%n  %s%n", check.key(), outcome.passed() ? "passed" : "FAILED",
                        outcome.seconds(), outcome.summary());
            }
            out.printf(Locale.ROOT, "%s; draw seed %d%n", passed ? "verified: every check passed"
                    : "not verified: a check failed", seed);
            if (json != null) {
                RecordJson.MAPPER.writeValue(json.toFile(),
                        new Report(passed, seed, outcomes));
            }
            return passed ? 0 : 1;
        } catch (InvalidInputException e) {
            throw new InvalidInputException("bundle refused: " + e.getMessage());
        }
    }
}
