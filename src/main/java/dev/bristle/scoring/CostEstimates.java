package dev.bristle.scoring;

import dev.bristle.config.BristleConfig;
import dev.bristle.datasetpool.DistilledDataset;
import dev.bristle.input.InvalidInputException;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.CostModel;
import dev.bristle.modelpool.PoolModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job would cost, before it is queued: {@link CostModel}'s passes of its settings and of the official ones,
 * in hours on the live workers at the rates they measured ({@link PassRates}). Refuses what queueing refuses, with
 * the same reasons.
 */
@ApplicationScoped
public class CostEstimates {

    /** Every dataset's test split (CIFAR-10 and -100, TinyImageNet's validation split, MNIST and Fashion-MNIST). */
    static final int TEST_SPLIT_IMAGES = 10_000;

    private static final CostModel MODEL = new CostModel(CostModel.Resisting.PRIOR);

    @Inject
    PassRates rates;

    @Inject
    BristleConfig config;

    /** A job training students on pooled set {@code datasetId}. */
    @Transactional
    public JobEstimate forSet(long datasetId, JobSettings settings) {
        DistilledDataset set = JobService.queueableSet(datasetId, settings);
        DatasetKind dataset = DatasetKind.fromName(set.dataset);
        return estimate(dataset, set.imageCount, settings, official(settings), rates.fleet(), shardImages());
    }

    /** The evaluation of model-pool checkpoint {@code modelId} as it is. */
    @Transactional
    public JobEstimate forCheckpoint(long modelId, JobSettings settings) {
        PoolModel model = JobService.queueableCheckpoint(modelId, settings);
        return estimate(DatasetKind.fromName(model.dataset), 0, settings, official(settings).forCheckpoint(),
                rates.fleet(), shardImages());
    }

    /**
     * {@code tasks} of one phase of a job with {@code settings} on {@code dataset}, the longest expected first: a fleet
     * that takes them in this order ends the phase with the short ones, its workers finishing close together.
     */
    static List<ScoringTask> longestFirst(List<ScoringTask> tasks, JobSettings settings, DatasetKind dataset) {
        if (tasks.size() < 2) return tasks;
        AttackPlan plan;
        try {
            plan = settings.attackPlan(dataset);
        } catch (InvalidInputException e) {
            return tasks; // settings no longer valid: the tasks fail with the reason when they run, in any order
        }
        int testImages = testImages(settings);
        Map<Long, Double> passes = new HashMap<>();
        for (ScoringTask task : tasks) {
            int images = task.shardImages != null ? task.shardImages : testImages;
            passes.put(task.id, switch (task.kind) {
                case EVALUATE -> MODEL.taskPasses(plan, null, images, dataset.classCount());
                case ATTACK -> MODEL.taskPasses(plan, task.unit(), images, dataset.classCount());
                case TRAIN, ASSEMBLE -> 0.0;
            });
        }
        return tasks.stream().sorted(Comparator.comparing((ScoringTask t) -> passes.get(t.id)).reversed()).toList();
    }

    private int shardImages() {
        return config.scoring().shardImages();
    }

    /** The official settings of {@code settings}' protocol, with its recipe and seed. */
    private JobSettings official(JobSettings settings) {
        var o = OfficialRuns.of(AttackProtocol.fromKey(settings.protocol()), config.official());
        return new JobSettings(o.epochs(), o.students(), o.testImages(), settings.seed(), o.attacks(), o.modes(),
                settings.protocol(), false, settings.recipe());
    }

    private static JobEstimate estimate(DatasetKind dataset, int trainingSet, JobSettings chosen, JobSettings official,
                                        PassRates.Fleet fleet, int shardImages) {
        JobEstimate.Fleet shown = new JobEstimate.Fleet(fleet.workers().size(), fleet.trainingPerSecond(),
                fleet.attacksPerSecond());
        return new JobEstimate(cost(dataset, trainingSet, chosen, shown, shardImages),
                cost(dataset, trainingSet, official, shown, shardImages), shown);
    }

    /** The test images a job with {@code settings} is planned for: its limit, or the whole split. */
    static int testImages(JobSettings settings) {
        return settings.testLimit() == null ? TEST_SPLIT_IMAGES : Math.min(settings.testLimit(), TEST_SPLIT_IMAGES);
    }

    private static JobEstimate.Cost cost(DatasetKind dataset, int trainingSet, JobSettings settings,
                                         JobEstimate.Fleet fleet, int shardImages) {
        int testImages = testImages(settings);
        boolean trained = settings.epochs() > 0;
        CostModel.RunCost run = MODEL.run(settings.students(), trained, trained ? settings.epochs() + 1 : 0,
                trainingSet, settings.trainingRecipe(dataset), settings.attackPlan(dataset), testImages, shardImages,
                dataset.classCount());
        return new JobEstimate.Cost(run.total(), run.training(), run.evaluation(), run.attackPasses(),
                run.budgetPasses(), testImages, run.tasks(), hours(run, fleet),
                run.attacks().stream().map(a -> new JobEstimate.AttackPasses(a.attack(), a.mode().key(),
                        MODEL.expected(a), a.budget())).toList());
    }

    /**
     * Training on one worker (a job's students train in one task), then the clean evaluations and the attack runs'
     * shards spread over every live worker, but no sooner than one worker finishes the largest of those tasks.
     */
    private static Double hours(CostModel.RunCost run, JobEstimate.Fleet fleet) {
        if (fleet.workers() == 0 || fleet.attacksPerSecond() == null
                || run.training() > 0 && fleet.trainingPerSecond() == null) {
            return null;
        }
        double training = run.training() == 0 ? 0 : run.training() / fleet.trainingPerSecond();
        double spread = (run.evaluation() + run.attackPasses()) / (fleet.attacksPerSecond() * fleet.workers());
        double attacks = Math.max(spread, run.largestTask() / fleet.attacksPerSecond());
        return (training + attacks) / 3600;
    }
}
