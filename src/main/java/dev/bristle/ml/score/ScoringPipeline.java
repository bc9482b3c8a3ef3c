package dev.bristle.ml.score;

import ai.djl.Device;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.SanityFlag;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.Stats;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.train.TrainedStudent;
import dev.bristle.ml.train.TrainingConfig;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;

/**
 * Scores a distilled set, stage by stage: trains students on it ({@link StudentTraining}), measures their clean
 * accuracy on the test split, attacks them with the {@link AttackPlan}'s attacks in its modes and protocol, shard by
 * shard of the test images ({@link AttackStage}), and computes BEARD's metrics (RRM, AEM, CREI) per mode
 * ({@link RunAssembly}). Each finished piece (a trained student, a student's accuracy, one attack run's shard) goes to
 * a {@link StageStore} as soon as it exists and is taken from there instead of recomputed, so a run that stopped
 * (cancelled, crashed) resumes where it was.
 */
public final class ScoringPipeline {

    public enum Stage { TRAINING, CLEAN_EVALUATION, ATTACKS }

    /**
     * @param method   the distillation method's name, for messages
     * @param set      the distilled set as stored; null when every student is already in the {@link StageStore} (a
     *                 checkpoint evaluated as it is)
     * @param dataset  the dataset it was distilled from
     * @param testSet  the test images the students are evaluated on
     * @param training how students are trained
     * @param attacks  what the students are attacked with ({@link AttackPlan#none()}: no attack stage)
     * @param shardImages test images per shard of an attack run ({@link TestShard#split}) when {@link #run} measures
     *                    them all
     */
    public record Request(String method, DistilledSet set, DatasetKind dataset, TestSets.TestSet testSet,
                          TrainingConfig training, AttackPlan attacks, int shardImages) {

        /** Test images an attack task covers unless configured otherwise. */
        public static final int DEFAULT_SHARD_IMAGES = 1000;

        /** A request whose attack runs are measured in shards of {@link #DEFAULT_SHARD_IMAGES}. */
        public Request(String method, DistilledSet set, DatasetKind dataset, TestSets.TestSet testSet,
                       TrainingConfig training, AttackPlan attacks) {
            this(method, set, dataset, testSet, training, attacks, DEFAULT_SHARD_IMAGES);
        }
    }

    /** Told what the pipeline is doing; asked, between batches, epochs and students, whether to stop. */
    public interface Listener {

        void stageStarted(Stage stage, int total, String label);

        void progress(int done, int total, String label);

        boolean cancelled();
    }

    /** Where finished pieces are kept between runs of the same job. */
    public interface StageStore {

        /** The weights of student {@code index} when it was trained before. */
        Optional<LinkedHashMap<String, HostTensor>> student(int index) throws IOException;

        void studentTrained(TrainedStudent student) throws IOException;

        OptionalDouble cleanAccuracy(int index);

        void cleanEvaluated(int index, CleanEvaluation evaluation);

        /** Student {@code index}'s measurement of {@code attack} ({@link Measurement#CLEAN}: the suite's clean pass). */
        Optional<Measurement> attackMeasurement(int index, AttackMode mode, String attack);

        void attackMeasured(int index, AttackMode mode, Measurement measurement);

        /** Student {@code index}'s measurements of {@code unit}'s shards stored so far, in any order. */
        List<TestShard.Measured> attackShards(int index, AttackUnit unit);

        void attackShardMeasured(int index, AttackUnit unit, TestShard.Measured measured);

        /** Student {@code index}'s accuracy under {@code attack} at grid budget {@code eps}, when measured before. */
        OptionalDouble curvePoint(int index, AttackMode mode, String attack, double eps);

        void curvePointMeasured(int index, AttackMode mode, String attack, double eps, double accuracy);

        /** Student {@code index}'s zero-gradient census at the clean point, when taken before. */
        Optional<GradientCensus> gradientCensus(int index);

        void gradientsCounted(int index, GradientCensus census);
    }

    /** One student's outcome; {@code reused} when a previous run had already trained it. */
    public record StudentScore(int index, double cleanAccuracy, boolean reused) {
    }

