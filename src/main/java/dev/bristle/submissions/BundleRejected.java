package dev.bristle.submissions;

import java.util.List;

/**
 * A submission refused before anything was stored, with every problem found: {@code status} 400 for the bundle
 * itself, 409 for a bundle or set already submitted.
 */
public class BundleRejected extends RuntimeException {

    private final int status;
    private final List<String> problems;

    public BundleRejected(int status, List<String> problems) {
        super(String.join("; ", problems));
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public int status() {
        return status;
    }

    public List<String> problems() {
        return problems;
    }
}
