package dev.bristle;

import com.tngtech.archunit.junit.ArchTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the README and docs/ readable as one manual: every relative link reaches an existing file and heading, every
 * doc starts with its title and one line saying what it covers, and docs/architecture.md names every rule of
 * {@link ArchitectureTest}.
 */
class DocsTest {

    private static final Path README = Path.of("README.md");
    private static final Path DOCS = Path.of("docs");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#+ (.*)$");

    @Test
    void everyRelativeLinkReachesAFileAndHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path doc : manual()) {
            Matcher link = LINK.matcher(withoutCode(Files.readString(doc)));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue; // an absolute address
                }
                int hash = target.indexOf('#');
                Path file = hash == 0 ? doc
                        : doc.resolveSibling(hash < 0 ? target : target.substring(0, hash)).normalize();
                if (!Files.exists(file)) {
                    broken.add(doc + ": " + target + " (no such file)");
                } else if (hash >= 0 && !anchors(file).contains(target.substring(hash + 1))) {
                    broken.add(doc + ": " + target + " (no such heading)");
                }
            }
        }
        assertTrue(broken.isEmpty(), "broken links: " + broken);
    }

    @Test
    void everyDocSaysFirstWhatItCovers() throws IOException {
        List<String> without = new ArrayList<>();
        for (Path doc : manual()) {
            if (doc.equals(README)) {
                continue;
            }
            List<String> lines = Files.readAllLines(doc);
            if (lines.size() < 3 || !lines.get(0).startsWith("# ") || !lines.get(1).isEmpty()
                    || lines.get(2).isBlank() || lines.get(2).startsWith("#")) {
                without.add(doc.toString());
            }
        }
        assertTrue(without.isEmpty(), "docs that do not start with a title and a line on what they cover: " + without);
    }

    @Test
    void theArchitectureDocNamesEveryLayeringRule() throws IOException {
        String architecture = Files.readString(DOCS.resolve("architecture.md"));
        List<String> unnamed = new ArrayList<>();
        for (Field field : ArchitectureTest.class.getDeclaredFields()) {
            if (field.isAnnotationPresent(ArchTest.class) && !architecture.contains("`" + field.getName() + "`")) {
                unnamed.add(field.getName());
            }
        }
        assertTrue(unnamed.isEmpty(), "rules of ArchitectureTest that docs/architecture.md does not name: " + unnamed);
    }

    private static List<Path> manual() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(README));
        try (Stream<Path> files = Files.list(DOCS)) {
            files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        assertTrue(docs.size() > 1, "no docs in " + DOCS);
        return docs;
    }

    /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens. */
    private static Set<String> anchors(Path file) throws IOException {
        Set<String> anchors = new HashSet<>();
        for (String line : withoutCode(Files.readString(file)).split("\n")) {
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                anchors.add(heading.group(1).strip().toLowerCase(Locale.ROOT)
                        .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    /** The text outside fenced code blocks (a shell comment there is no heading, a bracket no link). */
    private static String withoutCode(String markdown) {
        StringBuilder text = new StringBuilder();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced) {
                text.append(line).append('\n');
            }
        }
        return text.toString();
    }
}
