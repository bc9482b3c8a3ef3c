package dev.bristle.ml.score;

import ai.djl.Device;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.eval.CleanEvaluation;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.torch.HostTensor;
import dev.bristle.ml.train.StudentTrainer;
import dev.bristle.ml.train.TrainedStudent;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingImages;

import dev.bristle.ml.attack.Attack;
import dev.bristle.ml.attack.AttackRun;
import dev.bristle.ml.attack.BudgetSweep;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.attack.GradientCensus;
import dev.bristle.ml.evidence.AttackFacts;
import dev.bristle.ml.evidence.MetricUncertainty;
import dev.bristle.ml.evidence.ModelEvidence;
import dev.bristle.ml.evidence.SanityFlag;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.metrics.Measurement;
import dev.bristle.ml.metrics.MetricReport;
import dev.bristle.ml.metrics.Stats;
import dev.bristle.ml.metrics.StudentResults;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * Scores a distilled set: trains students on it, measures their clean accuracy on the test split, attacks them with
 * the {@link AttackPlan}'s attacks in its modes and protocol, and computes BEARD's metrics (RRM, AEM, CREI) per mode.
 * Each finished piece (a trained student, a student's accuracy, one attack's measurement) goes to a
 * {@link StageStore} as soon as it exists and is taken from there instead of recomputed, so a run that stopped
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
     */
    public record Request(String method, DistilledSet set, DatasetKind dataset, TestSets.TestSet testSet,
                          TrainingConfig training, AttackPlan attacks) {
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

    /** The attack runs each student gets under {@code plan}, in the order {@link #run} measures them. */
    public static List<AttackUnit> attackUnits(AttackPlan plan, int classes) {
        List<AttackUnit> units = new ArrayList<>();
        for (Attack attack : plan.build(classes)) {
            for (AttackMode mode : plan.modes()) {
                if (!plan.runs(attack, mode)) continue;
                units.add(new AttackUnit(attack.name(), mode, null));
                if (attack.budget().isEmpty()) continue;
                for (double eps : plan.gridBudgets(attack)) units.add(new AttackUnit(attack.name(), mode, eps));
            }
        }
        return units;
    }

    /** Trains, evaluates and attacks every student in turn, then computes the metrics: the whole job in one go. */
    public Result run(Request request, StageStore store, Listener listener) throws IOException {
        List<Boolean> reused = train(request, store, listener);
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
                    + ": " + String.format(java.util.Locale.ROOT, "%.2f", accuracy) + " % clean");
        }
        if (!request.attacks().isEmpty() && !attack(request, store, listener, device)) {
            return partial(request, scores);
        }
        return assemble(request, store, reused);
    }

    /**
     * Trains the students not in the store yet (stage TRAINING).
     *
     * @return per student, whether it was in the store already; null when cancelled
     */
    public List<Boolean> train(Request request, StageStore store, Listener listener) throws IOException {
        TrainingConfig config = request.training();
        TrainingImages images = request.set() == null ? null : trainingImages(request);
        StudentTrainer trainer = new StudentTrainer(config);
        int students = config.students();
        int epochs = config.epochs();
        int trainingTotal = students * epochs;
        listener.stageStarted(Stage.TRAINING, trainingTotal, images == null ? "no training: the students are given"
                : "training " + students + " student(s) for " + epochs + " epoch(s) on " + images.count() + " images");
        List<Boolean> reused = new ArrayList<>();
        List<Integer> untrained = new ArrayList<>();
        for (int i = 0; i < students; i++) {
            boolean stored = store.student(i).isPresent();
            reused.add(stored);
            if (stored) {
                listener.progress((i + 1) * epochs, trainingTotal, "student " + (i + 1) + " of " + students
                        + " trained before");
            } else {
                untrained.add(i);
            }
        }
        if (!untrained.isEmpty() && images == null) {
            throw new IllegalStateException("student " + (untrained.get(0) + 1)
                    + " is neither given nor trainable: no distilled set");
        }
        if (untrained.size() > 1 && trainer.trainsTogether(images)) {
            if (listener.cancelled()) return null;
            // One pass over the data for all the untrained students; they are stored when the group finishes.
            int[] done = {(students - untrained.size()) * epochs};
            List<TrainedStudent> trained = trainer.train(images, untrained.stream().mapToInt(Integer::intValue)
                    .toArray(), (index, epoch) -> listener.progress(++done[0], trainingTotal,
                    String.format(java.util.Locale.ROOT, "student %d of %d, epoch %d of %d, loss %.4f", index + 1,
                            students, epoch.epoch() + 1, epochs, epoch.loss())), listener::cancelled);
            for (TrainedStudent student : trained) {
                if (!student.completed()) return null;
                store.studentTrained(student);
            }
            return trained.size() < untrained.size() ? null : reused;
        }
        // One after the other, each stored as it finishes.
        for (int i : untrained) {
            if (listener.cancelled()) return null;
            int before = i * epochs;
            TrainedStudent trained = trainer.train(images, i, (index, epoch) -> listener.progress(
                    before + epoch.epoch() + 1, trainingTotal, String.format(java.util.Locale.ROOT,
                            "student %d of %d, epoch %d of %d, loss %.4f", index + 1, students, epoch.epoch() + 1,
                            epochs, epoch.loss())), listener::cancelled);
            if (!trained.completed()) return null;
            store.studentTrained(trained);
        }
        return reused;
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
                + String.format(java.util.Locale.ROOT, "%.2f", accuracy) + " % clean");
        if (request.attacks().isEmpty()) return true;
        try (AttackSession session = session(request, store, index, device, listener)) {
            recordClean(request, store, index, session);
        } catch (CancellationException e) {
            return false;
        }
        return true;
    }

    /**
     * One attack run of student {@code index} (stage ATTACKS), unless the store has it: what a job's attack task does.
     *
     * @return false when cancelled
     */
    public boolean attack(Request request, StageStore store, Listener listener, int index, AttackUnit unit)
            throws IOException {
        int testImages = request.testSet().images().count();
        listener.stageStarted(Stage.ATTACKS, testImages, "student " + (index + 1) + ", " + unit.attack() + " "
                + unit.mode().key() + (unit.eps() == null ? "" : " at grid budget " + unit.eps()));
        Device device = ComputeDevice.select(request.training().device());
        try (AttackSession session = session(request, store, index, device, listener)) {
            measure(store, index, session, unit);
        } catch (CancellationException e) {
            return false;
        }
        listener.progress(testImages, testImages, "done");
        return true;
    }

    /**
     * The run's result from what the store holds: each student's clean accuracy, then BEARD's metrics, their
     * uncertainty, the evidence and the curves. Every piece must be in the store.
     *
     * @param reused per student, whether training found it already trained
     */
    public Result assemble(Request request, StageStore store, List<Boolean> reused) {
        int students = request.training().students();
        List<StudentScore> scores = new ArrayList<>();
        for (int i = 0; i < students; i++) {
            int index = i;
            double accuracy = store.cleanAccuracy(i).orElseThrow(() -> new IllegalStateException("student " + index
                    + " has no clean accuracy in the store"));
            scores.add(new StudentScore(i, accuracy, reused.get(i)));
        }
        int testImages = request.testSet().images().count();
        if (request.attacks().isEmpty()) {
            return new Result(true, scores, request.testSet().description(), request.testSet().note(), testImages,
                    Map.of(), Map.of(), List.of(), List.of());
        }
        List<Integer> all = IntStream.range(0, students).boxed().toList();
        return new Result(true, scores, request.testSet().description(), request.testSet().note(), testImages,
                metrics(request, store), uncertainty(request, store), evidence(request, store),
                curves(request, store, all));
    }

    /** Student {@code index}'s clean accuracy on the test set, measured unless the store has it. */
    private static double cleanAccuracy(Request request, StageStore store, int index, Device device)
            throws IOException {
        OptionalDouble known = store.cleanAccuracy(index);
        if (known.isPresent()) return known.getAsDouble();
        DatasetKind dataset = request.dataset();
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(weights(store, index), dataset.imageSize(),
                dataset.mean(), dataset.std(), device)) {
            CleanEvaluation evaluation = new CleanEvaluator(model).evaluate(request.testSet().images().pixels(),
                    request.testSet().images().labels());
            store.cleanEvaluated(index, evaluation);
            return evaluation.accuracy();
        }
    }

    private static LinkedHashMap<String, HostTensor> weights(StageStore store, int index) throws IOException {
        return store.student(index).orElseThrow(() -> new IllegalStateException("student " + index
                + " was trained but its weights are not in the store"));
    }

    /** Runs every planned attack on every student (stage ATTACKS); false when cancelled. */
    private boolean attack(Request request, StageStore store, Listener listener, Device device) throws IOException {
        AttackPlan plan = request.attacks();
        List<AttackUnit> units = attackUnits(plan, request.dataset().classCount());
        int images = request.testSet().images().count();
        int students = request.training().students();
        int total = students * units.size() * images;
        listener.stageStarted(Stage.ATTACKS, total, units.size() + " attack run(s) per student (" + String.join(
                ", ", plan.attacks()) + "; " + plan.modes().stream().map(AttackMode::key).toList() + ", "
                + plan.protocol().key() + " protocol)");
        AtomicInteger finishedRuns = new AtomicInteger();
        for (int i = 0; i < students; i++) {
            if (listener.cancelled()) return false;
            int index = i;
            Listener overall = new Listener() {
                @Override
                public void stageStarted(Stage stage, int all, String label) {
                    listener.stageStarted(stage, all, label);
                }

                @Override
                public void progress(int done, int all, String label) {
                    listener.progress(finishedRuns.get() * images + done, total, "student " + (index + 1) + " of "
                            + students + ", " + label);
                }

                @Override
                public boolean cancelled() {
                    return listener.cancelled();
                }
            };
            try (AttackSession session = session(request, store, i, device, overall)) {
                recordClean(request, store, i, session);
                for (AttackUnit unit : units) {
                    measure(store, i, session, unit);
                    listener.progress(finishedRuns.incrementAndGet() * images, total, "student " + (index + 1)
                            + " of " + students + ": " + unit.attack() + " " + unit.mode().key()
                            + (unit.eps() == null ? "" : " at " + unit.eps()) + " done");
                }
            } catch (CancellationException e) {
                return false;
            }
        }
        return true;
    }

    /** Student {@code index} loaded for attacking under the request's plan; stops when the listener cancels. */
    private static AttackSession session(Request request, StageStore store, int index, Device device,
                                         Listener listener) throws IOException {
        return new AttackSession(request.attacks(), weights(store, index), request.dataset(), device,
                request.testSet().images(), (name, mode, done, all) -> {
                    if (listener.cancelled()) throw new CancellationException();
                    listener.progress(done, all, name + " " + mode.key() + ", " + done + " of " + all + " images");
                });
    }

    /**
     * The session's clean pass as each mode's Clean measurement of student {@code index}, and its zero-gradient
     * census, unless stored.
     */
    private static void recordClean(Request request, StageStore store, int index, AttackSession session) {
        for (AttackMode mode : request.attacks().modes()) {
            if (store.attackMeasurement(index, mode, Measurement.CLEAN).isEmpty()) {
                store.attackMeasured(index, mode, session.clean().measurement());
            }
        }
        if (store.gradientCensus(index).isEmpty()) store.gradientsCounted(index, session.gradientCensus());
    }

    /**
     * One attack run of student {@code index} unless stored: at the recorded budget (an unbudgeted attack's curve
     * points, read off its minimal perturbations, stored before its measurement, so a stored measurement means its
     * points are there too), or at one grid budget.
     */
    private static void measure(StageStore store, int index, AttackSession session, AttackUnit unit) {
        boolean stored = unit.eps() == null ? store.attackMeasurement(index, unit.mode(), unit.attack()).isPresent()
                : store.curvePoint(index, unit.mode(), unit.attack(), unit.eps()).isPresent();
        if (stored) return;
        AttackRun run = session.run(unit);
        for (BudgetSweep.Point point : session.curvePoints(unit, run)) {
            store.curvePointMeasured(index, unit.mode(), unit.attack(), point.eps(), point.accuracy());
        }
        if (unit.eps() == null) store.attackMeasured(index, unit.mode(), session.measurement(unit, run));
    }

    /** Accuracy versus budget per attack and mode, the mean over {@code students}, from the stored measurements. */
    private static List<BudgetSweep.Curve> curves(Request request, StageStore store, List<Integer> students) {
        AttackPlan plan = request.attacks();
        if (plan.grid() == null) return List.of();
        List<BudgetSweep.Curve> curves = new ArrayList<>();
        for (Attack attack : plan.build(request.dataset().classCount())) {
            for (AttackMode mode : plan.modes()) {
                if (!plan.runs(attack, mode)) continue;
                double clean = mean(students, i -> store.attackMeasurement(i, mode, Measurement.CLEAN).orElseThrow()
                        .accuracy());
                double recorded = mean(students, i -> store.attackMeasurement(i, mode, attack.name()).orElseThrow()
                        .accuracy());
                curves.add(plan.curve(attack, mode, clean, recorded, eps -> mean(students, i -> store.curvePoint(i,
                        mode, attack.name(), eps).orElseThrow())));
            }
        }
        return curves;
    }

    private static double mean(List<Integer> students, IntToDoubleFunction value) {
        double sum = 0;
        for (int i : students) sum += value.applyAsDouble(i);
        return sum / students.size();
    }

    /** BEARD's metrics per mode, pooled over the students, from the stored measurements. */
    private static Map<AttackMode, MetricReport> metrics(Request request, StageStore store) {
        Map<AttackMode, MetricReport> metrics = new LinkedHashMap<>();
        for (AttackMode mode : request.attacks().modes()) {
            metrics.put(mode, request.attacks().protocol().metrics().multiAdversary(mode, studentResults(request,
                    store, mode)));
        }
        return metrics;
    }

    /** RRM, AEM and CREI per mode with their spread over the students and bootstrap interval. */
    private static Map<AttackMode, MetricUncertainty> uncertainty(Request request, StageStore store) {
        Map<AttackMode, MetricUncertainty> uncertainty = new LinkedHashMap<>();
        AttackPlan plan = request.attacks();
        for (AttackMode mode : plan.modes()) {
            uncertainty.put(mode, MetricUncertainty.of(plan.protocol().metrics(), mode, studentResults(request, store,
                    mode), MetricUncertainty.DEFAULT_RESAMPLES, plan.seed()));
        }
        return uncertainty;
    }

    private static List<StudentResults> studentResults(Request request, StageStore store, AttackMode mode) {
        List<StudentResults> results = new ArrayList<>();
        for (int i = 0; i < request.training().students(); i++) {
            List<Measurement> measured = new ArrayList<>();
            for (String name : request.attacks().attacks()) {
                store.attackMeasurement(i, mode, name).ifPresent(measured::add);
            }
            results.add(new StudentResults("student " + (i + 1),
                    store.attackMeasurement(i, mode, Measurement.CLEAN).orElseThrow(), measured));
        }
        return results;
    }

    /** Each student's per-class accuracy, worst case over the attacks and sanity flags. */
    private static List<ModelEvidence> evidence(Request request, StageStore store) {
        AttackPlan plan = request.attacks();
        int classes = request.dataset().classCount();
        int[] labels = request.testSet().images().labels();
        List<Attack> attacks = plan.build(classes);
        List<ModelEvidence> evidence = new ArrayList<>();
        for (int i = 0; i < request.training().students(); i++) {
            List<AttackFacts> facts = new ArrayList<>();
            for (Attack attack : attacks) {
                for (AttackMode mode : plan.modes()) {
                    if (!plan.runs(attack, mode)) continue;
                    store.attackMeasurement(i, mode, attack.name()).ifPresent(m -> facts.add(new AttackFacts(mode,
                            mode == AttackMode.UNTARGETED || attack.supportsTargeted(), attack.budget().orElse(null),
                            m)));
                }
            }
            Measurement clean = store.attackMeasurement(i, plan.modes().get(0), Measurement.CLEAN).orElseThrow();
            evidence.add(ModelEvidence.of("student " + (i + 1), labels, classes, clean, facts,
                    curves(request, store, List.of(i)), store.gradientCensus(i).orElse(null)));
        }
        return evidence;
    }

    /**
     * The set as the students train on it: normalized with the dataset's mean/std (how the DC family stores its
     * sets and how BEARD trains), converting a pixel set first; the student keeps that normalization.
     */
    public static TrainingImages trainingImages(Request request) {
        DatasetKind dataset = request.dataset();
        DistilledSet set = request.set();
        Normalization stored = set.normalization().normalization();
        int[] shape = set.shape();
        float[] values = set.images();
        if (stored.type() != Normalization.Type.MEAN_STD || stored.dataset() != dataset) {
            float[] pixels = set.toPixels().images();
            float[] mean = dataset.mean();
            float[] std = dataset.std();
            int plane = shape[2] * shape[3];
            values = new float[pixels.length];
            for (int i = 0; i < pixels.length; i++) {
                int c = (i / plane) % shape[1];
                values[i] = (pixels[i] - mean[c]) / std[c];
            }
        }
        return new TrainingImages(request.method() + " " + dataset + " (" + set.source() + ")", values, set.labels(),
                shape[1], shape[2], dataset.classCount(), dataset.mean(), dataset.std());
    }

    private static Result partial(Request request, List<StudentScore> scores) {
        return new Result(false, scores, request.testSet().description(), request.testSet().note(),
                request.testSet().images().count(), Map.of(), Map.of(), List.of(), List.of());
    }
}
