package dev.bristle.web;

import dev.bristle.accounts.TestAccounts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Where signing in leads: the {@code next} the sign-in form carries, whatever it holds, gives a redirect to a page of
 * this site (the home page when it is not a plain path of this site), never a 500 and never another site.
 */
@QuarkusTest
@TestProfile(GenerousLimits.class)
@Tag("database")
class SignInRedirectTest {

    private static final String PASSWORD = "correct horse battery";

    @Test
    void anyNextLeadsToAPageOfThisSite() {
        asMaintainer().contentType("application/json").body(Map.of("username", "next-user", "password", PASSWORD,
                "role", "submitter")).post("/api/users").then().statusCode(201);
        Map<String, String> leadsTo = new LinkedHashMap<>();
        leadsTo.put("/jobs/1?tab=x", "/jobs/1?tab=x");
        leadsTo.put("/datasets/1%20x", "/datasets/1%20x");
        leadsTo.put("/a b", "/");
        leadsTo.put("/a\tb", "/");
        leadsTo.put("/<script>", "/");
        leadsTo.put("/jobs?x=<y>", "/");
        leadsTo.put("/\r\nSet-Cookie: x=1", "/");
        leadsTo.put("/\t/evil.example", "/");
        leadsTo.put("//evil.example", "/");
        leadsTo.put("/\\evil.example", "/");
        leadsTo.put("https://evil.example/", "/");
        leadsTo.put("", "/");
        List<String> wrong = new ArrayList<>();
        String site = "http://localhost:" + RestAssured.port;
        for (Map.Entry<String, String> next : leadsTo.entrySet()) {
            Response signIn = TestAccounts.browser().request().redirects().follow(false)
                    .formParam("username", "next-user").formParam("password", PASSWORD)
                    .formParam("next", next.getKey()).post("/login");
            String location = String.valueOf(signIn.header("Location"));
            if (signIn.statusCode() != 303 || !location.equals(site + next.getValue())) {
                wrong.add(next.getKey() + ": " + signIn.statusCode() + " " + location);
            }
        }
        assertEquals(List.of(), wrong);
    }
}
