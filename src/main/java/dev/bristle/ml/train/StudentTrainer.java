package dev.bristle.ml.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
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

    /** The students {@code indices} in one grouped network, whatever {@link #trainsTogether} says. */
    public List<TrainedStudent> trainTogether(TrainingImages images, int[] indices, TrainingProgress progress,
                                               BooleanSupplier cancelled) {
        return new GroupedTraining(config, augmentation).train(images, indices, progress, cancelled);
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
            BestEpoch best = new BestEpoch();
            boolean stopped = false;
            Trainer trainer = newTrainer(model, config.learningRate(0), config);
            try {
                trainer.initialize(network.inputShape(1));
                network.loadStateDict(TorchDefaultInitialization.stateDict(network.stateDict(), initRandom));
                int[] order = new int[train.count()];
                for (int i = 0; i < order.length; i++) order[i] = i;
                for (int epoch = 0; epoch < config.epochs() && !stopped; epoch++) {
                    double rate = config.learningRate(epoch);
                    if (epoch > 0 && rate != config.learningRate(epoch - 1)) {
                        trainer.close();
                        trainer = newTrainer(model, rate, config);
                    }
                    long epochBegan = System.nanoTime();
                    shuffle(order, shuffleRandom);
                    BatchResult sums = epoch(trainer, network, train, order, augmentRandom, adversarialRandom,
                            cancelled);
                    if (sums == null) {
                        stopped = true;
                        break;
                    }
                    double heldOut = split.isEmpty() ? Double.NaN : accuracy(trainer, network, split.heldOut());
                    EpochRecord record = new EpochRecord(epoch, rate, sums.loss() / order.length,
                            100.0 * sums.correct() / order.length, heldOut, (System.nanoTime() - epochBegan) / 1e9);
                    curve.add(record);
                    if (!split.isEmpty() && best.improvedBy(heldOut)) best.keep(epoch, heldOut, network.stateDict());
                    progress.epochDone(index, record);
                }
            } finally {
                trainer.close();
            }
            return new TrainedStudent(index, seed, spec, best.weights(split.selection(), network::stateDict),
                    images.mean().clone(), images.std().clone(), curve, split.selection(),
                    best.epoch(split.selection(), curve.size() - 1), split.note(), train.count(), split.heldOutCount(), !stopped,
                    (System.nanoTime() - began) / 1e9);
        }
    }

    /**
     * One pass over {@code order} in batches: the summed loss (each batch's mean times its size) and the images
     * classified correctly; null when {@code cancelled} said stop before a batch.
     */
    private BatchResult epoch(Trainer trainer, ConvNet network, TrainingImages train, int[] order,
                              SplittableRandom augmentRandom, SplittableRandom adversarialRandom,
                              BooleanSupplier cancelled) {
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < order.length; start += config.batchSize()) {
            if (cancelled.getAsBoolean()) return null;
            int[] batch = Arrays.copyOfRange(order, start, Math.min(order.length, start + config.batchSize()));
            BatchResult result = step(trainer, network, train, batch, augmentRandom, adversarialRandom);
            lossSum += result.loss() * batch.length;
            correct += result.correct();
        }
        return new BatchResult(lossSum, correct);
    }

    /** A trainer with BEARD's SGD at {@code learningRate}: a new one whenever the rate changes, as BEARD's code does. */
    static Trainer newTrainer(Model model, double learningRate, TrainingConfig config) {
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
                input = AdversarialExamples.pgd(trainer, config.recipe(), input, targets, train.std(), adversarialRandom);
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

    static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }
}