    /**
     * @param completed   false when cancelled before the end (then {@code students} holds only what finished)
     * @param metrics     BEARD's multi-adversary metrics per attack mode, AE on the protocol's
     *                    {@link AttackProtocol#efficiencyBasis()}; empty without an attack stage
     * @param uncertainty per attack mode, RRM, AEM and CREI with their spread over the students and bootstrap interval
     * @param evidence    per student: per-class accuracy, worst case over the attacks, sanity flags
     * @param curves      accuracy versus budget per attack and mode, the mean over the students; empty without a grid
     */
    public record Result(boolean completed, List<StudentScore> students, String testSet, String testSetNote,
                         int testImages, Map<AttackMode, MetricReport> metrics,
                         Map<AttackMode, MetricUncertainty> uncertainty, List<ModelEvidence> evidence,
                         List<BudgetSweep.Curve> curves) {

        /** Every student's sanity flags, each labelled with its student. */
        public List<String> flagLines() {
            List<String> lines = new ArrayList<>();
            for (ModelEvidence student : evidence) {
                for (SanityFlag flag : student.flags()) {
                    lines.add(student.label() + ": " + flag.check().key() + ": " + flag.evidence());
                }
            }
            return lines;
        }

        public double meanCleanAccuracy() {
            return students.stream().mapToDouble(StudentScore::cleanAccuracy).average().orElse(Double.NaN);
        }

        /** Sample standard deviation (n - 1); 0 for one student. */
        public double cleanAccuracyStd() {
            return Stats.sampleStd(students.stream().mapToDouble(StudentScore::cleanAccuracy).toArray());
        }
    }

    /**
     * One run of one attack on a student, as the attack stage splits its work (a job's tasks run them one at a time,
     * on any instance).
     *
     * @param eps a budget of the grid; null: the attack at its recorded budget (and, for an attack without a budget and
     *            a grid, its curve read off the minimal perturbations)
     */
    public record AttackUnit(String attack, AttackMode mode, Double eps) {
    }

    /**
     * Trains, evaluates and attacks every student in turn, then computes the metrics: the whole job in one go, each
     * attack run measured in shards of the request's size as a job's tasks measure it.
     */
    public Result run(Request request, StageStore store, Listener listener) throws IOException {
        List<Boolean> reused = StudentTraining.train(request, store, listener);
        if (reused == null) return partial(request, List.of());
        int students = request.training().students();
        int testImages = request.testSet().images().count();
        listener.stageStarted(Stage.CLEAN_EVALUATION, students * testImages, "clean accuracy of " + students
                + " student(s) on " + testImages + " test images");
        Device device = ComputeDevice.select(request.training().device());
        List<StudentScore> scores = new ArrayList<>();
        for (int i = 0; i < students; i++) {
            if (listener.cancelled()) return partial(request, scores);
            double accuracy = cleanAccuracy(request, store, i, device);
            scores.add(new StudentScore(i, accuracy, reused.get(i)));
            listener.progress((i + 1) * testImages, students * testImages, "student " + (i + 1) + " of " + students
                    + ": " + String.format(Locale.ROOT, "%.2f", accuracy) + " % clean");
        }
        if (!request.attacks().isEmpty() && !attackAll(request, store, listener, device)) {
            return partial(request, scores);
        }
        return assemble(request, store, reused);
    }

    /**
     * Student {@code index}'s clean accuracy and, with attacks, the attack stage's clean pass in each mode and the
     * zero-gradient census: what a job's task for one student's clean evaluation does.
     *
     * @return false when cancelled
     */
    public boolean evaluate(Request request, StageStore store, Listener listener, int index) throws IOException {
        int testImages = request.testSet().images().count();
        listener.stageStarted(Stage.CLEAN_EVALUATION, testImages, "clean accuracy of student " + (index + 1)
                + " on " + testImages + " test images");
        Device device = ComputeDevice.select(request.training().device());
        double accuracy = cleanAccuracy(request, store, index, device);
        listener.progress(testImages, testImages, "student " + (index + 1) + ": "
                + String.format(Locale.ROOT, "%.2f", accuracy) + " % clean");
        if (request.attacks().isEmpty() || AttackStage.cleanRecorded(request, store, index)) return true;
        try (AttackSession session = AttackStage.session(request, store, index, TestShard.all(testImages), device,
                listener)) {
            AttackStage.recordClean(request, store, index, session);
        } catch (CancellationException e) {
            return false;
        }
        return true;
    }

    /**
     * One attack run of student {@code index} over one shard of the test images (stage ATTACKS), unless the store has
     * it: what a job's attack task does. A shard that starts past the end of the test set has nothing to measure.
     *
     * @return false when cancelled
     */
    public boolean attack(Request request, StageStore store, Listener listener, int index, AttackUnit unit,
                          TestShard planned) throws IOException {
        Optional<TestShard> shard = planned.within(request.testSet().images().count());
        if (shard.isEmpty()) return true;
        int images = shard.get().count();
        listener.stageStarted(Stage.ATTACKS, images, "student " + (index + 1) + ", " + unit.attack() + " "
                + unit.mode().key() + (unit.eps() == null ? "" : " at grid budget " + unit.eps()) + ", "
                + shard.get().describe());
        if (!AttackStage.measured(store, index, unit, shard.get())) {
            Device device = ComputeDevice.select(request.training().device());
            try (AttackSession session = AttackStage.session(request, store, index, shard.get(), device, listener)) {
                AttackStage.measure(store, index, session, unit, shard.get());
            } catch (CancellationException e) {
                return false;
            }
        }
        listener.progress(images, images, "done");
        return true;
    }

