package dev.bristle.web.common;

import dev.bristle.ml.score.ScoringPipeline;
import dev.bristle.scoring.JobPhase;
import io.quarkus.qute.TemplateExtension;

/**
 * The API's keys as the pages name them for people: a job's stage and phase ({@code {label:stage(job.stage)}},
 * {@code {label:phase(p)}}), a model-pool checkpoint's status ({@code {label:modelStatus(m.status)}}).
 */
@TemplateExtension(namespace = "label")
public final class Labels {

    private Labels() {
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

    /** The status the API names available, missing or checksum-mismatch: the last one said in words. */
    static String modelStatus(String status) {
        return "checksum-mismatch".equals(status) ? "altered: not the published file" : status;
    }
}
