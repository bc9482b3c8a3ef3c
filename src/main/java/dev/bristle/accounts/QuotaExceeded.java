package dev.bristle.accounts;

import java.util.List;

/**
 * A submitter's request beyond the quotas: {@code tooMany} for counts over time (active jobs, uploads per hour, HTTP
 * 429), otherwise a ceiling on a setting (HTTP 400).
 */
public class QuotaExceeded extends RuntimeException {

    private final boolean tooMany;
    private final List<String> problems;

    public QuotaExceeded(boolean tooMany, List<String> problems) {
        super(String.join("; ", problems));
        this.tooMany = tooMany;
        this.problems = List.copyOf(problems);
    }

    public boolean tooMany() {
        return tooMany;
    }

    public List<String> problems() {
        return problems;
    }
}
