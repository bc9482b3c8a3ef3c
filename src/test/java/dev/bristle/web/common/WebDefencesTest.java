package dev.bristle.web.common;

import dev.bristle.accounts.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Security headers on every answer (a wrong token's 401 too), cross-site requests refused (by scheme, host and port),
 * and the rate limits on sign-in and uploads however their paths are spelled.
 */
@QuarkusTest
@TestProfile(WebDefencesTest.LowLimits.class)
@Tag("database")
class WebDefencesTest {

    private static final int LIMIT = 3;

    /** Limits low enough to reach in a few requests. */
    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bristle.accounts.limits.sign-ins-per-minute", String.valueOf(LIMIT),
                    "bristle.accounts.limits.uploads-per-minute", String.valueOf(LIMIT));
        }
    }

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (String path : List.of("/", "/boards/cifar-10/1", "/datasets", "/api/boards/cifar-10/1", "/no-such-page",
                "/login")) {
            Response response = given().get(path);
            String csp = response.header("Content-Security-Policy");
            assertTrue(csp != null && csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'"),
                    path + ": " + csp);
            assertEquals("nosniff", response.header("X-Content-Type-Options"), path);
            assertEquals("same-origin", response.header("Referrer-Policy"), path);
            assertEquals("DENY", response.header("X-Frame-Options"), path);
        }
        String home = given().get("/").asString();
        assertTrue(!home.contains("<script>") && !home.contains(" onclick="), "no inline scripts or handlers");
    }

    @Test
    void aCrossSiteFormPostIsRefused() {
        // A form on another site posting to the job queue with the maintainer's credentials: refused before it runs.
        asMaintainer().header("Origin", "https://evil.example").formParam("datasetId", "1").redirects().follow(false)
                .post("/jobs").then().statusCode(403).body(containsString("another site"));
        asMaintainer().header("Referer", "https://evil.example/page").contentType("application/json").body("{}")
                .post("/api/jobs").then().statusCode(403).body("error", containsString("another site"))
                // a refusal carries the security headers like every other answer
                .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"));
        // The same request from the site itself goes through (and is refused for its content, not its origin).
        asMaintainer().header("Origin", self()).contentType("application/json").body("{}").post("/api/jobs").then()
                .statusCode(400);
    }

    /** An Origin that is empty or {@code null} (a privacy-sensitive context) leaves the Referer to be checked. */
    @Test
    void anEmptyOrNullOriginLeavesTheRefererToBeChecked() {
        for (String origin : List.of("", " ", "null")) {
            asMaintainer().header("Origin", origin).header("Referer", "https://evil.example/page")
                    .contentType("application/json").body("{}").post("/api/jobs").then().statusCode(403)
                    .body("error", containsString("another site"));
        }
        asMaintainer().header("Origin", "null").header("Referer", self() + "/jobs").contentType("application/json")
                .body("{}").post("/api/jobs").then().statusCode(400);
    }

    /** The site's origin is its scheme, host and port: the same host on another scheme or port is another site. */
    @Test
    void anotherSchemeOrPortOfTheSameHostIsAnotherSite() {
        int port = io.restassured.RestAssured.port;
        for (String origin : List.of("https://localhost:" + port, "http://localhost:" + (port + 1), "http://localhost",
                "ftp://localhost:" + port, "http://localhost.evil.example:" + port, "localhost:" + port)) {
            asMaintainer().header("Origin", origin).contentType("application/json").body("{}").post("/api/jobs")
                    .then().statusCode(403);
            asMaintainer().header("Referer", origin + "/jobs").contentType("application/json").body("{}")
                    .post("/api/jobs").then().statusCode(403);
        }
        asMaintainer().header("Origin", "http://LOCALHOST:" + port).contentType("application/json").body("{}")
                .post("/api/jobs").then().statusCode(400);
        // Behind a proxy that ends TLS, the site is the proxy's https origin, on https's port unless the Host says.
        asMaintainer().header("X-Forwarded-Proto", "https").header("Origin", "https://localhost:" + port)
                .contentType("application/json").body("{}").post("/api/jobs").then().statusCode(400);
        asMaintainer().header("X-Forwarded-Proto", "https").header("Host", "bristle.example")
                .header("Origin", "https://bristle.example").contentType("application/json").body("{}")
                .post("/api/jobs").then().statusCode(400);
        asMaintainer().header("X-Forwarded-Proto", "https").header("Host", "bristle.example")
                .header("Origin", "http://bristle.example").contentType("application/json").body("{}")
                .post("/api/jobs").then().statusCode(403);
    }

    /** A wrong API token is refused like everything else: a short problem, and the headers every answer has. */
    @Test
    void aWrongTokenGetsAShortProblemWithTheSecurityHeaders() {
        for (String path : List.of("/api/jobs", "/jobs")) {
            Response response = given().header("Authorization", "Bearer not-a-token").get(path);
            assertEquals(401, response.statusCode(), path);
            assertEquals("Bearer realm=\"bristle\"", response.header("WWW-Authenticate"), path);
            String csp = response.header("Content-Security-Policy");
            assertTrue(csp != null && csp.contains("script-src 'self';") && csp.contains("frame-ancestors 'none'"),
                    path + ": " + csp);
            assertEquals("nosniff", response.header("X-Content-Type-Options"), path);
            assertEquals("same-origin", response.header("Referrer-Policy"), path);
            assertEquals("DENY", response.header("X-Frame-Options"), path);
            String body = response.asString();
            assertTrue(body.contains("API token is not valid") && body.length() < 1024, path + ": " + body);
        }
        given().header("Authorization", "Bearer not-a-token").get("/api/jobs").then().contentType("application/json")
                .body("status", equalTo(401)).body("error", containsString("API token is not valid"));
    }

    /**
     * Every rate-limited route, spelled as the router also takes it (or near enough), counts against the same
     * limit: once the route's own spelling has used the minute's requests, every other spelling gets 429.
     */
    @Test
    void everyRateLimitedRouteIsLimitedHoweverItsPathIsSpelled() throws InterruptedException {
        TestAccounts.Browser browser = TestAccounts.browser();
        Function<String, Response> upload = path -> asMaintainer().urlEncodingEnabled(false).multiPart("method", "X")
                .post(path);
        Map<String, Function<String, Response>> calls = Map.of(
                "/login", path -> browser.request().urlEncodingEnabled(false).formParam("username", "nobody")
                        .formParam("password", "wrong-password").redirects().follow(false).post(path),
                "/datasets", upload,
                "/api/datasets", upload,
                "/submissions", upload,
                "/api/submissions", upload);
        assertEquals(new TreeSet<>(WebDefences.LIMITED.keySet()), new TreeSet<>(calls.keySet()),
                "every rate-limited route is tried here");
        awayFromTheMinutesEnd();
        List<String> passed = new ArrayList<>();
        for (var route : calls.entrySet()) {
            int below = route.getKey().equals("/login") ? 401 : 400;
            for (int i = 0; i < LIMIT; i++) assertEquals(below, route.getValue().apply(route.getKey()).statusCode());
            for (String spelling : spellings(route.getKey())) {
                Response response = route.getValue().apply(spelling);
                if (response.statusCode() != 429 || !"60".equals(response.header("Retry-After"))) {
                    passed.add(spelling + ": " + response.statusCode());
                }
            }
        }
        assertEquals(List.of(), passed, "spellings that passed the limit");
    }

    /** A route's path as a client might spell it to slip past a limit kept by path. */
    private static List<String> spellings(String route) {
        int last = route.lastIndexOf('/');
        String head = route.substring(0, last + 1);
        String name = route.substring(last + 1);
        String encoded = head + "%" + Integer.toHexString(name.charAt(0)) + name.substring(1);
        List<String> spellings = new ArrayList<>(List.of(route, route + "/", route + ";x=1", route + "/;x=1",
                "/" + route, route + "//", encoded, encoded.toUpperCase(Locale.ROOT), route + "%2F",
                route.toUpperCase(Locale.ROOT), head + "./" + name, head + "x/../" + name, head + "%2e/" + name));
        if (last > 0) {
            spellings.add(route.substring(0, last) + "//" + name);
            spellings.add(route.substring(0, last) + ";x=1/" + name);
            spellings.add(route.substring(0, last) + "%2F" + name);
        }
        return spellings;
    }

    /** The limits count per minute: a test that fills one must not straddle two. */
    private static void awayFromTheMinutesEnd() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 45_000) Thread.sleep(60_000 - intoMinute + 100);
    }

    private static String self() {
        return "http://localhost:" + io.restassured.RestAssured.port;
    }
}
