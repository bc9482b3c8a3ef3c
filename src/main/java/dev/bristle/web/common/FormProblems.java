package dev.bristle.web.common;

import dev.bristle.datasetpool.UploadForm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refused form's problems, each shown beside the field it concerns; those that concern no one field are shown
 * above the form.
 *
 * @param byField problems per field name, without the field's label
 * @param general the others
 */
public record FormProblems(Map<String, List<String>> byField, List<String> general) {

    public static final FormProblems NONE = new FormProblems(Map.of(), List.of());

    /** The upload form's fields by the label the dataset pool starts their problems with ("Method: ..."). */
    private static final Map<String, String> UPLOAD_LABELS = UploadForm.LABELS.entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));

    /**
     * The job form's fields by how the problems about them start, in lower case ("epochs must be 1 to 10000",
     * "unknown attack 'X'"); longer openings first.
     */
    private static final List<Map.Entry<String, String>> JOB_OPENINGS = List.of(Map.entry("epochs", "epochs"),
            Map.entry("students", "students"), Map.entry("testlimit", "testLimit"),
            Map.entry("the test limit", "testLimit"), Map.entry("seed", "seed"), Map.entry("the seed", "seed"),
            Map.entry("unknown attack mode", "modes"), Map.entry("modes", "modes"),
            Map.entry("unknown attack", "attacks"), Map.entry("attacks", "attacks"),
            Map.entry("a budget grid", "budgetGrid"), Map.entry("budgetgrid", "budgetGrid"),
            Map.entry("unknown protocol", "protocol"), Map.entry("protocol", "protocol"),
            Map.entry("unknown training recipe", "recipe"), Map.entry("recipe", "recipe"));

    /** Problems of an upload, placed by their "Label: " prefix. */
    public static FormProblems ofUpload(List<String> problems) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (String problem : problems) {
            int colon = problem.indexOf(": ");
            String field = colon < 0 ? null : UPLOAD_LABELS.get(problem.substring(0, colon));
            if (field == null) general.add(problem);
            else byField.computeIfAbsent(field, f -> new ArrayList<>()).add(problem.substring(colon + 2));
        }
        return new FormProblems(byField, general);
    }

    /** Problems of a job's settings, placed by how they start. */
    public static FormProblems ofJob(List<String> problems) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        List<String> general = new ArrayList<>();
        for (String problem : problems) {
            String field = JOB_OPENINGS.stream()
                    .filter(e -> problem.toLowerCase(java.util.Locale.ROOT).startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (field == null) general.add(problem);
            else byField.computeIfAbsent(field, f -> new ArrayList<>()).add(problem);
        }
        return new FormProblems(byField, general);
    }

    /** The problems of one field; empty when it has none. */
    public List<String> of(String field) {
        return byField.getOrDefault(field, List.of());
    }

    public boolean has(String field) {
        return byField.containsKey(field);
    }

    public boolean any() {
        return !byField.isEmpty() || !general.isEmpty();
    }
}
