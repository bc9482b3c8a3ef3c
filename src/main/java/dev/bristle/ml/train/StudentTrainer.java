package dev.bristle.ml.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.bristle.ml.attack.RandomArrays;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.nn.ConvNet;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.GroupedConvNet;
import dev.bristle.ml.nn.NormLayer;
import dev.bristle.ml.torch.HostTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Trains BEARD ConvNet students on a distilled set, as the DC/DSA family's {@code evaluate_synset} does: SGD with
 * momentum and coupled weight decay, cross-entropy, DSA on every batch, a step decay of the learning rate.
 *
 * <p><b>Which space the network trains in.</b> The distilled sets are stored normalized (x - mean) / std, and BEARD's
 * code trains on them as stored, augmenting in that normalized space (so the zeros that crop, cutout, scale and rotate
 * fill in are the mean colour). This trainer does the same: the DJL model it trains holds the bare ConvNet, fed the
 * stored values. The resulting weights then expect normalized input; the student records the dataset's mean and std,
 * and {@link TrainedStudent#toPixelSpaceModel} puts the normalization in front of the network, so evaluation and
 * attacks hand it pixels in [0, 1] and the network sees exactly the space it was trained in.
 *
 * <p><b>SGD.</b> DJL's {@code Sgd} on PyTorch keeps {@code state = momentum * state + lr * (grad + wd * w)} and
 * subtracts it; PyTorch keeps {@code buf = momentum * buf + (grad + wd * w)} and subtracts {@code lr * buf}. With a
 * fixed learning rate the two are the same update (state = lr * buf), weight decay coupled into the gradient in both.
 * BEARD's code changes the learning rate by building a new optimizer, which also drops the momentum; this trainer
 * does the same with a new DJL {@link Trainer}, so the two agree throughout (up to float rounding order).
 *
 * <p><b>Initialization.</b> PyTorch's defaults for the layers BEARD's ConvNet uses, drawn on the host from the
 * student's seed: convolution and linear weights and biases uniform in +-1/sqrt(fan_in) (kaiming_uniform with
 * a = sqrt(5)), norm weights 1, norm biases 0. With the same seed, data and machine the weights are bit-identical.
 */
public final class StudentTrainer {

    private final TrainingConfig config;
    private final DsaAugmentation augmentation;

    public StudentTrainer(TrainingConfig config) {
        this.config = config;
        this.augmentation = DsaAugmentation.parse(config.augmentation());
    }

    public TrainingConfig config() {
        return config;
    }

    /**
     * Trains {@link TrainingConfig#students()} students (together where {@link #trainsTogether} allows). Cancellation
     * stops the students in training within one batch and starts no further student.
     */
    public TrainingRun trainAll(TrainingImages images, TrainingProgress progress, BooleanSupplier cancelled) {
        int[] all = java.util.stream.IntStream.range(0, config.students()).toArray();
        List<TrainedStudent> students = train(images, all, progress, cancelled);
        boolean complete = students.size() == config.students() && students.stream().allMatch(TrainedStudent::completed);
        return new TrainingRun(config, images.source(), students, complete);
    }

    /**
     * Whether students are trained together ({@link GroupedConvNet}) rather than one after the other: standard
     * training of instance-norm (or norm-free) networks on a GPU. PGD adversarial training runs its attack passes per
     * student, so that recipe trains them one by one; so does the CPU, where PyTorch 2.7's grouped convolutions made
     * five students together take 9 to 13 times one student's time per epoch (TrainingBenchmark), worse than one by
     * one.
     */
    public boolean trainsTogether(TrainingImages images) {
        return ComputeDevice.select(config.device()).isGpu() && !config.recipe().adversarial()
                && ConvNetSpec.beard(images.channels(), images.imageSize(), images.classes()).norm() != NormLayer.BATCHNORM;
    }

    /**
     * Trains the students {@code indices}, each exactly as {@link #train(TrainingImages, int, TrainingProgress,
     * BooleanSupplier)} would alone (same seed, initialization, held-out split, batch order and augmentation draws),
     * together in one network where {@link #trainsTogether} allows, else one after the other (stopping at the first
     * cancelled student). The list is in the order of {@code indices}.
     */
    public List<TrainedStudent> train(TrainingImages images, int[] indices, TrainingProgress progress,
                                      BooleanSupplier cancelled) {
        if (indices.length > 1 && trainsTogether(images)) return trainTogether(images, indices, progress, cancelled);
        List<TrainedStudent> students = new ArrayList<>();
        for (int index : indices) {
            if (cancelled.getAsBoolean()) break;
            TrainedStudent student = train(images, index, progress, cancelled);
            students.add(student);
            if (!student.completed()) break;
        }
        return students;
    }

