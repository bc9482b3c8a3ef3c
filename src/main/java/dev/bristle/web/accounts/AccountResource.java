package dev.bristle.web.accounts;

import dev.bristle.accounts.AccountService;
import dev.bristle.accounts.Role;
import dev.bristle.input.InvalidInputException;
import dev.bristle.web.common.Viewer;
import dev.bristle.web.common.WebError;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;

import java.util.List;

/** Maintainers manage accounts: create one (submitter or maintainer), create an API token for one. */
@Path("/accounts")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.MAINTAINER_NAME)
public class AccountResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<AccountService.AccountView> accounts, String notice,
                                            AccountService.NewToken token, String problem);
    }

    @Inject
    AccountService accounts;

    @Inject
    Viewer viewer;

    @GET
    public TemplateInstance list() {
        return Templates.list(accounts.list(), null, null, null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String username, @RestForm String password, @RestForm String role) {
        try {
            var created = accounts.create(username, password == null || password.isEmpty() ? null : password,
                    Role.fromKey(role == null ? "" : role), viewer.name());
            return page(200, Templates.list(accounts.list(), "Account " + created.username() + " created.", null, null));
        } catch (InvalidInputException e) {
            return page(400, Templates.list(accounts.list(), null, null,
                    "The account was not created: " + e.getMessage() + "."));
        }
    }

    @POST
    @Path("/{id}/tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createToken(@RestPath long id, @RestForm String name) {
        var account = accounts.find(id).orElseThrow(() -> WebError.notFound("There is no account #" + id + "."));
        var token = accounts.createToken(account.username(), name, viewer.name());
        // The page shows the token once: no cache may keep it.
        return Response.ok(Templates.list(accounts.list(), null, token, null).render(), MediaType.TEXT_HTML_TYPE)
                .header("Cache-Control", "no-store").build();
    }

    private static Response page(int status, TemplateInstance page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(page.render()).build();
    }
}
