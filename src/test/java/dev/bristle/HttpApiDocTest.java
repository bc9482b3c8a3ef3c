package dev.bristle;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the route table of docs/http-api.md true to the resources: every route a resource method serves (its HTTP
 * method and path, as JAX-RS joins the class's and the method's {@code @Path}) is a row, and every row is served.
 */
class HttpApiDocTest {

    private static final java.nio.file.Path DOC = java.nio.file.Path.of("docs", "http-api.md");
    private static final Pattern ROW = Pattern.compile("^\\| (GET|POST|PUT|PATCH|DELETE) \\| `([^`]+)` \\|");

    @Test
    void theRouteTableListsEveryRouteAndNoOther() throws IOException {
        Set<String> served = served();
        Set<String> documented = new TreeSet<>();
        for (String line : Files.readAllLines(DOC)) {
            Matcher row = ROW.matcher(line);
            if (row.find()) {
                documented.add(row.group(1) + " " + row.group(2));
            }
        }
        Set<String> missing = new TreeSet<>(served);
        missing.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(served);
        assertTrue(missing.isEmpty() && unserved.isEmpty(),
                "routes served but not in " + DOC + "'s table: " + missing + "; rows no resource serves: " + unserved);
    }

    private static Set<String> served() {
        Set<String> routes = new TreeSet<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.bristle")) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = type.reflect();
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                for (Annotation annotation : method.getAnnotations()) {
                    HttpMethod verb = annotation.annotationType().getAnnotation(HttpMethod.class);
                    if (verb != null) {
                        Path path = method.getAnnotation(Path.class);
                        routes.add(verb.value() + " " + join(base, path == null ? "" : path.value()));
                    }
                }
            }
        }
        assertTrue(routes.contains("GET /"), "found the resources: " + routes);
        return routes;
    }

    /** The class's and the method's paths joined by one slash, without a trailing one, parameters' regexes left out. */
    private static String join(String base, String path) {
        String joined = ("/" + base + "/" + path).replaceAll("/+", "/").replaceAll("\\{(\\w+)\\s*:[^}]*}", "{$1}");
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }
}