    /**
     * The run's result from what the store holds: each attack run's shards joined into its measurement, then each
     * student's clean accuracy, BEARD's metrics, their uncertainty, the evidence and the curves. Every piece must be
     * in the store.
     *
     * @param reused per student, whether training found it already trained
     */
    public Result assemble(Request request, StageStore store, List<Boolean> reused) {
        if (!request.attacks().isEmpty()) {
            for (int i = 0; i < request.training().students(); i++) AttackStage.join(request, store, i);
        }
        return RunAssembly.assemble(request, store, reused);
    }

    /** Student {@code index}'s clean accuracy on the test set, measured unless the store has it. */
    private static double cleanAccuracy(Request request, StageStore store, int index, Device device)
            throws IOException {
        OptionalDouble known = store.cleanAccuracy(index);
        if (known.isPresent()) return known.getAsDouble();
        DatasetKind dataset = request.dataset();
        LinkedHashMap<String, HostTensor> weights = store.student(index).orElseThrow(() ->
                new IllegalStateException("student " + index + " was trained but its weights are not in the store"));
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(weights, dataset.imageSize(), dataset.mean(),
                dataset.std(), device)) {
            CleanEvaluation evaluation = new CleanEvaluator(model).evaluate(request.testSet().images().pixels(),
                    request.testSet().images().labels());
            store.cleanEvaluated(index, evaluation);
            return evaluation.accuracy();
        }
    }

    /**
     * Every planned attack run of every student (stage ATTACKS), shard by shard, each shard's session serving all the
     * runs; progress counts images over all runs. False when cancelled.
     */
    private boolean attackAll(Request request, StageStore store, Listener listener, Device device)
            throws IOException {
        AttackPlan plan = request.attacks();
        List<AttackUnit> units = AttackStage.units(plan, request.dataset().classCount());
        int images = request.testSet().images().count();
        int students = request.training().students();
        int total = students * units.size() * images;
        listener.stageStarted(Stage.ATTACKS, total, units.size() + " attack run(s) per student (" + String.join(
                ", ", plan.attacks()) + "; " + plan.modes().stream().map(AttackMode::key).toList() + ", "
                + plan.protocol().key() + " protocol)");
        OverallProgress overall = new OverallProgress(listener, total);
        for (int i = 0; i < students; i++) {
            if (listener.cancelled()) return false;
            overall.student = "student " + (i + 1) + " of " + students;
            try {
                if (!AttackStage.cleanRecorded(request, store, i)) {
                    try (AttackSession whole = AttackStage.session(request, store, i, TestShard.all(images), device,
                            overall)) {
                        AttackStage.recordClean(request, store, i, whole);
                    }
                }
                for (TestShard shard : TestShard.split(images, request.shardImages())) {
                    attackShard(request, store, i, shard, units, device, overall);
                }
            } catch (CancellationException e) {
                return false;
            }
        }
        return true;
    }

    /** Student {@code index}'s runs of {@code units} over {@code shard} not stored yet, in one session. */
    private static void attackShard(Request request, StageStore store, int index, TestShard shard,
                                    List<AttackUnit> units, Device device, OverallProgress progress)
            throws IOException {
        if (units.stream().allMatch(unit -> AttackStage.measured(store, index, unit, shard))) {
            progress.finished += units.size() * shard.count();
            return;
        }
        try (AttackSession session = AttackStage.session(request, store, index, shard, device, progress)) {
            for (AttackUnit unit : units) {
                AttackStage.measure(store, index, session, unit, shard);
                progress.runDone(shard.count(), unit.attack() + " " + unit.mode().key() + (unit.eps() == null ? ""
                        : " at " + unit.eps()) + ", " + shard.describe() + " done");
            }
        }
    }

    /** The attack stage's progress over every student's runs, in images: each run's batches add to the runs done. */
    private static final class OverallProgress implements Listener {
        private final Listener listener;
        private final int total;
        private int finished;
        private String student;

        OverallProgress(Listener listener, int total) {
            this.listener = listener;
            this.total = total;
        }

        void runDone(int images, String label) {
            finished += images;
            listener.progress(finished, total, student + ": " + label);
        }

        @Override
        public void stageStarted(Stage stage, int all, String label) {
            listener.stageStarted(stage, all, label);
        }

        @Override
        public void progress(int done, int all, String label) {
            listener.progress(finished + done, total, student + ", " + label);
        }

        @Override
        public boolean cancelled() {
            return listener.cancelled();
        }
    }

    private static Result partial(Request request, List<StudentScore> scores) {
        return new Result(false, scores, request.testSet().description(), request.testSet().note(),
                request.testSet().images().count(), Map.of(), Map.of(), List.of(), List.of());
    }
}
