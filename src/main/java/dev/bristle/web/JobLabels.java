package dev.bristle.web;

import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.scoring.JobPhase;
import io.quarkus.qute.TemplateExtension;

/** A job's stage and phase as the pages name them: {@code {label:stage(job.stage)}}, {@code {label:phase(p)}}. */
@TemplateExtension(namespace = "label")
public final class JobLabels {

    private JobLabels() {
    }

    /** The pipeline stage the API names TRAINING, CLEAN_EVALUATION or ATTACKS; an em dash before the job starts. */
    static String stage(String stage) {
        if (stage == null) return "—";
        return switch (ScoringPipeline.Stage.valueOf(stage)) {
            case TRAINING -> "training";
            case CLEAN_EVALUATION -> "clean evaluation";
            case ATTACKS -> "attacks";
        };
    }

    static String phase(JobPhase phase) {
        return switch (phase) {
            case TRAINING -> "training the students";
            case MEASUREMENT -> "measuring the students, clean and under attack";
            case RESULTS -> "the results";
        };
    }
}
