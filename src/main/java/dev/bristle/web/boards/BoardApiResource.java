package dev.bristle.web.boards;

import dev.bristle.leaderboard.BoardView;
import dev.bristle.leaderboard.Dataset;
import dev.bristle.leaderboard.HomeView;
import dev.bristle.leaderboard.Ipc;
import dev.bristle.leaderboard.LeaderboardService;
import dev.bristle.leaderboard.SortColumn;
import dev.bristle.leaderboard.SortDirection;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.ml.train.TrainingRecipe;
import dev.bristle.web.common.ApiError;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The JSON twins of the home page and the board pages. */
@Path("/api/boards")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Leaderboards", description = "BEARD's published leaderboards and Bristle's measured entries")
public class BoardApiResource {

    @Inject
    LeaderboardService leaderboards;

    @GET
    @Operation(summary = "All boards of one attack mode and protocol, each with its best ranked entries by CREI, then its"
            + " best preliminary ones, and how many of each it has")
    @APIResponse(responseCode = "200", description = "The boards",
            content = @Content(schema = @Schema(implementation = HomeView.class)))
    @APIResponse(responseCode = "400", description = "Unknown mode or protocol",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public HomeView boards(
            @Parameter(description = "Attack mode", schema = @Schema(ref = "AttackModeKey"))
            @DefaultValue("untargeted") @QueryParam("mode") AttackMode mode,
            @Parameter(description = "Attack protocol: beard (BEARD's, the published entries) or sound (Bristle's)",
                    schema = @Schema(ref = "ProtocolKey"))
            @DefaultValue("beard") @QueryParam("protocol") AttackProtocol protocol) {
        return leaderboards.home(mode, protocol);
    }

    @GET
    @Path("/{dataset}/{ipc}")
    @Produces({MediaType.APPLICATION_JSON, BoardCsv.MEDIA_TYPE})
    @Operation(summary = "One leaderboard: its ranked rows by CREI in the chosen order, then its preliminary rows"
            + " (unranked)",
            description = "format=csv gives the rows as CSV with a header row, format=json the JSON as a download;"
                    + " without format, the JSON")
    @APIResponse(responseCode = "200", description = "The board", content = {
        @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BoardView.class)),
        @Content(mediaType = BoardCsv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING),
                example = "rank,method,crei,rrm,aem,clean_accuracy,source,...")})
    @APIResponse(responseCode = "400", description = "Unknown mode, protocol, sort column, direction or format",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "404", description = "Unknown data set or IPC",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response board(
            @Parameter(description = "Data set", schema = @Schema(ref = "DatasetSlug"))
            @PathParam("dataset") Dataset set,
            @Parameter(description = "Images per class; all = unified", schema = @Schema(ref = "IpcKey"))
            @PathParam("ipc") Ipc ipc,
            @Parameter(description = "Attack mode", schema = @Schema(ref = "AttackModeKey"))
            @DefaultValue("untargeted") @QueryParam("mode") AttackMode mode,
            @Parameter(description = "Attack protocol: beard (BEARD's, the published entries) or sound (Bristle's);"
                    + " default beard, sound for fashion-mnist (which has no beard boards)",
                    schema = @Schema(ref = "ProtocolKey"))
            @QueryParam("protocol") AttackProtocol protocol,
            @Parameter(description = "How the students were trained: standard, or pgd-at (PGD adversarial training);"
                    + " the two are never ranked in one table", schema = @Schema(ref = "RecipeKey"))
            @DefaultValue("standard") @QueryParam("recipe") TrainingRecipe.Kind recipe,
            @Parameter(description = "Column to order by", schema = @Schema(ref = "SortColumnKey"))
            @DefaultValue("crei") @QueryParam("sort") SortColumn sort,
            @Parameter(description = "Order direction", schema = @Schema(ref = "SortDirectionKey"))
            @DefaultValue("desc") @QueryParam("dir") SortDirection dir,
            @Parameter(description = "csv: the rows as a CSV download; json: the JSON as a download",
                    schema = @Schema(ref = "ExportFormatKey"))
            @QueryParam("format") ExportFormat format) {
        BoardView board = leaderboards.board(set, ipc, mode, BoardProtocols.of(set, protocol), recipe, sort, dir);
        if (format == null) return Response.ok(board, MediaType.APPLICATION_JSON_TYPE).build();
        boolean csv = format == ExportFormat.CSV;
        String file = BoardCsv.fileName(board, csv ? "csv" : "json");
        return Response.ok(csv ? BoardCsv.of(board) : board, csv ? BoardCsv.MEDIA_TYPE + "; charset=utf-8"
                        : MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"" + file + "\"").build();
    }
}
