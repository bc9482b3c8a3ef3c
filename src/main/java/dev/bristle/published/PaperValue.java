package dev.bristle.published;

/**
 * One number of the paper's tables. {@code value} is null where the paper prints "/"; {@code training} is
 * "standard" or "adversarial" (Table 4); {@code note}, when present, says why the printed number is not to be
 * trusted (a known misprint).
 */
public record PaperValue(
        int table,
        String metric,
        String mode,
        String dataset,
        String ipc,
        String method,
        String training,
        Double value,
        String note) {
}