    /** One student's own state while it trains beside others: its random streams, data, order and curve. */
    private static final class Lane {
        final int index;
        final long seed;
        final SplittableRandom initRandom;
        final SplittableRandom shuffleRandom;
        final SplittableRandom augmentRandom;
        final HeldOutSplit split;
        final int[] order;
        final List<EpochRecord> curve = new ArrayList<>();
        LinkedHashMap<String, HostTensor> best;
        int bestEpoch = -1;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        double lossSum;
        long correct;

        Lane(int index, TrainingImages images, TrainingConfig config) {
            this.index = index;
            this.seed = config.studentSeed(index);
            // The same streams, split in the same order, as train() draws for a student alone.
            SplittableRandom root = new SplittableRandom(seed);
            initRandom = root.split();
            shuffleRandom = root.split();
            augmentRandom = root.split();
            SplittableRandom splitRandom = root.split();
            split = HeldOutSplit.of(images, config, splitRandom);
            order = new int[split.train().count()];
            for (int i = 0; i < order.length; i++) order[i] = i;
        }
    }

    /** The students {@code indices} in one grouped network, whatever {@link #trainsTogether} says. */
    public List<TrainedStudent> trainTogether(TrainingImages images, int[] indices, TrainingProgress progress,
                                               BooleanSupplier cancelled) {
        int k = indices.length;
        List<Lane> lanes = new ArrayList<>();
        for (int index : indices) lanes.add(new Lane(index, images, config));
        int trainCount = lanes.get(0).order.length;
        ConvNetSpec spec = ConvNetSpec.beard(images.channels(), images.imageSize(), images.classes());
        GroupedConvNet network = new GroupedConvNet(spec, k);
        Device device = ComputeDevice.select(config.device());
        long began = System.nanoTime();
        boolean stopped = false;
        try (Model model = Model.newInstance("students", device, "PyTorch")) {
            model.setBlock(network.block());
            LinkedHashMap<String, HostTensor> template = singleTemplate(spec, device);
            Trainer trainer = newTrainer(model, config.learningRate(0));
            try {
                trainer.initialize(network.inputShape(1));
                List<LinkedHashMap<String, HostTensor>> initial = new ArrayList<>();
                for (Lane lane : lanes) initial.add(TorchDefaultInitialization.stateDict(template, lane.initRandom));
                network.loadStudents(initial);
                for (int epoch = 0; epoch < config.epochs() && !stopped; epoch++) {
                    double rate = config.learningRate(epoch);
                    if (epoch > 0 && rate != config.learningRate(epoch - 1)) {
                        trainer.close();
                        trainer = newTrainer(model, rate);
                    }
                    long epochBegan = System.nanoTime();
                    for (Lane lane : lanes) {
                        shuffle(lane.order, lane.shuffleRandom);
                        lane.lossSum = 0;
                        lane.correct = 0;
                    }
                    for (int start = 0; start < trainCount; start += config.batchSize()) {
                        if (cancelled.getAsBoolean()) {
                            stopped = true;
                            break;
                        }
                        groupedStep(trainer, network, lanes, start, Math.min(trainCount, start + config.batchSize()));
                    }
                    if (stopped) break;
                    double[] heldOut = lanes.get(0).split.isEmpty() ? null : groupedAccuracy(trainer, network, lanes);
                    // The epoch's wall time is shared: each student's share, so the students' times add up to it.
                    double seconds = (System.nanoTime() - epochBegan) / 1e9 / k;
                    List<LinkedHashMap<String, HostTensor>> weights = null;
                    for (int s = 0; s < k; s++) {
                        Lane lane = lanes.get(s);
                        double accuracy = heldOut == null ? Double.NaN : heldOut[s];
                        EpochRecord record = new EpochRecord(epoch, rate, lane.lossSum / trainCount,
                                100.0 * lane.correct / trainCount, accuracy, seconds);
                        lane.curve.add(record);
                        if (heldOut != null && accuracy > lane.bestAccuracy) {
                            if (weights == null) weights = network.studentStateDicts(template);
                            lane.bestAccuracy = accuracy;
                            lane.bestEpoch = epoch;
                            lane.best = weights.get(s);
                        }
                        progress.epochDone(lane.index, record);
                    }
                }
            } finally {
                trainer.close();
            }
            List<LinkedHashMap<String, HostTensor>> last = network.studentStateDicts(template);
            double seconds = (System.nanoTime() - began) / 1e9 / k;
            List<TrainedStudent> students = new ArrayList<>();
            for (int s = 0; s < k; s++) {
                Lane lane = lanes.get(s);
                boolean selectBest = lane.split.selection() == StudentSelection.BEST_ON_HELD_OUT && lane.best != null;
                students.add(new TrainedStudent(lane.index, lane.seed, spec, selectBest ? lane.best : last.get(s),
                        images.mean().clone(), images.std().clone(), lane.curve, lane.split.selection(),
                        selectBest ? lane.bestEpoch : lane.curve.size() - 1, lane.split.note(), trainCount,
                        lane.split.heldOutCount(), !stopped, seconds));
            }
            return students;
        }
    }

