package dev.bristle.web.boards;

import dev.bristle.leaderboard.BoardRow;
import dev.bristle.leaderboard.BoardView;
import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.Ipc;
import dev.bristle.leaderboard.SortColumn;
import dev.bristle.leaderboard.SortDirection;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.train.TrainingRecipe;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.leaderboard.LeaderboardService;
import dev.bristle.web.common.Htmx;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseHeader;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One leaderboard with its charts; htmx requests (sorting, switching mode) get only the table and charts. */
@Path("/boards")
public class BoardResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance board(BoardView view, BoardCharts charts);

        static native TemplateInstance board$table(BoardView view, BoardCharts charts);
    }

    @Inject
    LeaderboardService leaderboards;

    @GET
    @Path("/{dataset}/{ipc}")
    @Produces(MediaType.TEXT_HTML)
    @ResponseHeader(name = "Vary", value = Htmx.REQUEST_HEADER)
    public TemplateInstance board(@PathParam("dataset") Dataset set, @PathParam("ipc") Ipc ipc,
                                  @DefaultValue("untargeted") @QueryParam("mode") AttackMode attackMode,
                                  @QueryParam("protocol") AttackProtocol protocol,
                                  @DefaultValue("standard") @QueryParam("recipe") TrainingRecipe.Kind trainingRecipe,
                                  @DefaultValue("crei") @QueryParam("sort") SortColumn sort,
                                  @DefaultValue("desc") @QueryParam("dir") SortDirection dir,
                                  @HeaderParam(Htmx.REQUEST_HEADER) String htmx,
                                  @HeaderParam(Htmx.HISTORY_RESTORE_HEADER) String historyRestore) {
        AttackProtocol attackProtocol = BoardProtocols.of(set, protocol);
        BoardView view = leaderboards.board(set, ipc, attackMode, attackProtocol, trainingRecipe, sort, dir);
        Map<Ipc, List<BoardRow>> rowsByIpc = new EnumMap<>(Ipc.class);
        for (Ipc each : Ipc.POOLED) {
            rowsByIpc.put(each, leaderboards.board(set, each, attackMode, attackProtocol, trainingRecipe, SortColumn.CREI,
                    SortDirection.DESC).rows());
        }
        BoardCharts charts = BoardCharts.of(view, rowsByIpc);
        return Htmx.wantsFragment(htmx, historyRestore) ? Templates.board$table(view, charts)
                : Templates.board(view, charts);
    }
}
