package dev.bristle.web.pools;

import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import dev.bristle.scoring.JobPieces;
import dev.bristle.scoring.JobService;
import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.WebError;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestPath;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** The model pool: published checkpoints and trained students, each with its model card and checkpoint. */
@Path("/models")
@Produces(MediaType.TEXT_HTML)
public class ModelPoolResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<ModelView> models, MissingCheckpoints absent);

        static native TemplateInstance detail(ModelView model, ModelCard card, String howToObtain);
    }

    @Inject
    ModelPoolService pool;

    @Inject
    JobService jobs;

    @Inject
    JobPieces pieces;

    @GET
    public TemplateInstance list() {
        List<ModelView> models = pool.list();
        return Templates.list(models, MissingCheckpoints.of(models));
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestPath long id) {
        ModelView model = Lookups.model(pool, id);
        ModelCard card = model.scoringJobId() == null ? ModelCard.published()
                : ModelCard.trained(model, pool.trainingCurve(id), jobs, pieces);
        return Templates.detail(model, card, pool.howToObtain());
    }

    /** The student's weights as PyTorch's {@code torch.save(state_dict)} wrote them: {@code torch.load} reads it. */
    @GET
    @Path("/{id}/checkpoint.pth")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    public Response checkpoint(@RestPath long id) {
        ModelView model = Lookups.model(pool, id);
        java.nio.file.Path file;
        try {
            file = model.checkpointUrl() == null ? null : pool.file(model);
        } catch (IOException e) {
            file = null;
        }
        if (file == null || !Files.isRegularFile(file)) {
            throw WebError.notFound("The checkpoint of " + model.method() + " (#" + id + ") is not in this instance's"
                    + " model pool: " + model.status() + ".");
        }
        return Response.ok(file.toFile())
                .header("Content-Disposition", "attachment; filename=\"" + model.downloadName() + "\"")
                .header("X-Checksum-SHA256", model.sha256()).build();
    }
}
