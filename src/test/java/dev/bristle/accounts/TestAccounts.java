package dev.bristle.accounts;

import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/** Credentials of the test profile: {@code %test.bristle.accounts.admin-token} is a maintainer's token. */
public final class TestAccounts {

    public static final String MAINTAINER_TOKEN = "test-maintainer-token";
    /** The identity that token gives, for calling services directly. */
    public static final Actor MAINTAINER = new Actor(Actor.ADMIN, true);

    private TestAccounts() {
    }

    /** A request signed with the maintainer's token. */
    public static RequestSpecification asMaintainer() {
        return as(MAINTAINER_TOKEN);
    }

    public static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }
}
