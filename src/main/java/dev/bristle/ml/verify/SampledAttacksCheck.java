package dev.bristle.ml.verify;

import ai.djl.Device;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackBudgets;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.AutoAttack;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.AttackOutcome;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.AttackSession;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.torch.HostTensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Sampled attacks: for a drawn subset of the students, each attack in each mode runs here, at the recorded budgets
 * and with the recorded attack seed, on a secret sample of the images the record calls robust, and counts those the
 * attack here fools. An honest re-run fools a few (random starts drawn per batch, float differences: the honest rate
 * p0 of {@link VerificationBounds}); a record that calls fooled images robust has many more. One-sided binomial tests
 * against p0, per cell (Bonferroni over the cells) and pooled over all cells, each at the bound's significance: any
 * rejection fails the check.
 */
final class SampledAttacksCheck {

    private SampledAttacksCheck() {
    }

    static CheckOutcome run(Bundle bundle, VerificationContext context) {
        EvaluationRecord record = bundle.record();
        DatasetKind dataset = DatasetKind.fromName(record.subject().dataset());
        AttackProtocol protocol = AttackProtocol.fromKey(record.settings().protocol());
        ImageSet all = context.testSet().images().subset(record.testSet().images());
        Draws draws = new Draws(context.drawSeed());
        int[] drawn = draws.students(record.students().size(), context.studentsDrawn());
        Device device = ComputeDevice.select(context.device());
        ScoringPipeline.Listener listener = context.listener();
        List<AttackAgreement> cells = new ArrayList<>();
        int total = 0;
        for (int s : drawn) total += record.students().get(s).attacks().size();
        listener.stageStarted(ScoringPipeline.Stage.ATTACKS, total, "attacks on a secret sample of up to "
                + context.samplePerCell() + " robust images per attack and mode, students " + names(drawn));
        int done = 0;
        for (int s : drawn) {
            StudentOutcome student = record.students().get(s);
            LinkedHashMap<String, HostTensor> weights = bundle.stateDict(s);
            for (AttackOutcome outcome : student.attacks()) {
                if (listener.cancelled()) throw new CancellationException();
                cells.add(cell(record, protocol, dataset, all, draws, s, outcome, weights, device, context));
                listener.progress(++done, total, "student " + (s + 1) + ", " + outcome.attack() + " "
                        + outcome.mode());
            }
        }
        return verdict(cells, context);
    }

    private static AttackAgreement cell(EvaluationRecord record, AttackProtocol protocol, DatasetKind dataset,
                                        ImageSet all, Draws draws, int student, AttackOutcome outcome,
                                        LinkedHashMap<String, HostTensor> weights, Device device,
                                        VerificationContext context) {
        AttackMode mode = AttackMode.fromKey(outcome.mode());
        AttackPlan plan = new AttackPlan(List.of(outcome.attack()), List.of(mode), protocol,
                AttackBudgets.of(protocol, dataset), record.settings().attackSeed(), null,
                autoAttack(record.settings().autoattack()));
        Attack attack = plan.build(dataset.classCount()).get(0);
        if (!plan.runs(attack, mode)) {
            return new AttackAgreement(student, outcome.attack(), outcome.mode(), 0, 0, 0, 1);
        }
        int[] sample = draws.robustImages(outcome.perImage().correct(), context.samplePerCell(), student,
                outcome.attack(), outcome.mode());
        if (sample.length == 0) return new AttackAgreement(student, outcome.attack(), outcome.mode(), 0, 0, 0, 1);
        ImageSet images = select(all, sample);
        int fooled = 0;
        try (AttackSession session = new AttackSession(plan, weights, dataset, device, images, (n, m, d, t) -> {
            if (context.listener().cancelled()) throw new CancellationException();
        })) {
            AttackRun run = session.run(new ScoringPipeline.AttackUnit(outcome.attack(), mode, null));
            for (boolean correct : run.correct()) if (!correct) fooled++;
        }
        return new AttackAgreement(student, outcome.attack(), outcome.mode(), sample.length, sample.length, fooled,
                1 - (double) fooled / sample.length);
    }

    private static CheckOutcome verdict(List<AttackAgreement> cells, VerificationContext context) {
        VerificationBounds bounds = context.bounds();
        double p0 = bounds.honestFooledRate();
        long tested = cells.stream().filter(c -> c.recordRobust() > 0).count();
        int sampled = 0;
        int fooled = 0;
        List<String> rejected = new ArrayList<>();
        for (AttackAgreement cell : cells) {
            sampled += cell.recordRobust();
            fooled += cell.fooledHere();
            if (cell.recordRobust() > 0 && BinomialTest.rejects(cell.fooledHere(), cell.recordRobust(), p0,
                    bounds.significance() / tested)) {
                rejected.add(String.format(Locale.ROOT, "student %d %s %s: %d of %d fooled here", cell.student() + 1,
                        cell.attack(), cell.mode(), cell.fooledHere(), cell.recordRobust()));
            }
        }
        boolean pooled = sampled > 0 && BinomialTest.rejects(fooled, sampled, p0, bounds.significance());
        boolean passed = rejected.isEmpty() && !pooled;
        double agreement = sampled == 0 ? 1 : 1 - (double) fooled / sampled;
        String summary = String.format(Locale.ROOT, "%s: %d of %d images the record calls robust were fooled here"
                        + " (%.2f %%; the honest rate is %.2f %%, one-sided binomial test at %.4g over %d cell(s))%s",
                passed ? "passed" : "failed", fooled, sampled, sampled == 0 ? 0.0 : 100.0 * fooled / sampled,
                100 * p0, bounds.significance(), tested, rejected.isEmpty() ? ""
                        : "; too many in " + String.join(", ", rejected));
        return new CheckOutcome(VerificationCheck.SAMPLED_ATTACKS, passed, summary, sampled, agreement, p0, cells,
                context.drawSeed(), 0);
    }

    private static ImageSet select(ImageSet all, int[] indices) {
        int size = all.imageSize();
        float[] pixels = new float[indices.length * size];
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(all.pixels(), indices[i] * size, pixels, i * size, size);
            labels[i] = all.labels()[indices[i]];
        }
        return new ImageSet(pixels, labels, indices.length, all.channels(), all.height(), all.width(),
                all.classCount());
    }

    private static AutoAttack.Version autoAttack(String key) {
        return "standard".equalsIgnoreCase(key) ? AutoAttack.Version.STANDARD : AutoAttack.Version.TORCHATTACKS;
    }

    private static String names(int[] students) {
        List<String> names = new ArrayList<>();
        for (int s : students) names.add(String.valueOf(s + 1));
        return String.join(", ", names);
    }
}
