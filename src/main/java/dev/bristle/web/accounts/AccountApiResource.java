package dev.bristle.web.accounts;

import dev.bristle.accounts.AccountService;
import dev.bristle.accounts.Role;
import dev.bristle.input.InvalidInputException;
import dev.bristle.web.common.Viewer;
import dev.bristle.web.common.WebError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;

import java.net.URI;
import java.util.List;

/** Accounts and API tokens for scripts: maintainers create them; anyone signed in may make tokens of their own. */
@Path("/api/users")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts", description = "Local accounts and personal API tokens")
public class AccountApiResource {

    /** A new account: no password makes it a token-only account (for CI). */
    public record NewAccount(
            @NotNull(message = "must be given") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{1,63}",
                    message = "must be 2 to 64 letters, digits, '.', '_' or '-'") String username,
            @Size(min = 10, max = 200, message = "must have 10 to 200 characters") String password,
            @NotNull(message = "must be given") @Pattern(regexp = "submitter|maintainer",
                    message = "must be submitter or maintainer") String role) {
    }

    /** What a token is for ("laptop", "CI"). */
    public record TokenRequest(@Size(max = 100, message = "may have at most 100 characters") String name) {
    }

    /** Who the request comes from. */
    public record Me(String username, boolean submitter, boolean maintainer) {
    }

    @Inject
    AccountService accounts;

    @Inject
    Viewer viewer;

    @GET
    @RolesAllowed(Role.MAINTAINER_NAME)
    @Operation(summary = "Every account (maintainers)")
    public List<AccountService.AccountView> list() {
        return accounts.list();
    }

    @POST
    @RolesAllowed(Role.MAINTAINER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an account (maintainers)")
    public Response create(@Valid @NotNull(message = "must be a JSON object") NewAccount request) {
        try {
            var created = accounts.create(request.username(), request.password(), Role.fromKey(request.role()),
                    viewer.name());
            return Response.created(URI.create("/api/users/" + created.id())).entity(created).build();
        } catch (InvalidInputException e) {
            throw new WebError(409, "The account was not created.", List.of(e.getMessage()));
        }
    }

    @POST
    @Path("/{id}/tokens")
    @RolesAllowed(Role.MAINTAINER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API token for an account (maintainers); the token is in this answer only")
    public Response createToken(@RestPath long id, @Valid TokenRequest request) {
        var account = accounts.find(id).orElseThrow(() -> WebError.notFound("There is no account #" + id + "."));
        var token = accounts.createToken(account.username(), request == null ? null : request.name(), viewer.name());
        return Response.status(201).entity(token).header("Cache-Control", "no-store").build();
    }

    @GET
    @Path("/me")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Operation(summary = "The account the request is signed in as")
    public Me me() {
        return new Me(viewer.name(), viewer.submitter(), viewer.maintainer());
    }

    @GET
    @Path("/me/tokens")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Operation(summary = "Your own API tokens (their names and ids, never the secrets)")
    public List<AccountService.TokenView> ownTokens() {
        return accounts.tokens(viewer.name());
    }

    @DELETE
    @Path("/me/tokens/{tokenId}")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Operation(summary = "Revoke one of your own API tokens: it stops working at once")
    public Response revokeOwnToken(@RestPath long tokenId) {
        if (!accounts.revokeToken(viewer.name(), tokenId, viewer.name())) {
            throw WebError.notFound("You hold no API token #" + tokenId + ".");
        }
        return Response.noContent().build();
    }

    @DELETE
    @Path("/{id}/tokens/{tokenId}")
    @RolesAllowed(Role.MAINTAINER_NAME)
    @Operation(summary = "Revoke an account's API token (maintainers)")
    public Response revokeToken(@RestPath long id, @RestPath long tokenId) {
        var account = accounts.find(id).orElseThrow(() -> WebError.notFound("There is no account #" + id + "."));
        if (!accounts.revokeToken(account.username(), tokenId, viewer.name())) {
            throw WebError.notFound("Account #" + id + " holds no API token #" + tokenId + ".");
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/me/tokens")
    @RolesAllowed(Role.SUBMITTER_NAME)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API token for your own account; the token is in this answer only")
    public Response createOwnToken(@Valid TokenRequest request) {
        var token = accounts.createToken(viewer.name(), request == null ? null : request.name(), viewer.name());
        return Response.status(201).entity(token).header("Cache-Control", "no-store").build();
    }
}
