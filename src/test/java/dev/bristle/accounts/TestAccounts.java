package dev.bristle.accounts;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Credentials of the test profile: {@code %test.bristle.accounts.admin-token} is a maintainer's token. */
public final class TestAccounts {

    public static final String MAINTAINER_TOKEN = "test-maintainer-token";
    /** The identity that token gives, for calling services directly. */
    public static final Actor MAINTAINER = new Actor(Actor.ADMIN, true);
    public static final String CSRF_COOKIE = "csrf-token";
    public static final String CSRF_HEADER = "X-CSRF-TOKEN";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    private TestAccounts() {
    }

    /** A request signed with the maintainer's token. */
    public static RequestSpecification asMaintainer() {
        return as(MAINTAINER_TOKEN);
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A browser that opened the sign-in page: it holds the CSRF cookie and the token the page's form carries. */
    public static Browser browser() {
        Response page = given().get("/login");
        assertEquals(200, page.statusCode(), "the sign-in page");
        Matcher field = CSRF_FIELD.matcher(page.asString());
        assertTrue(field.find(), "the sign-in form carries a CSRF token");
        return new Browser(page.cookie(CSRF_COOKIE), field.group(1), null);
    }

    /** A browser signed in with a password, as a person in front of the sign-in form. */
    public static Browser signedIn(String username, String password) {
        Browser browser = browser();
        Response signIn = browser.request().redirects().follow(false).formParam("username", username)
                .formParam("password", password).post("/login");
        assertEquals(303, signIn.statusCode(), "signing in as " + username);
        return new Browser(browser.csrfCookie(), browser.csrfToken(), signIn.cookie(BristleAuthentication.SESSION_COOKIE));
    }

    /**
     * A browser's cookies (the CSRF cookie, and the session once signed in) and the CSRF token of its page.
     *
     * @param session null when not signed in
     */
    public record Browser(String csrfCookie, String csrfToken, String session) {

        /** A request with the browser's cookies that sends the token in the header, as htmx does. */
        public RequestSpecification request() {
            return withoutToken().header(CSRF_HEADER, csrfToken);
        }

        /** The browser's cookies without the token, as a form posted from another site would come. */
        public RequestSpecification withoutToken() {
            RequestSpecification request = given().cookie(CSRF_COOKIE, csrfCookie);
            return session == null ? request : request.cookie(BristleAuthentication.SESSION_COOKIE, session);
        }
    }
}
