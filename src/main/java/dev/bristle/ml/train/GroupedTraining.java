package dev.bristle.ml.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.nn.ConvNet;
import dev.bristle.ml.nn.ConvNetSpec;
import dev.bristle.ml.nn.GroupedConvNet;
import dev.bristle.ml.torch.HostTensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Several students trained together in one {@link GroupedConvNet}, each exactly as {@link StudentTrainer} trains it
 * alone (same seed, initialization, held-out split, batch order and augmentation draws): one grouped forward and
 * backward pass per batch serves all of them, which a GPU runs faster than the students one after the other.
 */
final class GroupedTraining {

    private final TrainingConfig config;
    private final DsaAugmentation augmentation;

    GroupedTraining(TrainingConfig config, DsaAugmentation augmentation) {
        this.config = config;
        this.augmentation = augmentation;
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
        final BestEpoch best = new BestEpoch();
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

    List<TrainedStudent> train(TrainingImages images, int[] indices, TrainingProgress progress,
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
            Trainer trainer = StudentTrainer.newTrainer(model, config.learningRate(0), config);
            try {
                trainer.initialize(network.inputShape(1));
                List<LinkedHashMap<String, HostTensor>> initial = new ArrayList<>();
                for (Lane lane : lanes) initial.add(TorchDefaultInitialization.stateDict(template, lane.initRandom));
                network.loadStudents(initial);
                for (int epoch = 0; epoch < config.epochs() && !stopped; epoch++) {
                    double rate = config.learningRate(epoch);
                    if (epoch > 0 && rate != config.learningRate(epoch - 1)) {
                        trainer.close();
                        trainer = StudentTrainer.newTrainer(model, rate, config);
                    }
                    long epochBegan = System.nanoTime();
                    for (Lane lane : lanes) {
                        StudentTrainer.shuffle(lane.order, lane.shuffleRandom);
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
                    recordEpoch(network, template, lanes, epoch, rate, seconds, heldOut, progress);
                }
            } finally {
                trainer.close();
            }
            return students(lanes, spec, images, network.studentStateDicts(template), !stopped,
                    (System.nanoTime() - began) / 1e9 / k);
        }
    }

    /** Each lane's student: its selected weights ({@code last}: every student's after the last epoch) and record. */
    private static List<TrainedStudent> students(List<Lane> lanes, ConvNetSpec spec, TrainingImages images,
                                                 List<LinkedHashMap<String, HostTensor>> last, boolean completed,
                                                 double seconds) {
        int trainCount = lanes.get(0).order.length;
        List<TrainedStudent> students = new ArrayList<>();
        for (int s = 0; s < lanes.size(); s++) {
            Lane lane = lanes.get(s);
            LinkedHashMap<String, HostTensor> lastOfLane = last.get(s);
            StudentSelection selection = lane.split.selection();
            students.add(new TrainedStudent(lane.index, lane.seed, spec, lane.best.weights(selection, () -> lastOfLane),
                    images.mean().clone(), images.std().clone(), lane.curve, selection,
                    lane.best.epoch(selection, lane.curve.size() - 1), lane.split.note(), trainCount,
                    lane.split.heldOutCount(), completed, seconds));
        }
        return students;
    }

    /**
     * Adds the epoch to every lane's curve ({@code seconds}: each student's share of its time) and keeps the weights
     * of each lane whose held-out accuracy improved, taken from the network once for all of them.
     */
    private static void recordEpoch(GroupedConvNet network, LinkedHashMap<String, HostTensor> template,
                                    List<Lane> lanes, int epoch, double rate, double seconds, double[] heldOut,
                                    TrainingProgress progress) {
        int trainCount = lanes.get(0).order.length;
        List<LinkedHashMap<String, HostTensor>> weights = null;
        for (int s = 0; s < lanes.size(); s++) {
            Lane lane = lanes.get(s);
            double accuracy = heldOut == null ? Double.NaN : heldOut[s];
            EpochRecord record = new EpochRecord(epoch, rate, lane.lossSum / trainCount,
                    100.0 * lane.correct / trainCount, accuracy, seconds);
            lane.curve.add(record);
            if (heldOut != null && lane.best.improvedBy(accuracy)) {
                if (weights == null) weights = network.studentStateDicts(template);
                lane.best.keep(epoch, accuracy, weights.get(s));
            }
            progress.epochDone(lane.index, record);
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
}
