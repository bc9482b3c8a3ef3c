package dev.bristle.ml.score;

import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.DistilledSet;
import dev.bristle.ml.data.Normalization;
import dev.bristle.ml.score.ScoringPipeline.Listener;
import dev.bristle.ml.score.ScoringPipeline.Request;
import dev.bristle.ml.score.ScoringPipeline.StageStore;
import dev.bristle.ml.train.StudentTrainer;
import dev.bristle.ml.train.TrainedStudent;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingImages;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The training stage of a scoring run: trains the students its store does not hold yet, on the distilled set. */
public final class StudentTraining {

    private StudentTraining() {
    }

    /**
     * Trains the students not in the store yet (stage TRAINING).
     *
     * @return per student, whether it was in the store already; null when cancelled
     */
    public static List<Boolean> train(Request request, StageStore store, Listener listener) throws IOException {
        TrainingConfig config = request.training();
        TrainingImages images = request.set() == null ? null : trainingImages(request);
        StudentTrainer trainer = new StudentTrainer(config);
        int students = config.students();
        int epochs = config.epochs();
        int trainingTotal = students * epochs;
        listener.stageStarted(ScoringPipeline.Stage.TRAINING, trainingTotal, images == null
                ? "no training: the students are given" : "training " + students + " student(s) for " + epochs + " epoch(s) on " + images.count() + " images");
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
}
