package dev.bristle.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bristle.accounts.TestAccounts;
import dev.bristle.scoring.JobService;
import dev.bristle.scoring.ScoringTestState;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.bristle.accounts.TestAccounts.asMaintainer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expression and format syntax in every text field the app accepts, as anonymous, a submitter and a maintainer: the
 * fields are read from the OpenAPI document (every request body's properties, every query parameter), and every
 * form of the templates must be among them. No answer may be a 5xx, show an expression evaluated, or grow with what
 * an expression would make: an error's JSON stays under 4 KB, a page no larger than with a plain value.
 */
@QuarkusTest
@TestProfile(GenerousLimits.class)
@Tag("database")
class ExpressionFuzzTest {

    private static final String MARK = "50337";
    /** Each payload, and what the answer would contain if the payload were evaluated (null: only its size shows). */
    private static final Map<String, String> PAYLOADS = new LinkedHashMap<>();

    static {
        PAYLOADS.put("${7*7191}", MARK);
        PAYLOADS.put("#{7*7191}", MARK);
        PAYLOADS.put("{7*7191}", MARK);
        PAYLOADS.put("%{7*7191}", MARK);
        PAYLOADS.put("${'a'.repeat(9999)}", "a".repeat(100));
        PAYLOADS.put("${formatter.format('%09999d', 7)}", "0".repeat(100));
        PAYLOADS.put("%s%n%99999s%d%{x}", null);
    }

    /** Largest JSON problem. */
    private static final int MAX_PROBLEM = 4096;
    /** How much larger than with a plain value a page may be: the payload quoted a few times, HTML-escaped. */
    private static final int MAX_GROWTH = 2048;
    private static final String PASSWORD = "correct horse battery";
    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("\\bname=\"([^\"]+)\"");

    @Inject
    ObjectMapper json;

    @Inject
    JobService jobs;

    /** Who sends: an API token for /api (none when anonymous), a browser with its session and CSRF token for pages. */
    record Caller(String name, String token, TestAccounts.Browser browser) {
    }

    /**
     * A text field of a route: a query parameter, or a property of a JSON, form or multipart body.
     *
     * @param array whether a JSON body takes a list there
     */
    record Field(String verb, String path, String in, String name, boolean array) {

        @Override
        public String toString() {
            return verb + " " + path + " " + in + " " + name;
        }
    }

    @AfterEach
    void cancelQueuedJobs() {
        ScoringTestState.cancelQueuedJobs(jobs);
    }

    @Test
    void expressionsInEveryFieldAreTakenAsText() throws IOException {
        JsonNode openApi = json.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract()
                .asString());
        List<Field> fields = fields(openApi);
        assertEveryTemplateFormIsAmong(fields);
        List<Caller> callers = List.of(new Caller("anonymous", null, TestAccounts.browser()),
                caller("fuzz-maintainer", "maintainer"), caller("fuzz-submitter", "submitter"));
        List<String> problems = new ArrayList<>();
        for (Field field : fields) {
            for (Caller caller : callers) {
                Integer plainLength = null;
                for (Map.Entry<String, String> payload : PAYLOADS.entrySet()) {
                    Response answer = send(caller, field, payload.getKey());
                    String body = answer.asString();
                    String where = caller.name() + ", " + field + " = " + payload.getKey() + ": " + answer.statusCode();
                    if (answer.statusCode() >= 500) problems.add(where + " " + excerpt(body, 0));
                    int evaluated = payload.getValue() == null ? -1 : body.indexOf(payload.getValue());
                    if (evaluated >= 0) problems.add(where + ", evaluated: " + excerpt(body, evaluated));
                    boolean page = answer.statusCode() < 400 || String.valueOf(answer.contentType()).startsWith(
                            "text/html");
                    if (!page && body.length() >= MAX_PROBLEM) {
                        problems.add(where + ", a problem of " + body.length() + " characters");
                    } else if (page && body.length() >= MAX_PROBLEM) {
                        if (plainLength == null) plainLength = send(caller, field, "fuzz").asString().length();
                        if (body.length() > plainLength + MAX_GROWTH) {
                            problems.add(where + ", " + body.length() + " characters, " + plainLength
                                    + " with a plain value");
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
    }

    /** The text fields of every route of the OpenAPI document (files and headers are not text fields). */
    private static List<Field> fields(JsonNode openApi) {
        List<Field> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> verbs = path.getValue().fields(); verbs.hasNext(); ) {
                Map.Entry<String, JsonNode> verb = verbs.next();
                String method = verb.getKey().toUpperCase(java.util.Locale.ROOT);
                for (JsonNode parameter : verb.getValue().path("parameters")) {
                    if (parameter.path("in").asText().equals("query")) {
                        fields.add(new Field(method, path.getKey(), "query", parameter.get("name").asText(), false));
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> contents = verb.getValue().path("requestBody")
                        .path("content").fields(); contents.hasNext(); ) {
                    Map.Entry<String, JsonNode> content = contents.next();
                    String in = switch (content.getKey()) {
                        case "application/json" -> "json";
                        case "application/x-www-form-urlencoded" -> "form";
                        case "multipart/form-data" -> "multipart";
                        default -> throw new AssertionError("a body this test cannot send: " + content.getKey());
                    };
                    JsonNode schema = resolve(openApi, content.getValue().path("schema"));
                    for (Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
                         properties.hasNext(); ) {
                        Map.Entry<String, JsonNode> property = properties.next();
                        JsonNode type = resolve(openApi, property.getValue());
                        boolean array = type.path("type").asText().equals("array");
                        JsonNode item = array ? resolve(openApi, type.path("items")) : type;
                        if (item.path("format").asText().equals("binary")) continue;
                        fields.add(new Field(method, path.getKey(), in, property.getKey(), array));
                    }
                }
            }
        }
        assertTrue(fields.size() > 50, "the OpenAPI document lists the app's fields: " + fields);
        return fields;
    }

    private static JsonNode resolve(JsonNode openApi, JsonNode schema) {
        String ref = schema.path("$ref").asText();
        if (ref.isEmpty()) return schema;
        return openApi.at(ref.substring(1));
    }

    /** Every form of the templates posts to a route of the OpenAPI document that takes each of its fields. */
    private static void assertEveryTemplateFormIsAmong(List<Field> fields) throws IOException {
        List<String> missing = new ArrayList<>();
        int forms = 0;
        try (Stream<Path> templates = Files.walk(Path.of("src", "main", "resources", "templates"))) {
            for (Path template : templates.filter(f -> f.toString().endsWith(".html")).toList()) {
                Matcher form = FORM.matcher(Files.readString(template));
                while (form.find()) {
                    String method = attribute(form.group(1), "method");
                    if (!"post".equalsIgnoreCase(method)) continue;
                    forms++;
                    Pattern action = Pattern.compile(Stream.of(attribute(form.group(1), "action")
                            .split("\\{[^}]*}", -1)).map(Pattern::quote).reduce((a, b) -> a + "[^?#]+" + b)
                            .orElseThrow());
                    Set<String> names = new TreeSet<>();
                    Matcher name = NAME.matcher(form.group(2));
                    while (name.find()) {
                        if (!name.group(1).equals("file")) names.add(name.group(1));
                    }
                    boolean taken = fields.stream().filter(f -> f.verb().equals("POST")
                                    && action.matcher(f.path()).matches()).map(Field::name).toList().containsAll(names);
                    if (!taken) missing.add(template.getFileName() + ": " + form.group(1).trim() + " " + names);
                }
            }
        }
        assertTrue(forms >= 10, forms + " forms in the templates");
        assertEquals(List.of(), missing, "forms whose fields the fuzzing would not reach");
    }

    private static String attribute(String attributes, String name) {
        Matcher value = Pattern.compile("\\b" + name + "=\"([^\"]*)\"").matcher(attributes);
        return value.find() ? value.group(1) : "";
    }

    /** An account of the role with a password, an API token and a signed-in browser. */
    private static Caller caller(String username, String role) {
        int id = asMaintainer().contentType("application/json").body(Map.of("username", username, "password",
                PASSWORD, "role", role)).post("/api/users").then().statusCode(201).body("role", equalTo(role))
                .extract().path("id");
        String token = asMaintainer().contentType("application/json").body("{\"name\": \"fuzz\"}")
                .post("/api/users/" + id + "/tokens").then().statusCode(201).extract().path("token");
        return new Caller(role, token, TestAccounts.signedIn(username, PASSWORD));
    }

    private Response send(Caller caller, Field field, String value) {
        String path = concrete(field);
        RequestSpecification request = !path.startsWith("/api/") ? caller.browser().request()
                : caller.token() == null ? given() : TestAccounts.as(caller.token());
        request.redirects().follow(false);
        switch (field.in()) {
            case "query" -> request.queryParam(field.name(), value);
            case "form" -> request.formParam(field.name(), value);
            case "multipart" -> request.multiPart(field.name(), value);
            default -> request.contentType("application/json")
                    .body(Map.of(field.name(), field.array() ? List.of(value) : value));
        }
        return request.request(field.verb(), path);
    }

    /**
     * The route's path with its parameters filled in: pages name what exists (the first imported set, a board), a
     * state-changing route names what does not, so nothing is changed but the fields are still read.
     */
    private static String concrete(Field field) {
        boolean reads = field.verb().equals("GET");
        Matcher parameter = Pattern.compile("\\{([^}]+)}").matcher(field.path());
        StringBuilder path = new StringBuilder();
        while (parameter.find()) {
            String value = switch (parameter.group(1)) {
                case "id" -> reads ? "1" : "999999";
                case "dataset" -> "cifar-10";
                case "ipc" -> "1";
                case "method" -> "DC";
                case "label" -> "0";
                default -> throw new AssertionError("an example value for the path parameter of " + field);
            };
            parameter.appendReplacement(path, value);
        }
        return parameter.appendTail(path).toString();
    }

    private static String excerpt(String body, int at) {
        return body.substring(Math.max(0, at - 80), Math.min(body.length(), at + 80)).replace('\n', ' ');
    }
}
