package dev.bristle.web;

import dev.bristle.modelpool.ModelPoolService;
import dev.bristle.modelpool.ModelView;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The model pool: published checkpoints and trained students. */
@Path("/models")
@Produces(MediaType.TEXT_HTML)
public class ModelPoolResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<ModelView> models);

        static native TemplateInstance detail(ModelView model);
    }

    @Inject
    ModelPoolService pool;

    @GET
    public TemplateInstance list() {
        return Templates.list(pool.list());
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@PathParam("id") String id) {
        return Templates.detail(find(pool, id));
    }

    static ModelView find(ModelPoolService pool, String id) {
        try {
            return pool.find(Long.parseLong(id)).orElseThrow(() -> notFound(id));
        } catch (NumberFormatException e) {
            throw notFound(id);
        }
    }

    private static WebError notFound(String id) {
        return WebError.notFound("The model pool has no student '" + id + "'.");
    }
}
