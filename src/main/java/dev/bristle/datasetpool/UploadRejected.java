package dev.bristle.datasetpool;

import java.util.List;

/** An upload refused before anything was stored, with every problem found. */
public class UploadRejected extends RuntimeException {

    private final List<String> problems;

    public UploadRejected(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
