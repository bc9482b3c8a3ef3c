package dev.bristle.web.boards;

import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.EntryService;
import dev.bristle.leaderboard.EntryView;
import dev.bristle.web.common.Lookups;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Everything known about one method on one dataset. */
@Path("/entries")
public class EntryResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance entry(EntryView view);
    }

    @Inject
    EntryService entries;

    @GET
    @Path("/{dataset}/{method}")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance entry(@PathParam("dataset") Dataset dataset, @PathParam("method") String method) {
        return Templates.entry(Lookups.entry(entries, dataset, method));
    }
}
