package dev.bristle.scoring;

import dev.bristle.jobs.ManualEngine;
import dev.bristle.accounts.TestAccounts;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.web.StateChangingRoutes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may do what, on every state-changing route: anonymous, a submitter, another submitter and a maintainer, each
 * through the API and the pages; the admin token from the environment; review before publication; quotas; sign-in.
 */
@QuarkusTest
@Tag("database")
class AccessControlTest {

    private static final String PASSWORD = "correct horse battery";
    private static final String ANONYMOUS = "anonymous";
    private static final Map<String, String> TOKENS = new LinkedHashMap<>();
    private static final Map<String, TestAccounts.Browser> BROWSERS = new LinkedHashMap<>();

    @Inject
    DatasetPoolService pool;

    @Inject
    JobService jobs;

    @Inject
    ManualEngine engine;

    /** Accounts alice and bob (submitters) and maria (maintainer), created once through the API, with tokens. */
    @BeforeEach
    void accounts() {
        ScoringTestState.cancelQueuedJobs(jobs);
        if (!TOKENS.isEmpty()) return;
        for (String[] account : new String[][]{{"alice", "submitter"}, {"bob", "submitter"}, {"maria", "maintainer"}}) {
            int id = asMaintainer().contentType("application/json").body("{\"username\": \"" + account[0]
                            + "\", \"password\": \"" + PASSWORD + "\", \"role\": \"" + account[1] + "\"}")
                    .post("/api/users").then().statusCode(201).body("role", equalTo(account[1])).extract().path("id");
            String token = asMaintainer().contentType("application/json").body("{\"name\": \"tests\"}")
                    .post("/api/users/" + id + "/tokens").then().statusCode(201).extract().path("token");
            TOKENS.put(account[0], token);
            BROWSERS.put(account[0], TestAccounts.signedIn(account[0], PASSWORD));
        }
        BROWSERS.put(ANONYMOUS, TestAccounts.browser());
    }

    @AfterEach
    void cleanUp() {
        ScoringTestState.cancelQueuedJobs(jobs);
        ScoringTestState.cancelQueuedDistillations();
    }

