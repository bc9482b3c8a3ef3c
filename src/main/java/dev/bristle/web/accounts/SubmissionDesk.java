package dev.bristle.web.accounts;

import dev.bristle.accounts.Actor;
import dev.bristle.datasetpool.UploadedFile;
import dev.bristle.submissions.BundleRejected;
import dev.bristle.submissions.SubmissionService;
import dev.bristle.submissions.SubmissionView;
import dev.bristle.web.common.UploadParts;
import dev.bristle.web.common.WebError;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.List;

/** Submitting, finding and cancelling submissions, for the submission pages and their JSON twin alike. */
final class SubmissionDesk {

    static final String REFUSED = "The bundle was refused; nothing was stored.";

    private SubmissionDesk() {
    }

    /** Submits the one file of the form's {@code file} field; more than one is a problem of its own. */
    static SubmissionView submit(SubmissionService submissions, List<FileUpload> parts, Actor actor) {
        List<UploadedFile> files = UploadParts.files(parts);
        if (files.size() > 1) {
            throw new BundleRejected(400, List.of("Bundle: one file, the bundle made by ./bristle score ... --bundle;"
                    + " found " + files.size() + "."));
        }
        return submissions.submit(files.isEmpty() ? null : files.get(0), actor);
    }

    static SubmissionView find(SubmissionService submissions, long id, Actor viewer) {
        return submissions.find(id, viewer).orElseThrow(() -> missing(id));
    }

    static SubmissionView cancel(SubmissionService submissions, long id, Actor actor) {
        return submissions.cancel(id, actor).orElseThrow(() -> missing(id));
    }

    /** No such submission, or one the viewer may not see yet: the same answer, so neither is told from the other. */
    private static WebError missing(long id) {
        return WebError.notFound("There is no submission #" + id + " you may see.");
    }
}