    /** A single student's state dict, for the names, order and shapes the grouped network converts from and to. */
    private static LinkedHashMap<String, HostTensor> singleTemplate(ConvNetSpec spec, Device device) {
        ConvNet single = new ConvNet(spec);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            single.block().initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, single.inputShape(1));
            return single.stateDict();
        }
    }

    /**
     * One SGD step of every student on positions [from, to) of its own order, each batch augmented with the
     * student's own draws; the loss is the sum of the students' mean cross-entropies, so each student's gradient is
     * its own.
     */
    private void groupedStep(Trainer trainer, GroupedConvNet network, List<Lane> lanes, int from, int to) {
        int k = lanes.size();
        int n = to - from;
        int length = lanes.get(0).split.train().imageLength();
        int channelsLength = length;
        float[] input = new float[n * k * length];
        float[] labels = new float[n * k];
        for (int s = 0; s < k; s++) {
            Lane lane = lanes.get(s);
            TrainingImages train = lane.split.train();
            float[] host = new float[n * length];
            for (int i = 0; i < n; i++) {
                int image = lane.order[from + i];
                System.arraycopy(train.images(), image * length, host, i * length, length);
                labels[i * k + s] = train.labels()[image];
            }
            float[] augmented = augmentation.apply(host, train.dims(n), lane.augmentRandom);
            for (int i = 0; i < n; i++) {
                System.arraycopy(augmented, i * length, input, (i * k + s) * channelsLength, length);
            }
        }
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray x = manager.create(input, network.inputShape(n));
            NDArray hot = manager.create(labels, new Shape(n, k)).toType(ai.djl.ndarray.types.DataType.INT64, false)
                    .oneHot(network.spec().classes());
            float[] losses;
            long[] predicted;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray perStudent = logits.logSoftmax(2).mul(hot).sum(new int[] {2}).mean(new int[] {0}).neg();
                collector.backward(perStudent.sum());
                losses = perStudent.toFloatArray();
                predicted = logits.argMax(2).toLongArray();
            }
            trainer.step();
            for (int s = 0; s < k; s++) {
                Lane lane = lanes.get(s);
                lane.lossSum += losses[s] * n;
                for (int i = 0; i < n; i++) if (predicted[i * k + s] == (long) labels[i * k + s]) lane.correct++;
            }
        }
    }

    /** Each student's accuracy on its own held-out images (all students hold out the same count). */
    private double[] groupedAccuracy(Trainer trainer, GroupedConvNet network, List<Lane> lanes) {
        int k = lanes.size();
        int count = lanes.get(0).split.heldOut().count();
        int length = lanes.get(0).split.heldOut().imageLength();
        long[] correct = new long[k];
        for (int start = 0; start < count; start += config.batchSize()) {
            int n = Math.min(config.batchSize(), count - start);
            float[] input = new float[n * k * length];
            for (int s = 0; s < k; s++) {
                float[] held = lanes.get(s).split.heldOut().images();
                for (int i = 0; i < n; i++) {
                    System.arraycopy(held, (start + i) * length, input, (i * k + s) * length, length);
                }
            }
            try (NDManager manager = trainer.getManager().newSubManager()) {
                long[] predicted = trainer.evaluate(new NDList(manager.create(input, network.inputShape(n))))
                        .singletonOrThrow().argMax(2).toLongArray();
                for (int s = 0; s < k; s++) {
                    int[] heldLabels = lanes.get(s).split.heldOut().labels();
                    for (int i = 0; i < n; i++) if (predicted[i * k + s] == heldLabels[start + i]) correct[s]++;
                }
            }
        }
        double[] accuracy = new double[k];
        for (int s = 0; s < k; s++) accuracy[s] = 100.0 * correct[s] / count;
        return accuracy;
    }

    /**
     * Trains student {@code index} (its seed is {@link TrainingConfig#studentSeed}). {@code cancelled} is checked
     * before every batch; once it says true the student stops and is returned with {@code completed == false} and
     * the weights selected among the epochs it completed.
     */
    public TrainedStudent train(TrainingImages images, int index, TrainingProgress progress, BooleanSupplier cancelled) {
        long seed = config.studentSeed(index);
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom initRandom = root.split();
        SplittableRandom shuffleRandom = root.split();
        SplittableRandom augmentRandom = root.split();
        SplittableRandom splitRandom = root.split();
        SplittableRandom adversarialRandom = root.split();

        HeldOutSplit split = HeldOutSplit.of(images, config, splitRandom);
        TrainingImages train = split.train();
        ConvNetSpec spec = ConvNetSpec.beard(images.channels(), images.imageSize(), images.classes());
        ConvNet network = new ConvNet(spec);
        Device device = ComputeDevice.select(config.device());
        long began = System.nanoTime();

        try (Model model = Model.newInstance("student-" + index, device, "PyTorch")) {
            model.setBlock(network.block());
            List<EpochRecord> curve = new ArrayList<>();
            LinkedHashMap<String, HostTensor> best = null;
            int bestEpoch = -1;
            double bestAccuracy = Double.NEGATIVE_INFINITY;
            boolean stopped = false;
            Trainer trainer = newTrainer(model, config.learningRate(0));
            try {
                trainer.initialize(network.inputShape(1));
                network.loadStateDict(TorchDefaultInitialization.stateDict(network.stateDict(), initRandom));
                int[] order = new int[train.count()];
                for (int i = 0; i < order.length; i++) order[i] = i;
                for (int epoch = 0; epoch < config.epochs() && !stopped; epoch++) {
                    double rate = config.learningRate(epoch);
                    if (epoch > 0 && rate != config.learningRate(epoch - 1)) {
                        trainer.close();
                        trainer = newTrainer(model, rate);
                    }
                    long epochBegan = System.nanoTime();
                    shuffle(order, shuffleRandom);
                    double lossSum = 0;
                    long correct = 0;
                    for (int start = 0; start < order.length; start += config.batchSize()) {
                        if (cancelled.getAsBoolean()) {
                            stopped = true;
                            break;
                        }
                        int[] batch = Arrays.copyOfRange(order, start, Math.min(order.length, start + config.batchSize()));
                        BatchResult result = step(trainer, network, train, batch, augmentRandom, adversarialRandom);
                        lossSum += result.loss() * batch.length;
                        correct += result.correct();
                    }
                    if (stopped) break;
                    double heldOut = split.isEmpty() ? Double.NaN : accuracy(trainer, network, split.heldOut());
                    EpochRecord record = new EpochRecord(epoch, rate, lossSum / order.length,
                            100.0 * correct / order.length, heldOut, (System.nanoTime() - epochBegan) / 1e9);
                    curve.add(record);
                    if (!split.isEmpty() && heldOut > bestAccuracy) {
                        bestAccuracy = heldOut;
                        bestEpoch = epoch;
                        best = network.stateDict();
                    }
                    progress.epochDone(index, record);
                }
            } finally {
                trainer.close();
            }
            boolean selectBest = split.selection() == StudentSelection.BEST_ON_HELD_OUT && best != null;
            LinkedHashMap<String, HostTensor> selected = selectBest ? best : network.stateDict();
            int selectedEpoch = selectBest ? bestEpoch : curve.size() - 1;
            return new TrainedStudent(index, seed, spec, selected, images.mean().clone(), images.std().clone(), curve,
                    split.selection(), selectedEpoch, split.note(), train.count(), split.heldOutCount(), !stopped,
                    (System.nanoTime() - began) / 1e9);
        }
    }

    private Trainer newTrainer(Model model, double learningRate) {
        Optimizer sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) learningRate))
                .optMomentum((float) config.momentum()).optWeightDecays((float) config.weightDecay()).build();
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(sgd).optDevices(new Device[] {model.getNDManager().getDevice()});
        return model.newTrainer(trainingConfig);
    }

    private record BatchResult(double loss, long correct) {
    }

    /** One SGD step on the images at {@code batch}, augmented; the batch's native memory is freed before returning. */
    private BatchResult step(Trainer trainer, ConvNet network, TrainingImages train, int[] batch,
                             SplittableRandom augmentRandom, SplittableRandom adversarialRandom) {
        int length = train.imageLength();
        float[] host = new float[batch.length * length];
        float[] labels = new float[batch.length];
        for (int i = 0; i < batch.length; i++) {
            System.arraycopy(train.images(), batch[i] * length, host, i * length, length);
            labels[i] = train.labels()[batch[i]];
        }
        float[] augmented = augmentation.apply(host, train.dims(batch.length), augmentRandom);
        try (NDManager manager = trainer.getManager().newSubManager()) {
            NDArray targets = manager.create(labels, new Shape(batch.length));
            NDArray input = manager.create(augmented, network.inputShape(batch.length));
            if (config.recipe().adversarial()) {
                input = adversarialExamples(trainer, input, targets, train.std(), adversarialRandom);
            }
            float loss;
            long[] predicted;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(input)).singletonOrThrow();
                NDArray lossValue = trainer.getLoss().evaluate(new NDList(targets), new NDList(logits));
                collector.backward(lossValue);
                loss = lossValue.getFloat();
                predicted = logits.argMax(1).toLongArray();
            }
            trainer.step();
            long correct = 0;
            for (int i = 0; i < batch.length; i++) if (predicted[i] == (long) labels[i]) correct++;
            return new BatchResult(loss, correct);
        }
    }

    /**
     * PGD adversarial examples of a (normalized) training batch for the recipe's budget in pixels: per channel the
     * budget and step are divided by the channel's std, which is the same ball in pixel space. The network's weights
     * take no gradient meanwhile (so the PGD passes leave nothing in the weights' gradients the SGD step uses).
     * The examples belong to the batch's manager.
     */
    private NDArray adversarialExamples(Trainer trainer, NDArray clean, NDArray targets, float[] std,
                                        SplittableRandom random) {
        TrainingRecipe recipe = config.recipe();
        NDManager batch = clean.getManager();
        float[] epsPerChannel = new float[std.length];
        float[] stepPerChannel = new float[std.length];
        for (int c = 0; c < std.length; c++) {
            epsPerChannel[c] = (float) (recipe.eps() / std[c]);
            stepPerChannel[c] = (float) (recipe.stepSize() / std[c]);
        }
        Shape perChannel = new Shape(1, std.length, 1, 1);
        NDArray eps = batch.create(epsPerChannel, perChannel);
        NDArray step = batch.create(stepPerChannel, perChannel);
        NDArray delta = RandomArrays.uniform(batch, random, clean.getShape(), -1, 1).mul(eps);
        List<Parameter> weights = List.copyOf(trainer.getModel().getBlock().getParameters().values());
        weights.forEach(p -> p.getArray().setRequiresGradient(false));
        try {
            for (int i = 0; i < recipe.steps(); i++) {
                try (NDManager stepManager = batch.newSubManager()) {
                    NDArray leaf = delta.add(clean);
                    leaf.attach(stepManager);
                    leaf.setRequiresGradient(true);
                    NDArray gradient;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.evaluate(new NDList(leaf)).singletonOrThrow();
                        collector.backward(trainer.getLoss().evaluate(new NDList(targets), new NDList(logits)));
                        gradient = leaf.getGradient();
                    }
                    NDArray moved = gradient.sign().mul(step).add(delta);
                    NDArray next = moved.minimum(eps).maximum(eps.neg());
                    next.attach(batch);
                    delta = next;
                }
            }
        } finally {
            weights.forEach(p -> p.getArray().setRequiresGradient(true));
        }
        return delta.add(clean);
    }

    /** Percentage of {@code images} the network classifies correctly now. */
    private double accuracy(Trainer trainer, ConvNet network, TrainingImages images) {
        long correct = 0;
        int length = images.imageLength();
        for (int start = 0; start < images.count(); start += config.batchSize()) {
            int count = Math.min(config.batchSize(), images.count() - start);
            try (NDManager manager = trainer.getManager().newSubManager()) {
                NDArray input = manager.create(
                        Arrays.copyOfRange(images.images(), start * length, (start + count) * length),
                        network.inputShape(count));
                long[] predicted = trainer.evaluate(new NDList(input)).singletonOrThrow().argMax(1).toLongArray();
                for (int i = 0; i < count; i++) if (predicted[i] == images.labels()[start + i]) correct++;
            }
        }
        return 100.0 * correct / images.count();
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
