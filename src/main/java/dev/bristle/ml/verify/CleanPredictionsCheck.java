package dev.bristle.ml.verify;

import ai.djl.Device;
import dev.bristle.ml.data.DatasetKind;
import dev.bristle.ml.data.ImageSet;
import dev.bristle.ml.engine.ComputeDevice;
import dev.bristle.ml.eval.CleanEvaluator;
import dev.bristle.ml.nn.PixelSpaceModel;
import dev.bristle.ml.record.EvaluationRecord;
import dev.bristle.ml.record.EvaluationRecord.StudentOutcome;
import dev.bristle.ml.score.ScoringPipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Clean predictions: every student's state dict from the bundle predicts the whole official test split here, and its
 * predictions must equal the record's on at least the bound's share of the images, per student. A student replaced
 * after the run, or a record not made by these students, disagrees on far more.
 */
final class CleanPredictionsCheck {

    private CleanPredictionsCheck() {
    }

    static CheckOutcome run(Bundle bundle, VerificationContext context) {
        EvaluationRecord record = bundle.record();
        DatasetKind dataset = DatasetKind.fromName(record.subject().dataset());
        int count = record.testSet().images();
        ImageSet images = context.testSet().images().subset(count);
        if (images.count() < count) {
            return outcome(false, "the record has " + count + " test images, the official split here "
                    + images.count(), 0, null, context);
        }
        Device device = ComputeDevice.select(context.device());
        ScoringPipeline.Listener listener = context.listener();
        int students = record.students().size();
        listener.stageStarted(ScoringPipeline.Stage.CLEAN_EVALUATION, students, "clean predictions of " + students
                + " student(s) on " + count + " test images");
        double bound = context.bounds().cleanAgreement();
        double least = 1;
        long agreeing = 0;
        List<String> perStudent = new ArrayList<>();
        for (StudentOutcome student : record.students()) {
            if (listener.cancelled()) throw new CancellationException();
            int[] here;
            try (PixelSpaceModel model = PixelSpaceModel.fromStateDict(bundle.stateDict(student.index()),
                    dataset.imageSize(), dataset.mean(), dataset.std(), device)) {
                here = new CleanEvaluator(model).evaluate(images.pixels(), images.labels()).predictions();
            }
            int same = 0;
            int[] recorded = student.cleanPredictions();
            for (int i = 0; i < count; i++) if (recorded != null && recorded[i] == here[i]) same++;
            agreeing += same;
            double agreement = (double) same / count;
            least = Math.min(least, agreement);
            perStudent.add(String.format(Locale.ROOT, "student %d %.2f %%", student.index() + 1, 100 * agreement));
            listener.progress(student.index() + 1, students, "student " + (student.index() + 1) + " predicted");
        }
        boolean passed = least >= bound;
        String summary = String.format(Locale.ROOT, "%s: the clean predictions here are the record's on this share"
                        + " of %d test images: %s (the bound is %.2f %% per student)", passed ? "passed" : "failed",
                count, String.join(", ", perStudent), 100 * bound);
        return outcome(passed, summary, count, (double) agreeing / ((long) count * students), context);
    }

    private static CheckOutcome outcome(boolean passed, String summary, int images, Double agreement,
                                        VerificationContext context) {
        return new CheckOutcome(VerificationCheck.CLEAN_PREDICTIONS, passed, summary, images, agreement,
                context.bounds().cleanAgreement(), List.of(), null, 0);
    }
}
