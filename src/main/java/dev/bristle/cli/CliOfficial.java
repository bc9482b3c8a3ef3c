package dev.bristle.cli;

import dev.bristle.ml.attack.AttackProtocol;
import dev.bristle.ml.score.OfficialSettings;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The protocols' official settings as the command line applies them: the ml core's, scaled down only where the
 * test-only {@code bristle.official.*} settings of the web app are given ({@code -Dbristle.official.students=1} or
 * {@code BRISTLE_OFFICIAL_STUDENTS}), so a test or a benchmark makes and verifies an "official" bundle in seconds.
 */
record CliOfficial(Properties properties, Map<String, String> environment) {

    static CliOfficial ofSystem() {
        return new CliOfficial(System.getProperties(), System.getenv());
    }

    OfficialSettings of(AttackProtocol protocol) {
        return OfficialSettings.of(protocol).scaled(number("students"), number("epochs"), number("test-images"),
                list("attacks"), list("modes"));
    }

    private Integer number(String name) {
        String value = setting(name);
        if (value == null) return null;
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new CliUsageException("bristle.official." + name + " must be a whole number");
        }
    }

    private List<String> list(String name) {
        String value = setting(name);
        return value == null ? null : Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .toList();
    }

    private String setting(String name) {
        String property = properties.getProperty("bristle.official." + name);
        if (property != null && !property.isBlank()) return property;
        String variable = environment.get("BRISTLE_OFFICIAL_" + name.toUpperCase(java.util.Locale.ROOT)
                .replace('-', '_'));
        return variable != null && !variable.isBlank() ? variable : null;
    }
}
