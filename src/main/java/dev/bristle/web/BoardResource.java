package dev.bristle.web;

import dev.bristle.leaderboard.BoardView;
import dev.bristle.leaderboard.LeaderboardService;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseHeader;

/** One leaderboard; htmx requests (sorting, switching mode) get only the table. */
@Path("/boards")
public class BoardResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance board(BoardView view);

        static native TemplateInstance board$table(BoardView view);
    }

    @Inject
    LeaderboardService leaderboards;

    @GET
    @Path("/{dataset}/{ipc}")
    @Produces(MediaType.TEXT_HTML)
    @ResponseHeader(name = "Vary", value = Htmx.REQUEST_HEADER)
    public TemplateInstance board(@PathParam("dataset") String dataset, @PathParam("ipc") String ipc,
                                  @QueryParam("mode") String mode, @QueryParam("protocol") String protocol,
                                  @QueryParam("sort") String sort,
                                  @QueryParam("dir") String dir, @HeaderParam(Htmx.REQUEST_HEADER) String htmx,
                                  @HeaderParam(Htmx.HISTORY_RESTORE_HEADER) String historyRestore) {
        BoardView view = leaderboards.board(RequestParams.dataset(dataset), RequestParams.ipc(ipc),
                RequestParams.mode(mode), RequestParams.protocol(protocol), RequestParams.sort(sort),
                RequestParams.direction(dir));
        return Htmx.wantsFragment(htmx, historyRestore) ? Templates.board$table(view) : Templates.board(view);
    }
}