    /** A submission of {@code owner}'s as the upload stores it, its checks not yet started (no bundle is read). */
    private static long plantSubmission(String owner) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            dev.bristle.submissions.Submission row = new dev.bristle.submissions.Submission();
            row.submittedBy = owner;
            row.originalName = "bundle.zip";
            row.sha256 = "0".repeat(64);
            row.setSha256 = "1".repeat(64);
            row.state = dev.bristle.submissions.SubmissionState.RECEIVED;
            row.dataset = "Fashion-MNIST";
            row.ipc = 10;
            row.method = "Planted";
            row.protocol = "sound";
            row.recipe = "standard";
            row.createdAt = java.time.Instant.now();
            row.updatedAt = row.createdAt;
            row.persist();
            return row.id;
        });
    }

    private long dcSet(int ipc) {
        return pool.list().stream().filter(d -> d.ipc() == ipc && d.method().equals("DC")
                && d.origin().equals("imported")).findFirst().orElseThrow().id();
    }

    /**
     * How each caller reaches a route: the API with their API token, the pages with their browser (its session
     * cookie, and the page's CSRF token sent back as htmx sends it); anonymous callers with neither token nor session.
     */
    private static RequestSpecification as(String who, String path) {
        if (!path.startsWith("/api/")) return BROWSERS.get(who).request();
        return who.equals(ANONYMOUS) ? given() : TestAccounts.as(TOKENS.get(who));
    }

    /** A route ("POST /jobs/{id}/cancel") and the status each of anonymous, alice, bob and maria gets. */
    record Route(String name, Function<RequestSpecification, Response> call, int anonymous, int alice, int bob,
                 int maria) {

        String path() {
            return name.substring(name.indexOf(' ') + 1);
        }
    }

    /**
     * Every state-changing route has a row (a new route without one fails here), each called as anonymous, alice
     * (the job's owner), bob (another submitter) and maria (a maintainer).
     */
    @Test
    void everyStateChangingRouteChecksTheRole() {
        long set = dcSet(1);
        long aliceJob = TestAccounts.as(TOKENS.get("alice")).contentType("application/json")
                .body("{\"datasetId\": " + set + ", \"epochs\": 1, \"students\": 1, \"testLimit\": 50}")
                .post("/api/jobs").then().statusCode(201).body("submittedBy", equalTo("alice")).extract()
                .<Integer>path("id");
        long aliceDistillation = TestAccounts.as(TOKENS.get("alice")).contentType("application/json")
                .body("{\"method\": \"random\", \"dataset\": \"Fashion-MNIST\", \"ipc\": 1}")
                .post("/api/distillations").then().statusCode(201).body("submittedBy", equalTo("alice")).extract()
                .<Integer>path("id");
        long aliceSubmission = plantSubmission("alice");
        String json = "application/json";
        List<Route> routes = List.of(
                new Route("POST /api/submissions", r -> r.multiPart("other", "x").post("/api/submissions"),
                        401, 400, 400, 400),
                new Route("POST /submissions", r -> r.multiPart("other", "x").post("/submissions"), 303, 400, 400, 400),
                new Route("GET /submissions/new", r -> r.get("/submissions/new"), 303, 200, 200, 200),
                // A submission is its owner's and the maintainers' until its entry is approved: others find nothing.
                new Route("GET /api/submissions/{id}", r -> r.get("/api/submissions/" + aliceSubmission),
                        404, 200, 404, 200),
                new Route("GET /submissions/{id}", r -> r.get("/submissions/" + aliceSubmission), 404, 200, 404, 200),
                new Route("POST /api/submissions/{id}/cancel", r -> r.post("/api/submissions/" + aliceSubmission
                        + "/cancel"), 401, 200, 404, 200),
                new Route("POST /submissions/{id}/cancel", r -> r.post("/submissions/" + aliceSubmission
                        + "/cancel"), 303, 303, 404, 303),
                new Route("POST /api/datasets", r -> r.multiPart("method", "X").post("/api/datasets"), 401, 400, 400, 400),
                new Route("POST /datasets", r -> r.multiPart("method", "X").post("/datasets"), 303, 400, 400, 400),
                new Route("POST /api/jobs", r -> r.contentType(json).body("{\"datasetId\": 999999}").post("/api/jobs"),
                        401, 400, 400, 400),
                new Route("POST /jobs", r -> r.formParam("datasetId", "999999").post("/jobs"), 303, 400, 400, 400),
                new Route("POST /api/jobs/estimate", r -> r.contentType(json).body("{\"datasetId\": 999999}")
                        .post("/api/jobs/estimate"), 401, 400, 400, 400),
                new Route("POST /jobs/estimate", r -> r.formParam("datasetId", "999999").post("/jobs/estimate"),
                        303, 200, 200, 200),
                new Route("POST /jobs/checkpoint", r -> r.formParam("modelId", "999999").post("/jobs/checkpoint"),
                        303, 400, 400, 400),
                new Route("POST /api/distillations", r -> r.contentType(json).body("{\"method\": \"nope\","
                        + " \"dataset\": \"Fashion-MNIST\", \"ipc\": 1}").post("/api/distillations"), 401, 400, 400, 400),
                new Route("POST /distillations", r -> r.formParam("method", "nope").formParam("ipc", "1")
                        .post("/distillations"), 303, 400, 400, 400),
                new Route("POST /api/jobs/{id}/cancel", r -> r.post("/api/jobs/" + aliceJob + "/cancel"),
                        401, 200, 403, 200),
                new Route("POST /jobs/{id}/cancel", r -> r.post("/jobs/" + aliceJob + "/cancel"), 303, 303, 403, 303),
                new Route("POST /api/distillations/{id}/cancel", r -> r.post("/api/distillations/"
                        + aliceDistillation + "/cancel"), 401, 200, 403, 200),
                new Route("POST /distillations/{id}/cancel", r -> r.post("/distillations/" + aliceDistillation
                        + "/cancel"), 303, 303, 403, 303),
                new Route("POST /api/datasets/{id}/hide", r -> r.post("/api/datasets/999999/hide"), 401, 403, 403, 404),
                new Route("POST /datasets/{id}/hide", r -> r.post("/datasets/999999/hide"), 303, 403, 403, 404),
                new Route("POST /api/users", r -> r.contentType(json).body("{\"username\": \"x\", \"role\": \"submitter\"}")
                        .post("/api/users"), 401, 403, 403, 400),
                new Route("POST /accounts", r -> r.formParam("username", "x").formParam("role", "submitter")
                        .post("/accounts"), 303, 403, 403, 400),
                new Route("POST /api/users/{id}/tokens", r -> r.contentType(json).body("{}")
                        .post("/api/users/999999/tokens"), 401, 403, 403, 404),
                new Route("POST /accounts/{id}/tokens", r -> r.formParam("name", "t").post("/accounts/999999/tokens"),
                        303, 403, 403, 404),
                new Route("POST /api/users/me/tokens", r -> r.contentType(json).body("{\"name\": \"mine\"}")
                        .post("/api/users/me/tokens"), 401, 201, 201, 201),
                new Route("DELETE /api/users/me/tokens/{tokenId}", r -> r.delete("/api/users/me/tokens/999999"),
                        401, 404, 404, 404),
                new Route("DELETE /api/users/{id}/tokens/{tokenId}", r -> r.delete("/api/users/999999/tokens/1"),
                        401, 403, 403, 404),
                new Route("POST /api/review/{id}", r -> r.contentType(json).body("{\"decision\": \"approve\"}")
                        .post("/api/review/999999"), 401, 403, 403, 404),
                new Route("POST /review/{id}", r -> r.formParam("decision", "approve").post("/review/999999"),
                        303, 403, 403, 404),
                // Open to everyone: a wrong password is refused whoever asks; self sign-up is off.
                new Route("POST /login", r -> r.formParam("username", "alice").formParam("password", "wrong")
                        .post("/login"), 401, 401, 401, 401),
                new Route("POST /signup", r -> r.formParam("username", "x").formParam("password", PASSWORD)
                        .post("/signup"), 404, 404, 404, 404),
                new Route("GET /api/audit", r -> r.get("/api/audit"), 401, 403, 403, 200),
                new Route("GET /audit", r -> r.get("/audit"), 303, 403, 403, 200),
                new Route("GET /api/review", r -> r.get("/api/review"), 401, 200, 200, 200),
                new Route("GET /datasets/new", r -> r.get("/datasets/new"), 303, 200, 200, 200),
                // Last: it ends the sessions (signed in again below).
                new Route("POST /logout", r -> r.post("/logout"), 303, 303, 303, 303));
        assertEquals(StateChangingRoutes.declared(), routes.stream().map(Route::name)
                .filter(StateChangingRoutes::changesState).collect(java.util.stream.Collectors.toCollection(
                        java.util.TreeSet::new)), "every state-changing route of the resources has a row here");
        List<String> wrong = new ArrayList<>();
        for (Route route : routes) {
            Map<String, Integer> expected = new LinkedHashMap<>();
            expected.put(ANONYMOUS, route.anonymous());
            expected.put("alice", route.alice());
            expected.put("bob", route.bob());
            expected.put("maria", route.maria());
            for (var who : expected.entrySet()) {
                Response response = route.call().apply(as(who.getKey(), route.path()).redirects().follow(false));
                if (response.statusCode() != who.getValue()) {
                    wrong.add(route.name() + " as " + who.getKey() + ": " + response.statusCode() + ", expected "
                            + who.getValue() + " (" + response.asString().substring(0,
                            Math.min(200, response.asString().length())) + ")");
                }
                if (who.getValue() == 303 && who.getKey().equals(ANONYMOUS) && !route.path().equals("/logout")) {
                    assertTrue(response.header("Location").contains("/login?next="), route.name());
                }
            }
        }
        for (String who : TOKENS.keySet()) BROWSERS.put(who, TestAccounts.signedIn(who, PASSWORD));
        assertEquals(List.of(), wrong);
        // Anonymous visitors read every public page and its JSON twin.
        for (String page : List.of("/", "/boards/cifar-10/1", "/datasets", "/datasets/" + set, "/jobs",
                "/jobs/" + aliceJob, "/models", "/api/boards/cifar-10/1", "/api/datasets", "/api/jobs")) {
            given().redirects().follow(false).get(page).then().statusCode(200);
        }
        asMaintainer().get("/api/audit").then().statusCode(200)
                .body("find { it.action == 'cancel-job' }.actor", equalTo("alice"))
                .body("find { it.action == 'cancel-distillation' }.actor", equalTo("alice"))
                .body("find { it.action == 'cancel-submission' }.actor", equalTo("alice"))
                .body("find { it.action == 'create-account' && it.detail.startsWith('maria') }.actor", equalTo("admin"));
    }

    /**
     * A form posted from another site comes with the browser's cookies but without the page's token: refused
     * before anything changes, whatever its content type; the same browser's own form goes through.
     */
    @Test
    void aFormWithoutTheCsrfTokenIsRefused() {
        long set = dcSet(1);
        TestAccounts.Browser alice = BROWSERS.get("alice");
        int jobsBefore = jobs.list().size();
        // No Origin or Referer (a browser may leave them out): the missing token alone refuses it.
        alice.withoutToken().formParam("datasetId", set).formParam("preset", "quick").redirects().follow(false)
                .post("/jobs").then().statusCode(400).contentType("text/html").body(containsString("has expired"));
        alice.withoutToken().formParam("datasetId", set).formParam("preset", "quick").formParam("csrf-token",
                        BROWSERS.get("bob").csrfToken()).redirects().follow(false).post("/jobs").then()
                .statusCode(400);
        alice.withoutToken().header("Origin", "https://evil.example").formParam("datasetId", set)
                .formParam("preset", "quick").redirects().follow(false).post("/jobs").then().statusCode(403);
        alice.withoutToken().multiPart("method", "X").post("/datasets").then().statusCode(400)
                .body(containsString("has expired"));
        alice.withoutToken().contentType("application/json").body("{\"datasetId\": " + set + "}").post("/api/jobs")
                .then().statusCode(400).body("error", containsString("has expired"));
        // A cross-site form may also post text/plain, to a route that reads no body at all.
        long aliceJob = TestAccounts.as(TOKENS.get("alice")).contentType("application/json")
                .body("{\"datasetId\": " + set + ", \"epochs\": 1, \"students\": 1, \"testLimit\": 50}")
                .post("/api/jobs").then().statusCode(201).extract().<Integer>path("id");
        alice.withoutToken().contentType("text/plain").body("x=y").redirects().follow(false)
                .post("/jobs/" + aliceJob + "/cancel").then().statusCode(400);
        asMaintainer().get("/api/jobs/" + aliceJob).then().body("state", equalTo("queued"));
        alice.withoutToken().redirects().follow(false).post("/logout").then().statusCode(400);
        assertEquals(jobsBefore + 1, jobs.list().size(), "nothing was queued through a browser");
        // The page's own form carries the token in a hidden field.
        String form = alice.withoutToken().get("/datasets/" + set).then().statusCode(200).extract().asString();
        assertTrue(form.contains("name=\"csrf-token\" value=\"" + alice.csrfToken() + "\""), "the job form's token");
        alice.withoutToken().formParam("datasetId", set).formParam("preset", "quick")
                .formParam("csrf-token", alice.csrfToken()).redirects().follow(false).post("/jobs").then()
                .statusCode(303);
        alice.withoutToken().multiPart("method", "X").multiPart("csrf-token", alice.csrfToken()).post("/datasets")
                .then().statusCode(400).body(containsString("The upload was refused"));
        // The token's cookie is HttpOnly and SameSite=Strict.
        String cookie = given().get("/login").header("Set-Cookie");
        assertTrue(cookie.startsWith("csrf-token=") && cookie.toLowerCase(java.util.Locale.ROOT).contains("httponly")
                && cookie.contains("SameSite=Strict"), cookie);
    }

    /** A page offers what its viewer may do: a maintainer gets the set's hide button, with its CSRF token. */
    @Test
    void theHideButtonIsAMaintainersOnly() {
        long set = dcSet(1);
        String form = "action=\"/datasets/" + set + "/hide\"";
        TestAccounts.Browser maria = BROWSERS.get("maria");
        String page = maria.withoutToken().get("/datasets/" + set).then().statusCode(200).extract().asString();
        int at = page.indexOf(form);
        assertTrue(at > 0, "maria's page offers to hide the set");
        assertTrue(page.indexOf("name=\"csrf-token\" value=\"" + maria.csrfToken() + "\"", at) > at, "with the token");
        BROWSERS.get("alice").withoutToken().get("/datasets/" + set).then().statusCode(200)
                .body(not(containsString(form)));
        given().get("/datasets/" + set).then().statusCode(200).body(not(containsString(form)));
    }

    @Test
    void theAdminTokenFromTheEnvironmentIsAMaintainersToken() {
        given().multiPart("method", "DC").multiPart("dataset", "CIFAR-10").multiPart("ipc", "1")
                .multiPart("normalization", "mean-std")
                .multiPart("file", dev.bristle.ml.SharedData.path("data/distilled/DC/res_DC_CIFAR10_ConvNet_1ipc.pt")
                        .toFile())
                .post("/api/datasets").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("Authorization: Bearer"));
        TestAccounts.as("not-a-token").get("/api/datasets").then().statusCode(401);
        asMaintainer().multiPart("method", "DC").multiPart("dataset", "CIFAR-10").multiPart("ipc", "1")
                .multiPart("normalization", "mean-std")
                .multiPart("file", dev.bristle.ml.SharedData.path("data/distilled/DC/res_DC_CIFAR10_ConvNet_1ipc.pt")
                        .toFile())
                .post("/api/datasets").then().statusCode(200).body("created", equalTo(false));
        asMaintainer().get("/api/users/me").then().statusCode(200).body("username", equalTo("admin"))
                .body("maintainer", equalTo(true));
    }

    @Test
    void aSubmittersMeasuredEntryWaitsForAMaintainersApproval() {
        long set = dcSet(1);
        ScoringTestState.removeWhatJobsMade();
        long job = TestAccounts.as(TOKENS.get("alice")).contentType("application/json")
                .body("{\"datasetId\": " + set + ", \"epochs\": 1, \"students\": 1, \"testLimit\": 100,"
                        + " \"attacks\": [\"FGSM\", \"Noise\"], \"modes\": [\"untargeted\"]}")
                .post("/api/jobs").then().statusCode(201).extract().<Integer>path("id");
        assertFalse(engine.runDue(JobTasks.WORK).isEmpty());
        asMaintainer().get("/api/jobs/" + job).then().body("state", equalTo("succeeded"))
                .body("results.published[0]", containsString("awaiting review"));
        String board = "/api/boards/cifar-10/1?mode=untargeted";
        String etag = given().get(board).then().statusCode(200).body("rows.source", not(hasItem("measured")))
                .header("Cache-Control", "no-cache").extract().header("ETag");
        // A repeat reader is told nothing changed, for the page and its JSON twin alike.
        given().header("If-None-Match", etag).get(board).then().statusCode(304);
        String page = "/boards/cifar-10/1?mode=untargeted";
        String pageTag = given().get(page).then().statusCode(200)
                .body(not(containsString("scoring job #" + job))).extract().header("ETag");
        given().header("If-None-Match", pageTag).get(page).then().statusCode(304);
        int entry = TestAccounts.as(TOKENS.get("alice")).get("/api/review").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].submittedBy", equalTo("alice"))
                .body("[0].scoringJobId", equalTo((int) job)).extract().path("[0].id");
        TestAccounts.as(TOKENS.get("bob")).get("/api/review").then().statusCode(200).body("size()", equalTo(0));
        TestAccounts.as(TOKENS.get("maria")).get("/review").then().statusCode(200)
                .body(containsString("action=\"/review/" + entry + "\""));
        TestAccounts.as(TOKENS.get("maria")).contentType("application/json").body("{\"decision\": \"reject\"}")
                .post("/api/review/" + entry).then().statusCode(400)
                .body("problems[0]", containsString("a rejection needs a reason"));
        TestAccounts.as(TOKENS.get("maria")).contentType("application/json").body("{\"decision\": \"approve\"}")
                .post("/api/review/" + entry).then().statusCode(200).body("status", equalTo("approved"));
        // The approval changed the board: the old ETag no longer matches.
        given().header("If-None-Match", etag).get(board).then().statusCode(200).body("rows.source", hasItem("measured"));
        given().header("If-None-Match", pageTag).get(page).then().statusCode(200);
        // A new reader gets the new page too (anonymous pages are kept rendered until the boards change).
        given().get(page).then().statusCode(200).body(containsString("scoring job #" + job))
                .header("ETag", not(equalTo(pageTag)));
        asMaintainer().get("/api/audit").then().body("find { it.action == 'approve-entry' }.actor", equalTo("maria"));
        ScoringTestState.removeWhatJobsMade();
    }

    @Test
    void submittersAreHeldToTheQuotas() {
        long set = dcSet(1);
        RequestSpecification bob = TestAccounts.as(TOKENS.get("bob")).contentType("application/json");
        bob.body("{\"datasetId\": " + set + ", \"epochs\": 5000}").post("/api/jobs").then().statusCode(400)
                .body("problems[0]", equalTo("epochs: at most 1000 for a submitter, not 5000"));
        // BEARD's official settings fit.
        for (int i = 0; i < 2; i++) {
            TestAccounts.as(TOKENS.get("bob")).contentType("application/json")
                    .body("{\"datasetId\": " + set + ", \"epochs\": 1000, \"students\": 5}").post("/api/jobs").then()
                    .statusCode(201);
        }
        TestAccounts.as(TOKENS.get("bob")).contentType("application/json").body("{\"datasetId\": " + set + "}")
                .post("/api/jobs").then().statusCode(429)
                .body("problems[0]", containsString("the most a submitter may have at once (2)"));
        asMaintainer().contentType("application/json").body("{\"datasetId\": " + set + ", \"epochs\": 5000}")
                .post("/api/jobs").then().statusCode(201);
    }

    @Test
    void aBrowserSignsInWithASessionCookie() {
        TestAccounts.Browser browser = TestAccounts.browser();
        browser.request().formParam("username", "alice").formParam("password", "wrong").redirects().follow(false)
                .post("/login").then().statusCode(401).body(containsString("Wrong user name or password."));
        Response signIn = browser.request().formParam("username", "alice").formParam("password", PASSWORD)
                .formParam("next", "/review").redirects().follow(false).post("/login");
        assertEquals(303, signIn.statusCode());
        assertTrue(signIn.header("Location").endsWith("/review"), signIn.header("Location"));
        String cookie = signIn.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("bristle-session=")).findFirst().orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        String session = signIn.cookie("bristle-session");
        given().cookie("bristle-session", session).get("/review").then().statusCode(200)
                .body(containsString("alice"));
        browser.request().formParam("username", "alice").formParam("password", PASSWORD)
                .formParam("next", "//evil.example").redirects().follow(false).post("/login").then().statusCode(303)
                .header("Location", not(containsString("evil")));
        browser.request().cookie("bristle-session", session).redirects().follow(false).post("/logout").then()
                .statusCode(303);
        given().cookie("bristle-session", session).redirects().follow(false).get("/review").then().statusCode(303);
    }
}
