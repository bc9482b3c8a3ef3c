package dev.bristle.ml.score;

import ai.djl.Device;
import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.AttackSuite;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.CleanRun;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;

import java.util.List;
import java.util.Map;

/**
 * One model loaded for attacking under an {@link AttackPlan}: the model in the plan's space, the suite over it and
 * the suite's clean pass, which every attack run of the model starts from. The one attack stage of {@code score}, a
 * job's tasks ({@link ScoringPipeline}) and {@code evaluate}.
 */
public final class AttackSession implements AutoCloseable {

    private final AttackPlan plan;
    private final ImageSet images;
    private final int classes;
    private final PixelSpaceModel model;
    private final AttackSuite suite;
    private final CleanRun clean;
    private final int firstBatch;

    /**
     * @param progress told after every batch of every run; it may throw to stop the session
     */
    public AttackSession(AttackPlan plan, Map<String, HostTensor> weights, DatasetKind dataset, Device device,
                         ImageSet images, AttackSuite.Progress progress) {
        this(plan, weights, dataset, device, images, 0, progress);
    }

    /**
     * A session over a shard of a larger test set.
     *
     * @param images     the shard's images
     * @param firstBatch the batch of the whole set the shard starts ({@link TestShard#firstBatch()}): its runs' batches
     *                   are seeded as the whole set's
     * @param progress   told after every batch of every run; it may throw to stop the session
     */
    public AttackSession(AttackPlan plan, Map<String, HostTensor> weights, DatasetKind dataset, Device device,
                         ImageSet images, int firstBatch, AttackSuite.Progress progress) {
        this.plan = plan;
        this.images = images;
        this.firstBatch = firstBatch;
        this.classes = dataset.classCount();
        this.model = plan.attackedModel(weights, dataset, device);
        try {
            this.suite = new AttackSuite(plan.target(model, dataset), AttackSuite.DEFAULT_BATCH_SIZE, plan.seed(), 1,
                    progress);
            this.clean = suite.clean(images.pixels(), images.labels());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    public CleanRun clean() {
        return clean;
    }

    /** The zero-gradient census at the clean point. */
    public GradientCensus gradientCensus() {
        return suite.gradientCensus(images.pixels(), images.labels());
    }

    /** The plan's attack runs of this model, in report order ({@link AttackStage#units}). */
    public List<ScoringPipeline.AttackUnit> units() {
        return AttackStage.units(plan, classes);
    }

    private Attack attack(ScoringPipeline.AttackUnit unit) {
        return AttackStage.attack(plan, unit, classes);
    }

    public AttackRun run(ScoringPipeline.AttackUnit unit) {
        return suite.run(attack(unit), unit.mode(), images.pixels(), images.labels(), clean, firstBatch);
    }

    /**
     * {@code run} of {@code unit} as the metrics and records take it: with per-image perturbation norms when its
     * attack is a minimal-perturbation one (no budget: CW, DeepFool).
     */
    public Measurement measurement(ScoringPipeline.AttackUnit unit, AttackRun run) {
        return run.measurement(attack(unit).budget().isEmpty());
    }

    /**
     * The points {@code run} of {@code unit} gives its attack's accuracy-versus-budget curve: the accuracy at the
     * unit's grid budget; for an unbudgeted attack with a grid, the accuracy at each L2 budget read off its minimal
     * perturbations; none otherwise.
     */
    public List<BudgetSweep.Point> curvePoints(ScoringPipeline.AttackUnit unit, AttackRun run) {
        if (unit.eps() != null) return List.of(new BudgetSweep.Point(unit.eps(), run.accuracy()));
        return BudgetSweep.minimalCurve(clean.correct(), measurement(unit, run), plan.gridBudgets(attack(unit)));
    }

    @Override
    public void close() {
        model.close();
    }
}
