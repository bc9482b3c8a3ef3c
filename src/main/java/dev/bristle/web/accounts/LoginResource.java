package dev.bristle.web.accounts;

import dev.bristle.accounts.AccountService;
import dev.bristle.accounts.AccountsConfig;
import dev.bristle.accounts.BristleAuthentication;
import dev.bristle.accounts.Role;
import dev.bristle.input.InvalidInputException;
import dev.bristle.web.common.WebError;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URI;
import java.net.URISyntaxException;

/** Sign-in with a password (a session cookie for the browser), sign-out, and self sign-up when it is enabled. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String next, String problem, boolean signup);

        static native TemplateInstance signup(String problem);
    }

    @Inject
    AccountService accounts;

    @Inject
    AccountsConfig config;

    @GET
    @Path("login")
    public TemplateInstance loginForm(@QueryParam("next") String next) {
        return Templates.login(localPath(next), null, config.selfSignup());
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@RestForm String username, @RestForm String password, @RestForm String next) {
        return accounts.signIn(username, password)
                .map(secret -> Response.seeOther(URI.create(localPath(next))).cookie(sessionCookie(secret,
                        config.sessionHours() * 3600)).build())
                .orElseGet(() -> Response.status(401).type(MediaType.TEXT_HTML_TYPE)
                        .entity(Templates.login(localPath(next), "Wrong user name or password.", config.selfSignup())
                                .render()).build());
    }

    @POST
    @Path("logout")
    public Response logout(@CookieParam(BristleAuthentication.SESSION_COOKIE) String session) {
        if (session != null && !session.isBlank()) accounts.signOut(session);
        return Response.seeOther(URI.create("/")).cookie(sessionCookie("", 0)).build();
    }

    @GET
    @Path("signup")
    public TemplateInstance signupForm() {
        if (!config.selfSignup()) throw WebError.notFound("Accounts are created by a maintainer here.");
        return Templates.signup(null);
    }

    @POST
    @Path("signup")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signup(@RestForm String username, @RestForm String password) {
        if (!config.selfSignup()) throw WebError.notFound("Accounts are created by a maintainer here.");
        try {
            accounts.create(username, password == null ? "" : password, Role.SUBMITTER, username);
        } catch (InvalidInputException e) {
            return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                    .entity(Templates.signup("The account was not created: " + e.getMessage() + ".").render()).build();
        }
        return login(username, password, "/");
    }

    /** The session cookie: HttpOnly, SameSite=Strict, Secure behind HTTPS. */
    private NewCookie sessionCookie(String value, int maxAge) {
        return new NewCookie.Builder(BristleAuthentication.SESSION_COOKIE).value(value).path("/").maxAge(maxAge)
                .httpOnly(true).secure(config.secureCookies()).sameSite(NewCookie.SameSite.STRICT).build();
    }

    /**
     * Where to go after signing in: a path of this site only (never another host), and a valid URI reference as
     * typed (a space, a tab or a {@code <} is not: the home page instead); anything else goes to the home page.
     */
    static String localPath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.length() >= 200) {
            return "/";
        }
        try {
            URI uri = new URI(next);
            return uri.getScheme() == null && uri.getRawAuthority() == null ? next : "/";
        } catch (URISyntaxException e) {
            return "/";
        }
    }
}
