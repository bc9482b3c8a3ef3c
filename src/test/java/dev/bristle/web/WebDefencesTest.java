package dev.bristle.web;

import dev.bristle.accounts.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Security headers on every page, cross-site requests refused, and the rate limits on sign-in and uploads. */
@QuarkusTest
@TestProfile(WebDefencesTest.LowLimits.class)
@Tag("database")
class WebDefencesTest {

    /** Limits low enough to reach in a few requests. */
    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bristle.accounts.limits.sign-ins-per-minute", "3",
                    "bristle.accounts.limits.uploads-per-minute", "3");
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
                .post("/api/jobs").then().statusCode(403).body("error", containsString("another site"));
        // The same request from the site itself goes through (and is refused for its content, not its origin).
        String self = "http://localhost:" + io.restassured.RestAssured.port;
        asMaintainer().header("Origin", self).contentType("application/json").body("{}").post("/api/jobs").then()
                .statusCode(400);
    }

    @Test
    void signInsAndUploadsAreRateLimited() {
        List<Integer> signIns = new ArrayList<>();
        TestAccounts.Browser browser = TestAccounts.browser();
        for (int i = 0; i < 5; i++) {
            signIns.add(browser.request().formParam("username", "nobody").formParam("password", "wrong-password")
                    .redirects().follow(false).post("/login").statusCode());
        }
        assertEquals(List.of(401, 401, 401, 429, 429), signIns);
        List<Integer> uploads = new ArrayList<>();
        for (int i = 0; i < 5; i++) uploads.add(asMaintainer().multiPart("method", "X").post("/api/datasets").statusCode());
        assertEquals(List.of(400, 400, 400, 429, 429), uploads);
        asMaintainer().multiPart("method", "X").post("/api/datasets").then().statusCode(429)
                .header("Retry-After", equalTo("60"));
    }
}
