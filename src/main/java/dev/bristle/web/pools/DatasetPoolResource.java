package dev.bristle.web.pools;

import dev.bristle.datasetpool.DatasetPictures;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.datasetpool.DatasetView;
import dev.bristle.datasetpool.UploadForm;
import dev.bristle.datasetpool.UploadOutcome;
import dev.bristle.datasetpool.UploadRejected;
import dev.bristle.scoring.JobService;
import dev.bristle.web.common.FormProblems;
import dev.bristle.web.common.Htmx;
import dev.bristle.web.common.Lookups;
import dev.bristle.web.common.UploadParts;
import dev.bristle.web.common.Viewer;
import dev.bristle.web.common.WebError;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.annotation.security.RolesAllowed;
import dev.bristle.accounts.Role;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.jboss.resteasy.reactive.RestPath;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** The dataset pool: the list with a picture of each set, one set's page, and the upload form. */
@Path("/datasets")
@Produces(MediaType.TEXT_HTML)
public class DatasetPoolResource {

    @Inject
    DatasetPoolService pool;

    @Inject
    DatasetPictures pictures;

    @Inject
    JobService jobs;

    @Inject
    Viewer viewer;

    @POST
    @Path("/{id}/hide")
    @RolesAllowed(Role.MAINTAINER_NAME)
    public Response hide(@RestPath long id) {
        DatasetView dataset = pool.hide(id, viewer.name()).orElseThrow(() -> Lookups.noDataset(id));
        return Response.seeOther(URI.create(dataset.url())).build();
    }

    @GET
    public TemplateInstance list() {
        return DatasetPages.list(pool.list());
    }

    @GET
    @Path("/new")
    @RolesAllowed(Role.SUBMITTER_NAME)
    public TemplateInstance uploadForm() {
        return DatasetPages.upload(UploadForm.EMPTY, FormProblems.NONE);
    }

    /**
     * Adds a set. The form posts through htmx where scripts run (to show the upload's progress): it then gets the
     * refused form alone, or the new set's address in {@code HX-Redirect}; without scripts, the page or a redirect.
     */
    @POST
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@RestForm("file") List<FileUpload> files, @RestForm String method,
                           @RestForm String paperUrl, @RestForm String authors, @RestForm String dataset,
                           @RestForm String ipc, @RestForm String normalization,
                           @HeaderParam(Htmx.REQUEST_HEADER) String htmx) {
        UploadForm form = new UploadForm(method, paperUrl, authors, dataset, ipc, normalization);
        boolean fragment = Htmx.wantsFragment(htmx, null);
        try {
            UploadOutcome outcome = pool.upload(form, UploadParts.files(files), viewer.actor());
            String url = outcome.dataset().url() + "?" + (outcome.created() ? "added" : "known") + "=1";
            return fragment ? Response.ok().header(Htmx.REDIRECT_HEADER, url).build()
                    : Response.seeOther(URI.create(url)).build();
        } catch (UploadRejected e) {
            FormProblems problems = FormProblems.ofUpload(e.problems());
            UploadForm shown = form.bounded();
            TemplateInstance page = fragment ? DatasetPages.upload$form(shown, problems)
                    : DatasetPages.upload(shown, problems);
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE).entity(page.render()).build();
        }
    }

    @GET
    @Path("/{id}")
    public TemplateInstance detail(@RestPath long id, @QueryParam("added") String added,
                                   @QueryParam("known") String known) {
        DatasetView dataset = Lookups.dataset(pool, id);
        String notice = known != null ? new UploadOutcome(dataset, false).message()
                : added != null ? new UploadOutcome(dataset, true).message() : null;
        return DatasetPages.detail(dataset, pictures.classPictures(dataset), jobs.forDataset(dataset.id()), notice,
                JobForm.initial(), FormProblems.NONE);
    }

    @GET
    @Path("/{id}/grid.png")
    @Produces("image/png")
    public Response grid(@RestPath long id) throws IOException {
        return Response.ok(pictures.grid(Lookups.dataset(pool, id))).header("Cache-Control", "public, max-age=86400")
                .build();
    }

    /** The picture of one class's images (nearest-neighbour enlargement is the page's business). */
    @GET
    @Path("/{id}/classes/{label}.png")
    @Produces("image/png")
    public Response classPicture(@RestPath long id, @RestPath String label) throws IOException {
        DatasetView dataset = Lookups.dataset(pool, id);
        int index;
        try {
            index = Integer.parseInt(label);
        } catch (NumberFormatException e) {
            index = -1;
        }
        byte[] png = pictures.classPicture(dataset, index).orElseThrow(() -> WebError.notFound(
                "Set #" + dataset.id() + " has no class '" + label + "'."));
        return Response.ok(png).header("Cache-Control", "public, max-age=86400").build();
    }
}
