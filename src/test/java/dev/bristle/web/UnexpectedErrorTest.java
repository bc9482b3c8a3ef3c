package dev.bristle.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** An unexpected error becomes a clean 500, never a stack trace; the user's mistake a 400 with its message. */
@QuarkusTest
class UnexpectedErrorTest {

    @Test
    void pageGetsACleanErrorPage() {
        given().get("/test-failure").then().statusCode(500).contentType(containsString("text/html"))
                .body(containsString("Something went wrong on our side"), containsString("href=\"/\""),
                        not(containsString("simulated bug")), not(containsString("IllegalStateException")));
    }

    @Test
    void apiGetsJson() {
        given().get("/api/test-failure").then().statusCode(500).contentType(ContentType.JSON)
                .body("status", equalTo(500))
                .body("error", containsString("Something went wrong"))
                .body(not(containsString("simulated bug")));
    }

    @Test
    void aViolatedPreconditionIsABugNotBadInput() {
        given().get("/api/test-failure/precondition").then().statusCode(500).contentType(ContentType.JSON)
                .body("error", containsString("Something went wrong"))
                .body(not(containsString("simulated precondition")));
    }

    @Test
    void theUsersMistakeIsA400WithItsMessage() {
        given().get("/api/test-failure/invalid-input").then().statusCode(400).contentType(ContentType.JSON)
                .body("status", equalTo(400))
                .body("error", equalTo("unknown dataset 'CIFAR-11' (simulated)"));
        given().get("/test-failure/invalid-input").then().statusCode(400).contentType(containsString("text/html"))
                .body(containsString("unknown dataset &#39;CIFAR-11&#39; (simulated)"));
    }
}
