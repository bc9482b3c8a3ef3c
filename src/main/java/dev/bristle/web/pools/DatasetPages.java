package dev.bristle.web.pools;

import dev.bristle.datasetpool.ClassPicture;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.datasetpool.UploadForm;
import dev.bristle.scoring.JobView;
import dev.bristle.web.common.FormProblems;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import java.util.List;

/**
 * The dataset pool's pages (templates/DatasetPoolResource/): shown by {@link DatasetPoolResource}, and also where a
 * refused "Score this set" form comes back (the set's page, from the job pages' {@code JobResource}) and where an
 * upload refused for its size before it is read comes back (the upload form, from {@link OversizedRequests}).
 */
@CheckedTemplate(basePath = "DatasetPoolResource")
public final class DatasetPages {

    private DatasetPages() {
    }

    static native TemplateInstance list(List<DatasetView> datasets);

    public static native TemplateInstance detail(DatasetView dataset, List<ClassPicture> classes, List<JobView> jobs,
                                          String notice, JobForm form, FormProblems problems);

    static native TemplateInstance upload(UploadForm form, FormProblems problems);

    static native TemplateInstance upload$form(UploadForm form, FormProblems problems);
}
