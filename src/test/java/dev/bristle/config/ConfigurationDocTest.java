package dev.bristle.config;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps docs/configuration.md true to the code: every property of every {@code @ConfigMapping} in {@code src/main} is
 * in the doc's table, every {@code bristle.*} property the doc names exists, and the table's defaults are the
 * {@code @WithDefault}s. Property names follow SmallRye's rule: kebab-case of the method names, groups joined by dots,
 * {@code @WithName} as given.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("docs", "configuration.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BRISTLE_PROPERTY = Pattern.compile("`(bristle\\.[a-z0-9.-]*[a-z0-9])`");

    /** Property name to its {@code @WithDefault} (null: none). */
    private static Map<String, String> defined;
    private static DocTable table;
    private static String doc;

    @BeforeAll
    static void read() throws IOException {
        defined = new TreeMap<>();
        List<Class<?>> mappings = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.bristle").stream()
                .filter(type -> type.isAnnotatedWith(ConfigMapping.class))
                .map(JavaClass::reflect)
                .toList();
        assertTrue(mappings.contains(BristleConfig.class), "found the @ConfigMapping interfaces: " + mappings);
        for (Class<?> mapping : mappings) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, defined);
        }
        doc = Files.readString(DOC);
        table = DocTable.parse(doc);
    }

    @Test
    void everyPropertyTheCodeDefinesIsInTheTable() {
        TreeSet<String> missing = new TreeSet<>(defined.keySet());
        missing.removeAll(table.defaults().keySet());
        assertTrue(missing.isEmpty(), "properties the code defines that " + DOC + "'s table leaves out: " + missing);
    }

    @Test
    void everyBristlePropertyTheDocNamesExists() {
        TreeSet<String> unknown = new TreeSet<>(table.defaults().keySet());
        Matcher named = BRISTLE_PROPERTY.matcher(doc);
        while (named.find()) {
            unknown.add(named.group(1));
        }
        unknown.removeAll(defined.keySet());
        assertTrue(unknown.isEmpty(), "properties " + DOC + " names that no @ConfigMapping defines: " + unknown);
    }

    @Test
    void theTableShowsEachDefaultTheCodeSets() {
        List<String> wrong = new ArrayList<>();
        defined.forEach((name, codeDefault) -> {
            if (codeDefault == null || !table.defaults().containsKey(name)) {
                return;
            }
            String expected = codeDefault.replace("${bristle.home}", "$BRISTLE_HOME");
            Optional<String> documented = table.defaults().get(name);
            if (documented.isEmpty() || !documented.get().equals(expected)) {
                wrong.add(name + ": code " + expected + ", doc " + documented.orElse("(none)"));
            }
        });
        assertTrue(wrong.isEmpty(), "defaults that differ between the code and " + DOC + ": " + wrong);
    }

    @Test
    void namesFollowSmallRyesRule() {
        assertEquals("test-images", kebab("testImages"));
        assertEquals("home", kebab("home"));
        assertTrue(defined.containsKey("bristle.official.test-images"), defined.keySet().toString());
        assertTrue(defined.containsKey("bristle.accounts.quota.uploads-per-hour"), defined.keySet().toString());
        assertFalse(defined.containsKey("bristle.worker"), "a group is not a property");
    }

    /** Adds the properties of {@code type} under {@code prefix}: a method returning a group (an interface) nests. */
    private static void collect(String prefix, Class<?> type, Map<String, String> into) {
        for (Method method : type.getMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String name = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getName().startsWith("dev.bristle.")) {
                collect(name, returned, into);
            } else {
                WithDefault withDefault = method.getAnnotation(WithDefault.class);
                into.put(name, withDefault == null ? null : withDefault.value());
            }
        }
    }

    private static String kebab(String methodName) {
        return methodName.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The doc's table of settings: each row's first cell names one or more properties ({@code `bristle.x.a`, `.b`}: a
     * name starting with a dot replaces the last part of the name before it), its second cell their defaults in the
     * same order, each in backquotes (a cell without backquotes, "unset", documents none).
     */
    private record DocTable(Map<String, Optional<String>> defaults) {

        static DocTable parse(String markdown) {
            Map<String, Optional<String>> defaults = new TreeMap<>();
            boolean inTable = false;
            for (String line : markdown.split("\n")) {
                if (line.startsWith("| setting |")) {
                    inTable = true;
                    continue;
                }
                if (!inTable || line.startsWith("| ---")) {
                    continue;
                }
                if (!line.startsWith("|")) {
                    break;
                }
                String[] cells = line.split("(?<!\\\\)\\|");
                List<String> names = new ArrayList<>();
                String last = null;
                for (String code : codes(cells[1])) {
                    if (code.startsWith("bristle.")) {
                        last = code;
                    } else if (code.startsWith(".") && last != null) {
                        last = last.substring(0, last.lastIndexOf('.')) + code;
                    } else {
                        continue; // an environment variable's name
                    }
                    names.add(last);
                }
                List<String> values = codes(cells[2]);
                for (int i = 0; i < names.size(); i++) {
                    defaults.put(names.get(i), i < values.size() ? Optional.of(values.get(i)) : Optional.empty());
                }
            }
            assertFalse(defaults.isEmpty(), "no table of settings (a header row starting '| setting |') in " + DOC);
            return new DocTable(defaults);
        }

        private static List<String> codes(String cell) {
            List<String> codes = new ArrayList<>();
            Matcher code = CODE.matcher(cell);
            while (code.find()) {
                codes.add(code.group(1));
            }
            return codes;
        }
    }
}
