package dev.bristle.web;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rule that keeps a page and its JSON twin apart: no resource uses another resource's members (its
 * statics, its templates, its nested types). What both need lives in a web-package helper or type of its own.
 */
class ResourceIndependenceTest {

    private static final Path WEB = Path.of("src", "main", "java", "dev", "bristle", "web");

    @Test
    void noResourceReachesIntoAnother() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.list(WEB)) {
            sources = files.filter(f -> f.getFileName().toString().endsWith(".java")).sorted().toList();
        }
        List<String> resources = sources.stream().map(f -> f.getFileName().toString().replace(".java", ""))
                .filter(name -> name.endsWith("Resource")).toList();
        assertTrue(resources.size() > 10, "found the resources: " + resources);
        List<String> uses = new ArrayList<>();
        for (Path source : sources) {
            String own = source.getFileName().toString().replace(".java", "");
            String text = Files.readString(source);
            for (String other : resources) {
                if (!other.equals(own) && Pattern.compile("\\b" + other + "\\.\\w").matcher(text).find()) {
                    uses.add(own + " uses " + other + "'s members");
                }
            }
        }
        assertEquals(List.of(), uses);
    }
}
