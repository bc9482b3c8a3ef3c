package dev.bristle.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import org.junit.jupiter.api.BeforeAll;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The JSON twins under /api, their errors, and the OpenAPI document. */
@QuarkusTest
@Tag("database")
class ApiTest {

    @BeforeAll
    static void readNumbersAsDoubles() {
        RestAssured.config = RestAssured.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    @Test
    void boardsListsTwelveBoardsPerMode() {
        given().get("/api/boards").then().statusCode(200).contentType(ContentType.JSON)
                .body("mode", equalTo("untargeted"))
                .body("datasets.dataset", hasItems("CIFAR-10", "CIFAR-100", "TinyImageNet"))
                .body("datasets.boards.flatten()", hasSize(12))
                .body("datasets[0].boards[2].ipc", equalTo("50"))
                .body("datasets[0].boards[2].top[0].method", equalTo("IDM"))
                .body("datasets[0].boards[2].entries", equalTo(6))
                .body("datasets[0].boards[2].ranked", equalTo(6))
                .body("datasets[0].boards[2].topPreliminary", hasSize(0));
        given().get("/api/boards?mode=targeted").then().statusCode(200)
                .body("mode", equalTo("targeted"))
                .body("modes.find { it.active }.key", equalTo("targeted"))
                .body("datasets[0].boards[2].url", equalTo("/boards/cifar-10/50?mode=targeted"));
    }

    @Test
    void boardIsRankedByCreiAndSortable() {
        given().get("/api/boards/cifar-10/50").then().statusCode(200)
                .body("dataset", equalTo("CIFAR-10"))
                .body("sort", equalTo("crei")).body("dir", equalTo("desc"))
                .body("rows", hasSize(6))
                .body("rows[0].method", equalTo("IDM"))
                .body("rows[0].rank", equalTo(1))
                .body("rows[0].crei", closeTo(29.59, 1e-9))
                .body("rows[0].source", equalTo("published"))
                .body("rows[0].publishedRank", equalTo(1))
                .body("rows[1].method", equalTo("BACON"))
                .body("rows[1].cleanAccuracy", closeTo(69.95, 1e-9))
                .body("fullSize.crei", closeTo(25.12, 1e-9))
                .body("fullSize.source", equalTo("paper Table 3"));
        given().get("/api/boards/cifar-10/50?sort=aem&dir=desc").then().statusCode(200)
                .body("rows[0].method", equalTo("IDM"))
                .body("rows[0].aem", closeTo(27.18, 1e-9))
                .body("columns.find { it.key == 'aem' }.url",
                        equalTo("/boards/cifar-10/50?mode=untargeted&sort=aem&dir=asc"));
        given().get("/api/boards/cifar-10/50?sort=rrm&dir=asc").then().statusCode(200)
                .body("rows[0].method", equalTo("DC"))
                .body("rows[0].rank", equalTo(6));
    }

    @Test
    void targetedBoardsHaveCreiOnlyPerIpcAndAllThreeUnified() {
        given().get("/api/boards/cifar-10/50?mode=targeted").then().statusCode(200)
                .body("rows", hasSize(6))
                .body("rows.rrm", org.hamcrest.Matchers.everyItem(nullValue()))
                .body("rows[0].sourceReference", equalTo("beard-paper-tables.json, Table 2"))
                .body("rows.find { it.method == 'BACON' }.paperTitle", not(nullValue()));
        given().get("/api/boards/cifar-100/all?mode=targeted").then().statusCode(200)
                .body("rows.rrm", org.hamcrest.Matchers.everyItem(not(nullValue())))
                .body("rows[0].sourceReference", equalTo("beard-paper-tables.json, Table 1"))
                .body("fullSize.rrm", closeTo(6.77, 1e-9));
    }

    @Test
    void entryRecomputesBaconFromTheLogs() {
        String scope = "metrics.find { it.mode == 'untargeted' && it.ipc == '50' }";
        given().get("/api/entries/cifar-10/bacon").then().statusCode(200)
                .body("method", equalTo("BACON"))
                .body("hasLogs", equalTo(true))
                .body(scope + ".robustness.value", closeTo(32.87, 0.005))
                .body(scope + ".efficiency.value", closeTo(24.10, 0.005))
                .body(scope + ".crei.value", closeTo(28.48, 0.005))
                .body(scope + ".crei.published", closeTo(28.48, 1e-9))
                .body(scope + ".robustness.formula", containsString("RRM = 100 × (1 − (69.95 − "))
                .body("metrics.find { it.mode == 'targeted' && it.ipc == 'all' }.excluded",
                        hasItems("DeepFool", "AutoAttack"))
                .body("runs.kind", hasItems("white-box", "query", "transfer"))
                .body("defects", hasItems(containsString("Defect 3")));
    }

    @Test
    void methodWithoutLogsShowsItsPublishedNumbers() {
        given().get("/api/entries/cifar-100/DM").then().statusCode(200)
                .body("hasLogs", equalTo(false))
                .body("logsMessage", containsString("no evaluation logs"))
                .body("metrics", hasSize(0))
                .body("boards", hasSize(8));
    }

    @Test
    void errorsAreJson() {
        given().get("/api/boards/mnist/50").then().statusCode(404).contentType(ContentType.JSON)
                .body("status", equalTo(404)).body("error", containsString("mnist"));
        given().get("/api/boards/cifar-10/7").then().statusCode(404).body("status", equalTo(404));
        given().get("/api/boards/cifar-10/50?sort=name").then().statusCode(400).contentType(ContentType.JSON)
                .body("status", equalTo(400))
                .body("error", containsString("Unknown sort 'name': use sort=crei, sort=rrm"));
        given().get("/api/boards?mode=x").then().statusCode(400).body("status", equalTo(400));
        given().get("/api/entries/cifar-10/NOPE").then().statusCode(404)
                .body("error", containsString("No method 'NOPE'"));
        given().get("/api/nothing/here").then().statusCode(404).contentType(ContentType.JSON)
                .body("status", equalTo(404));
    }

    /** Keyed values (KeyedParams): any case, blank as left out, and a refusal that quotes an excerpt only. */
    @Test
    void keyedValuesReadAnyCaseTakeTheirDefaultWhenBlankAndQuoteOnlyAnExcerpt() {
        given().get("/api/boards?mode=TARGETED&protocol=Sound").then().statusCode(200)
                .body("mode", equalTo("targeted")).body("protocol", equalTo("sound"));
        given().queryParam("mode", "").queryParam("protocol", " ").get("/api/boards").then().statusCode(200)
                .body("mode", equalTo("untargeted")).body("protocol", equalTo("beard"));
        String value = "x".repeat(1000);
        String error = given().get("/api/boards/cifar-10/50?dir=" + value).then().statusCode(400)
                .contentType(ContentType.JSON).extract().path("error");
        assertEquals("Unknown dir '" + "x".repeat(40) + "... (1000 characters)': use dir=desc or dir=asc.", error);
        given().get("/api/boards/" + value + "/50").then().statusCode(404).contentType(ContentType.JSON)
                .body("error", equalTo("Unknown dataset '" + "x".repeat(40) + "... (1000 characters)' in the"
                        + " address: known are cifar-10, cifar-100, tinyimagenet, fashion-mnist."));
        given().get("/api/boards/cifar-10/50?format=").then().statusCode(200).contentType(ContentType.JSON)
                .header("Content-Disposition", nullValue());
    }

    @Test
    void openApiDescribesTheRoutes() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/boards/{dataset}/{ipc}"))
                .body(containsString("/api/entries/{dataset}/{method}"))
                .body(containsString("ApiError"))
                // The request bodies' schemas keep their names (JobRequest, DistillRequest) wherever the records live.
                .body(containsString("\"JobRequest\"")).body(containsString("\"DistillRequest\""))
                .body(containsString("\"UploadAnswer\""));
    }

    /** Issue 24: a job's record is documented as the one evaluation record, its JSON schema in the document. */
    @Test
    void theJobRecordRouteAnswersTheEvaluationRecord() {
        var document = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertEquals("#/components/schemas/EvaluationRecord", document.getString(
                "paths.'/api/jobs/{id}/record'.get.responses.'200'.content.'application/json'.schema.$ref"));
        assertEquals(java.util.Set.of("schema", "schemaVersion", "subject", "settings", "testSet", "students",
                "metrics", "curves", "provenance"),
                document.getMap("components.schemas.EvaluationRecord.properties").keySet());
    }
}
