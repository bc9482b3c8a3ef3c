package dev.bristle.web;

import dev.bristle.accounts.TestAccounts;
import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.ScoringTestState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** What a request beyond a limit is told: a quota's 429 says when to ask again; an account's tokens are capped. */
@QuarkusTest
@Tag("database")
class QuotaAnswersTest {

    /** {@code bristle.accounts.max-tokens}' default. */
    private static final int MAX_TOKENS = 20;

    @Inject
    JobService jobs;

    @Inject
    DatasetPoolService pool;

    @AfterEach
    void cancelQueuedJobs() {
        ScoringTestState.cancelQueuedJobs(jobs);
    }

    @Test
    void aQuotasTooManyRequestsSaysWhenToAskAgain() {
        String token = token(account("quota-asker", "submitter"));
        String job = "{\"datasetId\": " + ScoringTestState.dcSet(pool, 1) + ", \"epochs\": 1, \"students\": 1,"
                + " \"testLimit\": 50}";
        for (int i = 0; i < 2; i++) {
            TestAccounts.as(token).contentType("application/json").body(job).post("/api/jobs").then().statusCode(201);
        }
        TestAccounts.as(token).contentType("application/json").body(job).post("/api/jobs").then().statusCode(429)
                .header("Retry-After", "60").body("problems[0]", containsString("the most a submitter may have"));
    }

    @Test
    void anAccountHoldsAtMostTheConfiguredNumberOfTokens() {
        int id = account("token-holder", "submitter");
        for (int i = 0; i < MAX_TOKENS; i++) token(id);
        asMaintainer().contentType("application/json").body("{\"name\": \"one too many\"}")
                .post("/api/users/" + id + "/tokens").then().statusCode(409)
                .body("problems[0]", containsString("holds 20 API tokens, the most an account may hold"));
        String mine = token(account("token-self", "submitter"));
        for (int i = 1; i < MAX_TOKENS; i++) {
            TestAccounts.as(mine).contentType("application/json").body("{}").post("/api/users/me/tokens").then()
                    .statusCode(201);
        }
        TestAccounts.as(mine).contentType("application/json").body("{}").post("/api/users/me/tokens").then()
                .statusCode(409);
    }

    /**
     * A revoked token stops working at once and frees its place under the cap; nobody revokes another account's
     * token through their own route, and every revocation is in the audit log.
     */
    @Test
    void aRevokedTokenStopsWorkingAndFreesItsPlace() {
        int id = account("token-revoker", "submitter");
        String mine = token(id);
        for (int i = 1; i < MAX_TOKENS; i++) token(id);
        List<Map<String, Object>> held = TestAccounts.as(mine).get("/api/users/me/tokens").then().statusCode(200)
                .body("$", hasSize(MAX_TOKENS)).body("[0]", not(hasKey("token"))).extract().jsonPath().getList("$");
        int last = (Integer) held.get(MAX_TOKENS - 1).get("id");
        String other = token(account("token-bystander", "submitter"));
        TestAccounts.as(other).delete("/api/users/me/tokens/" + last).then().statusCode(404);

        TestAccounts.as(mine).delete("/api/users/me/tokens/" + last).then().statusCode(204);
        TestAccounts.as(mine).delete("/api/users/me/tokens/" + last).then().statusCode(404);
        String fresh = TestAccounts.as(mine).contentType("application/json").body("{\"name\": \"fresh\"}")
                .post("/api/users/me/tokens").then().statusCode(201).extract().path("token");
        TestAccounts.as(fresh).get("/api/users/me").then().statusCode(200).body("username", equalTo("token-revoker"));

        int freshId = TestAccounts.as(mine).get("/api/users/me/tokens").then().statusCode(200).extract().jsonPath()
                .getInt("find { it.name == 'fresh' }.id");
        asMaintainer().delete("/api/users/" + id + "/tokens/" + freshId).then().statusCode(204);
        TestAccounts.as(fresh).get("/api/users/me").then().statusCode(401);
        asMaintainer().get("/api/audit").then().statusCode(200)
                .body("findAll { it.action == 'revoke-token' && it.detail == 'token-revoker: fresh' }", hasSize(1));
    }

    /** Requests at once cannot pass the cap together: the count is taken under a lock on the account. */
    @Test
    void tokensRequestedAtOnceStayWithinTheCap() throws Exception {
        int id = account("token-racer", "submitter");
        for (int i = 0; i < MAX_TOKENS - 4; i++) token(id);
        ExecutorService threads = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Integer>> requests = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                requests.add(() -> asMaintainer().contentType("application/json").body("{\"name\": \"raced\"}")
                        .post("/api/users/" + id + "/tokens").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : threads.invokeAll(requests)) statuses.add(status.get());
            assertEquals(4, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(8, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            threads.shutdownNow();
        }
        asMaintainer().get("/api/users").then().statusCode(200)
                .body("find { it.id == " + id + " }.tokens", hasSize(MAX_TOKENS));
    }

    private static int account(String username, String role) {
        return asMaintainer().contentType("application/json").body(Map.of("username", username, "role", role))
                .post("/api/users").then().statusCode(201).body("role", equalTo(role)).extract().path("id");
    }

    private static String token(int account) {
        return asMaintainer().contentType("application/json").body("{\"name\": \"t\"}")
                .post("/api/users/" + account + "/tokens").then().statusCode(201).extract().path("token");
    }
}
