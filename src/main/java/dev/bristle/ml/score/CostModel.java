package dev.bristle.ml.score;

import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.train.TrainingRecipe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The model passes a scoring run will spend, from its settings alone, before anything runs. A pass is what
 * {@link dev.bristle.ml.attack.AttackTarget} counts: one forward or one backward pass of one image (so a gradient
 * step is two), plus each attack's scoring pass, as the recorded passes per image count them.
 *
 * <p>Each attack's cost per image is split into what every attacked image spends ({@link AttackCost#always}) and what
 * only an image that resists the attack to its end spends ({@link AttackCost#ifResisting}); an attack that stops on an
 * image once it is fooled (Square and DeepFool always, the gradient attacks in the sound protocol, AutoAttack's later
 * components, which see only the images the earlier ones failed on) spends the second part on the resisting share of
 * the images only. That share is unknown before the run; {@link Resisting#PRIOR} is a prior between the shares
 * measured on BEARD's BACON student for PGD and DeepFool (docs/jobs-and-boards.md, "Cost before it is spent").
 *
 * @param resisting the share of the images an attack that stops early still works on at its end, per mode
 */
public record CostModel(Resisting resisting) {

    /** Training passes of one image in one epoch: forward and backward (the backward pass counted once). */
    static final int TRAINING_PASSES = 2;
    /** The clean pass each task that attacks a student starts from (its attack session's), per image. */
    static final int SESSION_PASS = 1;
    /** The zero-gradient census of a student's clean evaluation: forward and backward, per image. */
    static final int CENSUS_PASSES = 2;

    /**
     * The share of the images that resist an early-stopping attack to the end of its budget.
     *
     * @param untargeted share in untargeted mode, in [0, 1]
     * @param targeted   share in targeted mode (an image resists until the chosen class is reached), in [0, 1]
     */
    public record Resisting(double untargeted, double targeted) {

        /**
         * A prior, not a measurement of Square or AutoAttack: on BACON's student (sound protocol, 32 exact CIFAR-10
         * test images, CostModelCheck) PGD implied 0.72 and DeepFool 0.06; the targeted share is higher, since an
         * image resists until the chosen class is reached.
         */
        public static final Resisting PRIOR = new Resisting(0.30, 0.55);

        /** Every image resists: the passes are the attacks' budgets, an upper bound. */
        public static final Resisting ALL = new Resisting(1, 1);

        public Resisting {
            if (!(untargeted >= 0 && untargeted <= 1 && targeted >= 0 && targeted <= 1)) {
                throw new IllegalArgumentException("resisting shares must be in [0, 1]");
            }
        }

        double of(AttackMode mode) {
            return mode == AttackMode.TARGETED ? targeted : untargeted;
        }
    }

    /**
     * One attack's passes per image in one mode: {@code always} spent on every image (the scoring pass included),
     * {@code ifResisting} more on an image that resists to the end; {@code stopsEarly}: a fooled image does not spend
     * the second part.
     */
    public record AttackCost(String attack, AttackMode mode, double always, double ifResisting, boolean stopsEarly) {

        /** Passes per image of an image that resists to the end: the attack's budget. */
        public double budget() {
            return always + ifResisting;
        }

        /** Passes per image expected when {@code share} of the images resist. */
        public double expected(double share) {
            return always + ifResisting * (stopsEarly ? share : 1);
        }
    }

    /**
     * The passes of a whole run, and the tasks a job splits it into.
     *
     * @param training      training every student (none for a checkpoint)
     * @param evaluation    the students' clean evaluations: clean accuracy and, with attacks, the attack session's
     *                      clean pass and the zero-gradient census
     * @param attacks       each attack run of one student (an attack in a mode, or at one grid budget), expected
     *                      passes per image
     * @param attackPasses  all attack runs of all students, each shard's task with its clean pass
     * @param largestTask   the measurement task that costs most, a shard of the costliest attack run or a student's
     *                      clean evaluation: no worker finishes the measurement phase sooner
     * @param budgetPasses  the attack runs if every image resisted every attack: the upper bound of the attack stage
     * @param tasks         the job's tasks: training (when the students are trained), per student a clean evaluation
     *                      and one task per shard of each attack run, and the assembly of the results
     */
    public record RunCost(long training, long evaluation, List<AttackCost> attacks, long attackPasses, long largestTask,
                          long budgetPasses, int tasks) {

        public long total() {
            return training + evaluation + attackPasses;
        }
    }

    /**
     * What a run spends.
     *
     * @param students      students trained (0 for a checkpoint) and evaluated (at least 1)
     * @param trained       whether the students are trained (false: a checkpoint evaluated as it is)
     * @param epochsRun     epochs actually run (BEARD's nominal epochs plus one)
     * @param trainingSet   images of the distilled set
     * @param recipe        how the students train
     * @param plan          the attacks; empty: clean accuracy only
     * @param testImages    test images evaluated
     * @param shardImages   test images per attack task, before {@link TestShard#roundedSize rounding} to whole batches
     * @param classes       the dataset's classes
     */
    public RunCost run(int students, boolean trained, int epochsRun, int trainingSet, TrainingRecipe recipe,
                       AttackPlan plan, int testImages, int shardImages, int classes) {
        long training = trained ? (long) students * epochsRun * trainingSet * trainingPassesPerImage(recipe) : 0;
        boolean attacked = !plan.isEmpty();
        int evaluated = Math.max(students, 1);
        long evaluationPerStudent = (long) testImages * (1 + (attacked ? SESSION_PASS + CENSUS_PASSES : 0));
        List<TestShard> shards = TestShard.split(testImages, shardImages);
        int largestShard = shards.isEmpty() ? 0 : shards.get(0).count();
        List<AttackCost> costs = new ArrayList<>();
        double perStudent = 0;
        double budget = 0;
        double largest = evaluationPerStudent;
        if (attacked) {
            Map<String, Attack> byName = new java.util.HashMap<>();
            for (Attack attack : plan.build(classes)) byName.put(attack.name(), attack);
            for (ScoringPipeline.AttackUnit unit : AttackStage.units(plan, classes)) {
                Attack attack = byName.get(unit.attack());
                if (unit.eps() != null) attack = plan.at(attack, unit.eps(), classes);
                AttackCost cost = attack(attack, plan.protocol(), unit.mode(), classes);
                costs.add(cost);
                perStudent += (SESSION_PASS + expected(cost)) * testImages;
                budget += (SESSION_PASS + cost.budget()) * testImages;
                largest = Math.max(largest, (SESSION_PASS + expected(cost)) * largestShard);
            }
        }
        int tasks = (trained ? 1 : 0) + evaluated * (1 + costs.size() * shards.size()) + 1;
        return new RunCost(training, evaluationPerStudent * students, costs, Math.round(perStudent * evaluated),
                Math.round(largest), Math.round(budget * evaluated), tasks);
    }

    /**
     * The passes one task of a job is expected to spend: a student's clean evaluation of {@code images} test images
     * ({@code unit} null), or {@code unit}'s attack run over a shard of {@code images}.
     */
    public double taskPasses(AttackPlan plan, ScoringPipeline.AttackUnit unit, int images, int classes) {
        if (unit == null) return (double) images * (1 + (plan.isEmpty() ? 0 : SESSION_PASS + CENSUS_PASSES));
        Attack attack = AttackStage.attack(plan, unit, classes);
        return (SESSION_PASS + expected(attack(attack, plan.protocol(), unit.mode(), classes))) * images;
    }

    /** {@code cost}'s expected passes per image at this model's resisting share of its mode. */
    public double expected(AttackCost cost) {
        return cost.expected(resisting.of(cost.mode()));
    }

    /** Training passes of one image in one epoch under {@code recipe}: PGD-AT adds its steps' gradient passes. */
    public static int trainingPassesPerImage(TrainingRecipe recipe) {
        return TRAINING_PASSES * (1 + recipe.steps());
    }

    /**
     * The passes per image of {@code attack} in {@code mode} under {@code protocol}, from its hyperparameters
     * ({@link Attack#hyperparameters()}): steps, queries, samples, restarts.
     */
    public static AttackCost attack(Attack attack, AttackProtocol protocol, AttackMode mode, int classes) {
        Map<String, Object> p = attack.hyperparameters();
        boolean sound = protocol.stopsOnSuccess();
        String name = attack.name();
        return switch (name) {
            case "FGSM" -> new AttackCost(name, mode, 1 + 2, 0, false);
            // Gradient steps: in the sound protocol an image leaves at the step that fooled it.
            case "PGD", "PGD_L2", "CW" -> steps(name, mode, 2.0 * number(p, "steps"), sound);
            // A step is a forward and backward pass of the image repeated once per other class (its K - 1 gradient
            // gaps), and, torchattacks' way, a forward pass of the image alone to decide.
            case "DeepFool" -> new AttackCost(name, mode, 1 + 2.0 * (classes - 1), (number(p, "steps") - 1)
                    * (2.0 * (classes - 1) + (singleImage(p) ? 1 : 0)) + (singleImage(p) ? 1 : 0), true);
            case "Square" -> square(name, mode, p);
            // Each iteration: a pair of forward passes per sample of the gradient estimate (and, in the sound
            // protocol, a forward pass to see which images are fooled).
            case "SPSA" -> steps(name, mode, number(p, "iterations") * (2.0 * number(p, "samples") + (sound ? 1 : 0)),
                    sound);
            case "Noise" -> new AttackCost(name, mode, 1, 0, false);
            case "AutoAttack" -> autoAttack(name, mode, p, sound);
            default -> throw new IllegalArgumentException("no cost model for attack '" + name + "'");
        };
    }

    private static AttackCost steps(String name, AttackMode mode, double passes, boolean stopsEarly) {
        return stopsEarly ? new AttackCost(name, mode, 1, passes, true) : new AttackCost(name, mode, 1 + passes, 0,
                false);
    }

    /** Square: a forward pass of the start, then one per query (each restart), and the scoring pass. */
    private static AttackCost square(String name, AttackMode mode, Map<String, Object> p) {
        return new AttackCost(name, mode, 2, number(p, "restarts") * number(p, "queries"), true);
    }

    /**
     * AutoAttack: APGD-CE on every image, then APGD-T, FAB and Square each on the images all earlier components
     * failed on, each followed by a forward pass that sees which its results fooled.
     */
    @SuppressWarnings("unchecked")
    private static AttackCost autoAttack(String name, AttackMode mode, Map<String, Object> p, boolean sound) {
        Map<String, Map<String, Object>> components = (Map<String, Map<String, Object>>) p.get("components");
        double always = 1;
        double later = 0;
        boolean first = true;
        for (Map.Entry<String, Map<String, Object>> component : components.entrySet()) {
            double passes = 1 + component(component.getKey(), component.getValue());
            if (first) {
                always += sound ? 3 + 1 : passes;
                later += sound ? passes - 4 : 0;
                first = false;
            } else {
                later += passes;
            }
        }
        return new AttackCost(name, mode, always, later, true);
    }

    private static double component(String name, Map<String, Object> p) {
        double restarts = number(p, "restarts");
        return switch (name) {
            // A scoring pass, then per run (a target class each for APGD-T) a first gradient and one per step.
            case "APGD-CE" -> 1 + restarts * 2 * (1 + number(p, "steps"));
            case "APGD-T" -> 1 + number(p, "targetClasses") * restarts * 2 * (1 + number(p, "steps"));
            // Per target class and step: a forward pass, the backward pass of the aimed logit minus the label's and a
            // forward pass of the step's result; a forward pass of the start and of the result.
            case "FAB-T" -> restarts * number(p, "targetClasses") * (2 + number(p, "steps") * 3.0);
            case "Square" -> 1 + number(p, "restarts") * number(p, "queries");
            default -> throw new IllegalArgumentException("no cost model for AutoAttack's component '" + name + "'");
        };
    }

    private static boolean singleImage(Map<String, Object> p) {
        return String.valueOf(p.get("logits")).startsWith("one image");
    }

    private static double number(Map<String, Object> p, String key) {
        Object value = p.get(key);
        if (!(value instanceof Number n)) throw new IllegalArgumentException("the attack has no number '" + key + "'");
        return n.doubleValue();
    }
}
