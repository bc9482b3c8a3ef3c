package dev.bristle.web.boards;

import dev.bristle.leaderboard.HomeView;
import dev.bristle.leaderboard.LeaderboardService;
import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.metrics.AttackMode;
import dev.bristle.web.common.Htmx;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseHeader;

/** The twelve leaderboards of one attack mode and protocol. */
@Path("/")
public class HomeResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance home(HomeView view);

        static native TemplateInstance home$boards(HomeView view);
    }

    @Inject
    LeaderboardService leaderboards;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @ResponseHeader(name = "Vary", value = Htmx.REQUEST_HEADER)
    public TemplateInstance home(@DefaultValue("untargeted") @QueryParam("mode") AttackMode mode,
                                 @DefaultValue("beard") @QueryParam("protocol") AttackProtocol protocol,
                                 @HeaderParam(Htmx.REQUEST_HEADER) String htmx,
                                 @HeaderParam(Htmx.HISTORY_RESTORE_HEADER) String historyRestore) {
        HomeView view = leaderboards.home(mode, protocol);
        return Htmx.wantsFragment(htmx, historyRestore) ? Templates.home$boards(view) : Templates.home(view);
    }
}
