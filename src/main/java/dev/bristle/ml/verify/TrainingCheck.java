package dev.bristle.ml.verify;

import ai.djl.Device;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.RunSettings;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.score.AttackPlan;
import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.ml.score.StudentTraining;
import dev.bristle.ml.train.StudentTrainer;
import dev.bristle.ml.train.TrainedStudent;
import dev.bristle.ml.train.TrainingConfig;
import dev.bristle.ml.train.TrainingRecipe;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Training: one student, drawn with the secret seed, is re-trained here on the bundle's set from its recorded seed
 * with the recorded recipe and epochs, and its clean accuracy on the official test split must be within the
 * tolerance of the submitted student's. Students trained on other data, or longer, are caught.
 */
final class TrainingCheck {

    private TrainingCheck() {
    }

    static CheckOutcome run(Bundle bundle, VerificationContext context) {
        EvaluationRecord record = bundle.record();
        RunSettings settings = record.settings();
        DatasetKind dataset = DatasetKind.fromName(record.subject().dataset());
        int index = new Draws(context.drawSeed()).trainedStudent(record.students().size());
        StudentOutcome submitted = record.students().get(index);
        if (settings.epochs() == null) {
            return outcome(false, "the record has no epochs to re-train with", 0, context);
        }
        TrainingConfig training = TrainingConfig.beard(settings.epochs(), settings.seed())
                .withStudents(settings.students()).withRecipe(TrainingRecipe.of(record.subject().recipe(), dataset))
                .withDevice(context.device());
        int count = record.testSet().images();
        ImageSet test = context.testSet().images().subset(count);
        ScoringPipeline.Request request = new ScoringPipeline.Request(record.subject().method(), bundle.set(dataset),
                dataset, context.testSet(), training, AttackPlan.none());
        ScoringPipeline.Listener listener = context.listener();
        listener.stageStarted(ScoringPipeline.Stage.TRAINING, training.epochs(), "re-training student " + (index + 1)
                + " for " + training.epochs() + " epoch(s)");
        TrainedStudent trained = new StudentTrainer(training).train(StudentTraining.trainingImages(request), index,
                (i, epoch) -> listener.progress(epoch.epoch() + 1, training.epochs(), "epoch " + (epoch.epoch() + 1)),
                listener::cancelled);
        if (!trained.completed()) throw new CancellationException();
        Device device = ComputeDevice.select(context.device());
        double accuracy;
        try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(trained.stateDict(), dataset.imageSize(),
                dataset.mean(), dataset.std(), device)) {
            accuracy = new CleanEvaluator(model).evaluate(test.pixels(), test.labels()).accuracy();
        }
        double tolerance = context.bounds().trainingTolerance();
        double difference = Math.abs(accuracy - submitted.cleanAccuracy());
        boolean passed = difference <= tolerance;
        return outcome(passed, String.format(Locale.ROOT, "%s: student %d re-trained here from seed %d for %d"
                        + " epoch(s): %.2f %% clean on %d test images, submitted %.2f %% (difference %.2f points; the"
                        + " tolerance is %.2f)", passed ? "passed" : "failed", index + 1, submitted.seed(),
                training.epochs(), accuracy, count, submitted.cleanAccuracy(), difference, tolerance), count, context);
    }

    private static CheckOutcome outcome(boolean passed, String summary, int images, VerificationContext context) {
        return new CheckOutcome(VerificationCheck.TRAINING, passed, summary, images, null,
                context.bounds().trainingTolerance(), List.of(), context.drawSeed(), 0);
    }
}
