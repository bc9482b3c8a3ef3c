package dev.bristle.web;

import dev.bristle.datasetpool.DatasetPoolService;
import dev.bristle.distilling.DistillationJobService;
import dev.bristle.ml.SharedData;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.ScoringTestState;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A name with a control character (NUL, another C0 or C1 control) or a direction mark is refused with a 400 wherever
 * a name enters: an upload's method and authors (form and API), a distillation's method and dataset, a job's names.
 * Trimmed, {@code method=%00} was an empty name: a public set and entry whose link led nowhere.
 */
@QuarkusTest
@Tag("database")
class HiddenCharactersTest {

    /** Each was stored or queued as a name before: trimming took the control character away, or nothing was left. */
    private static final List<String> NAMES = List.of("\0", "DC\0", "\0DC", "D\u0001C", "DC\u0085", "DC\u202Egnp",
            "DC\u2066");
    private static final String PROBLEM = "must not contain control characters (such as NUL) or direction marks";

    @Inject
    DatasetPoolService pool;

    @Inject
    DistillationJobService distillations;

    @Inject
    JobService jobs;

    @AfterEach
    void noJobLeftQueued() {
        ScoringTestState.cancelQueuedJobs(jobs);
        ScoringTestState.cancelQueuedDistillations();
    }

    @Test
    void anUploadsMethodOrAuthorsWithAHiddenCharacterIsRefusedByTheFormAndTheApi() {
        int sets = pool.list().size();
        for (String name : NAMES) {
            upload(name, "Zhao").post("/api/datasets").then().statusCode(400)
                    .body("problems", hasItem("Method: " + PROBLEM + "."));
            upload(name, "Zhao").post("/datasets").then().statusCode(400)
                    .body(containsString("<li>" + PROBLEM));
            upload("DC", "Zhao" + name).post("/api/datasets").then().statusCode(400)
                    .body("problems", hasItem("Authors: " + PROBLEM + "."));
        }
        assertEquals(sets, pool.list().size(), "nothing stored");
    }

    @Test
    void aDistillationsMethodOrDatasetWithAHiddenCharacterIsRefusedByTheFormAndTheApi() {
        int queued = distillations.list().size();
        for (String name : List.of("dm\0", "\0dm", "d\u0001m", "dm\u202E")) {
            asMaintainer().contentType("application/json").body("{\"method\": \"" + json(name) + "\", \"dataset\":"
                    + " \"Fashion-MNIST\", \"ipc\": 1}").post("/api/distillations").then().statusCode(400)
                    .body("problems", hasItem("method: " + PROBLEM));
            asMaintainer().contentType("application/x-www-form-urlencoded; charset=UTF-8").formParam("method", name).formParam("dataset", "Fashion-MNIST").formParam("ipc", "1")
                    .post("/distillations").then().statusCode(400).body(containsString("method: " + PROBLEM));
            asMaintainer().contentType("application/json").body("{\"method\": \"dm\", \"dataset\": \"Fashion-MNIST"
                    + json(name) + "\", \"ipc\": 1}").post("/api/distillations").then().statusCode(400)
                    .body("problems", hasItem("dataset: " + PROBLEM));
        }
        assertEquals(queued, distillations.list().size(), "nothing queued");
    }

    @Test
    void aJobsNamesWithAHiddenCharacterAreRefused() {
        long set = ScoringTestState.dcSet(pool, 1);
        int queued = jobs.list().size();
        for (String field : List.of("\"recipe\": \"standard\0\"", "\"protocol\": \"beard\u0001\"",
                "\"attacks\": [\"FGSM\u202E\"]", "\"modes\": [\"untargeted\0\"]")) {
            asMaintainer().contentType("application/json").body("{\"datasetId\": " + set + ", \"epochs\": 1,"
                    + " \"students\": 1, " + json(field) + "}").post("/api/jobs").then().statusCode(400)
                    .body("problems", hasItem(containsString(PROBLEM)));
        }
        assertEquals(queued, jobs.list().size(), "nothing queued");
    }

    private static io.restassured.specification.RequestSpecification upload(String method, String authors) {
        return asMaintainer().multiPart(utf8("method", method)).multiPart(utf8("authors", authors))
                .multiPart("dataset", "CIFAR-10").multiPart("ipc", "1").multiPart("normalization", "mean-std")
                .multiPart("file", SharedData.dcCifar10(1).toFile());
    }

    /** A form field sent as UTF-8, as a browser sends it (REST Assured's default charset has no C1 controls). */
    private static io.restassured.specification.MultiPartSpecification utf8(String name, String value) {
        return new io.restassured.builder.MultiPartSpecBuilder(value).controlName(name).charset("UTF-8").build();
    }

    /** Control characters as JSON escapes them. */
    private static String json(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            escaped.append(c < 0x20 || c >= 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return escaped.toString();
    }
}
